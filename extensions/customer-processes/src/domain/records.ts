// Which field carries each record's state, which records are append-only, and when a record
// may be deleted (CR-17, X-3: review, change and complaint records are kept for the retention
// period; only a mistake that never entered the process can be undone by deleting it).

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

export interface DeletionFacts {
	collection: string;
	createdAt: Date | null;
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

/** Returns why a record may not be deleted, or null when it may. */
export function deletionRefusal(f: DeletionFacts, now: Date, retentionYears: number): string | null {
	if (APPEND_ONLY.includes(f.collection)) return `${f.collection} is an append-only record (X-3)`;
	if (f.collection === 'cp_settings') return null;
	const neverInProcess = (f.collection === 'cp_contracts' || f.collection === 'cp_contract_lines') && f.contractStatus === 'draft' && !f.reviewRound;
	if (neverInProcess) return null;
	if (f.collection === 'cp_customers' && !f.references) return null;
	if (f.createdAt && now >= yearsAfter(f.createdAt, retentionYears)) return null;
	const until = f.createdAt ? yearsAfter(f.createdAt, retentionYears).toISOString().slice(0, 10) : 'the end of its retention period';
	return `${f.collection} records are retained for ${retentionYears} years and cannot be deleted before ${until} (CR-17, X-3); archive or cancel it instead`;
}
