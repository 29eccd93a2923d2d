// Which field carries each record's state, which records are append-only, and when a record
// may be deleted (CR-17, X-3: review, change and complaint records are kept for the retention
// period, counted from when the record is closed; only a mistake that never entered the process
// can be undone by deleting it).
import { CATALOGUE, type Choice } from './catalogue';

export const STATE_FIELD: Readonly<Record<string, string>> = {
	cp_contracts: 'status',
	cp_review_lines: 'decision',
	cp_discrepancies: 'status',
	cp_changes: 'status',
	cp_samples: 'status',
	cp_complaints: 'status',
	cp_actions: 'status',
	cp_communications: 'survey_status',
	cp_property: 'status',
};

/** Rows of these collections are never changed or deleted through the API. */
export const APPEND_ONLY: readonly string[] = ['cp_audit', 'cp_property_events'];

type Catalogue = typeof CATALOGUE;
type StatusOf<C extends keyof Catalogue> = Catalogue[C] extends { status: infer S extends readonly Choice[] } ? S[number][0] : never;
type WithStatus = { [C in keyof Catalogue]: Catalogue[C] extends { status: readonly Choice[] } ? C : never }[keyof Catalogue];

/**
 * CR-17: the statuses in which a record is closed, so its retention period runs from the
 * transition into one of them. A record in any other status is still in the process.
 */
export const CLOSING_STATUS: { readonly [C in WithStatus]?: readonly StatusOf<C>[] } = {
	cp_contracts: ['completed', 'terminated', 'cancelled'],
	cp_complaints: ['closed'],
	cp_property: ['returned', 'disposed'],
	cp_changes: ['done', 'rejected'],
	cp_discrepancies: ['closed'],
	cp_samples: ['closed'],
	// Also closed when its source record (the complaint) is: see RETENTION_FOLLOWS.
	cp_actions: ['verified'],
};

/**
 * Records that are part of another record's file and are kept as long as it is: the field
 * naming the parent and the parent's collection ('source' when the row itself names it).
 */
export const RETENTION_FOLLOWS: Readonly<Record<string, { field: string; collection: string | 'source' }>> = {
	cp_review_lines: { field: 'contract', collection: 'cp_contracts' },
	cp_contract_lines: { field: 'contract', collection: 'cp_contracts' },
	cp_task_notices: { field: 'contract', collection: 'cp_contracts' },
	// CP-3: an action's source is a complaint, a discrepancy or a property item (source_collection, source_id).
	cp_actions: { field: 'source_id', collection: 'source' },
};

/** Records that are complete when they happen (a contact, a visit, a survey): retention runs from then. */
export const RETENTION_FROM_OCCURRENCE: Readonly<Record<string, string>> = {
	cp_communications: 'occurred_at',
};

export interface DeletionFacts {
	collection: string;
	createdAt: Date | null;
	/**
	 * When the record was closed (CR-17): the transition into its closing status, its parent's
	 * closure for a record that follows one (the later of the two for an action), its occurrence
	 * for a communication; null while it is not closed.
	 */
	closedAt?: Date | null;
	/** For contracts: status and review round; for lines: the parent contract's. */
	contractStatus?: string | null;
	reviewRound?: number | null;
	/** For customers: how many process records reference them. */
	references?: number;
}

export function yearsAfter(date: Date, years: number): Date {
	const d = new Date(date.getTime());
	d.setUTCFullYear(d.getUTCFullYear() + years);
	return d;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The later of two closure times; null when neither record is closed. */
export function laterClosure(a: Date | null | undefined, b: Date | null | undefined): Date | null {
	if (!a) return b ?? null;
	if (!b) return a;
	return a > b ? a : b;
}

/** Returns why a record may not be deleted, or null when it may. */
export function deletionRefusal(f: DeletionFacts, now: Date, retentionYears: number): string | null {
	if (APPEND_ONLY.includes(f.collection)) return `${f.collection} is an append-only record (X-3)`;
	if (f.collection === 'cp_settings') return null;
	const neverInProcess = (f.collection === 'cp_contracts' || f.collection === 'cp_contract_lines') && f.contractStatus === 'draft' && !f.reviewRound;
	if (neverInProcess) return null;
	if (f.collection === 'cp_customers') {
		if (!f.references) return null;
		return `顾客被 ${f.references} 条保存中的记录引用，不能删除 / the customer is named by ${f.references} records that are retained for ${retentionYears} years after they close, so it is kept with them (CR-17, X-3); archive it instead`;
	}
	if (!f.closedAt) {
		return `记录尚未关闭，关闭后保存 ${retentionYears} 年，不能删除 / records are retained for ${retentionYears} years from when they are closed; this one is not closed yet, so it is kept (CR-17, X-3); archive or cancel it instead`;
	}
	const until = yearsAfter(f.closedAt, retentionYears);
	if (now >= until) return null;
	return `记录于 ${day(f.closedAt)} 关闭，保存至 ${day(until)}，之前不能删除 / records are retained for ${retentionYears} years from when they are closed: this one closed on ${day(f.closedAt)} and is kept until ${day(until)} (CR-17, X-3)`;
}
