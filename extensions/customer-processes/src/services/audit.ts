// The bundle's own append-only audit trail (X-2, X-3, CR-17). Directus activity may be cut to
// 30 days on a Core-tier host; these rows are kept for the retention period and cannot be
// changed or deleted through the API (see hooks/cp-rules).
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import type { ActorInfo } from './context';

export interface AuditEntry {
	collection: string;
	item: string | number;
	action: string;
	from_status?: string | null;
	to_status?: string | null;
	data?: Record<string, unknown> | null;
}

export async function appendAudit(knex: Knex, actor: ActorInfo, entries: AuditEntry[], now = new Date()): Promise<void> {
	if (!entries.length) return;
	const rows = entries.map((e) => ({
		at: now,
		user: actor.userId,
		department: actor.system ? 'system' : actor.departments.join(',') || null,
		as_admin: actor.isAdmin && !actor.system,
		collection: e.collection,
		item: String(e.item),
		action: e.action,
		from_status: e.from_status ?? null,
		to_status: e.to_status ?? null,
		data: e.data ? JSON.stringify(e.data) : null,
		date_created: now,
	}));
	// A review completion's route and hours in their columns too, once the installer has added them.
	if (entries.some((e) => e.action === 'review_completed') && (await storesCompletionColumns(knex)))
		entries.forEach((e, i) => Object.assign(rows[i]!, completionColumns(e.action, e.data)));
	try {
		await knex('cp_audit').insert(rows);
	} catch (e) {
		// A step that cannot be recorded is not taken: the caller's transaction rolls back.
		// A damaged table (a column dropped behind Directus's back) then answers 503, never a 500.
		const error = new DomainError(
			'CP_AUDIT_UNAVAILABLE',
			'The audit trail (cp_audit) is unavailable, so nothing was changed; ask an administrator to repair it',
		);
		(error as Error & { cause?: unknown }).cause = e;
		throw error;
	}
}

/**
 * X-4 (issue 14): a review completion's route and round hours, copied from its data into columns of
 * their own that the cycle-time indicator aggregates without reading JSON (services/kpi.ts). Empty on
 * every other entry, and on a completion whose round has no recorded submission (no hours).
 */
export function completionColumns(
	action: string,
	data: Record<string, unknown> | null | undefined,
): { review_route: string | null; cycle_hours: number | null } {
	if (action !== 'review_completed' || !data) return { review_route: null, cycle_hours: null };
	const hours = typeof data.hours === 'number' && Number.isFinite(data.hours) ? data.hours : null;
	return { review_route: hours !== null && typeof data.route === 'string' ? data.route : null, cycle_hours: hours };
}

let completionColumnsStored = false;

/**
 * Whether cp_audit has the completion columns (step 0.4.0). Between copying a new bundle and
 * running its installer they are not there yet: completions are then recorded without them and
 * the indicator reads their JSON, instead of every audited step failing. Once there, they stay.
 */
export async function storesCompletionColumns(knex: Knex): Promise<boolean> {
	if (!completionColumnsStored) completionColumnsStored = await knex.schema.hasColumn('cp_audit', 'cycle_hours');
	return completionColumnsStored;
}
