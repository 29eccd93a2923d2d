// Cross-cutting record rules: the audit trail of every change and deletion protection
// (CR-17, X-3). Thin: load facts, ask the domain, write.
import type { Knex } from 'knex';
import { APPEND_ONLY, CLOSING_STATUS, RETENTION_FOLLOWS, RETENTION_FROM_OCCURRENCE, STATE_FIELD, deletionRefusal, laterClosure } from '../domain/records';
import { DomainError } from '../domain/errors';
import { appendAudit } from './audit';
import type { ActorInfo, Settings } from './context';
import { toDirectusError, translated } from './errors';
import type { HookApi } from './contract-review';

/** Written only by the engine (services/audit.ts#appendAudit, knex directly), never through the items API. */
const AUDIT = 'cp_audit';

export const CP_COLLECTIONS = [
	'cp_settings',
	'cp_customers',
	'cp_contracts',
	'cp_contract_lines',
	'cp_review_lines',
	'cp_discrepancies',
	'cp_task_notices',
	'cp_changes',
	'cp_samples',
	'cp_complaints',
	'cp_actions',
	'cp_communications',
	'cp_property',
	'cp_property_events',
	'cp_audit',
] as const;

const CUSTOMER_REFERENCES = ['cp_contracts', 'cp_complaints', 'cp_property', 'cp_communications', 'cp_samples'];

export async function assertDeletable(knex: Knex, collection: string, keys: (string | number)[], settings: Settings, now = new Date()) {
	const years = settings.retention_years ?? 3;
	for (const key of keys) {
		if (APPEND_ONLY.includes(collection)) {
			throw new DomainError('CP_RETAINED', deletionRefusal({ collection, createdAt: null }, now, years)!, { details: { collection, item: key } });
		}
		const row = await knex(collection).where('id', key).first();
		if (!row) continue;
		let contractStatus: string | null = null;
		let reviewRound: number | null = null;
		let references = 0;
		if (collection === 'cp_contracts') ({ status: contractStatus, review_round: reviewRound } = row);
		if (collection === 'cp_contract_lines') {
			const c = await knex('cp_contracts').where('id', row.contract).first('status', 'review_round');
			contractStatus = c?.status ?? null;
			reviewRound = c?.review_round ?? null;
		}
		if (collection === 'cp_customers') {
			for (const t of CUSTOMER_REFERENCES) {
				const r = await knex(t).where('customer', key).count({ n: '*' }).first();
				references += Number(r?.n ?? 0);
			}
		}
		const refusal = deletionRefusal(
			{
				collection,
				createdAt: row.date_created ? new Date(row.date_created) : null,
				closedAt: await closureOf(knex, collection, row),
				contractStatus,
				reviewRound,
				references,
			},
			now,
			years,
		);
		if (refusal) throw new DomainError('CP_RETAINED', refusal, { details: { collection, item: key } });
	}
}

const asDate = (v: unknown): Date | null => (v == null || v === '' ? null : new Date(v as string | number));

/**
 * CR-17: when the record was closed. The audit trail holds the time of the transition into the
 * closing status (any action: 'transition', 'terminated', 'closed', ... carry to_status); a row
 * from_status = to_status is a later step within that status, not the closure. A record that
 * follows a parent takes the parent's closure (one query for the parent's status, one for the trail).
 */
async function closureOf(knex: Knex, collection: string, row: Record<string, any>): Promise<Date | null> {
	const occurrence = RETENTION_FROM_OCCURRENCE[collection];
	if (occurrence) return asDate(row[occurrence]) ?? asDate(row.date_created);
	const own = await enteredClosingStatus(knex, collection, row);
	const follows = RETENTION_FOLLOWS[collection];
	if (!follows || row[follows.field] == null) return own;
	const parentCollection = follows.collection === 'source' ? row.source_collection : follows.collection;
	if (!parentCollection || !CLOSING_STATUS[parentCollection as keyof typeof CLOSING_STATUS]) return own;
	const parent = await knex(parentCollection).where('id', row[follows.field]).first();
	return laterClosure(own, parent ? await enteredClosingStatus(knex, parentCollection, parent) : null);
}

async function enteredClosingStatus(knex: Knex, collection: string, row: Record<string, any>): Promise<Date | null> {
	const closing = (CLOSING_STATUS[collection as keyof typeof CLOSING_STATUS] ?? []) as readonly string[];
	const status = row[STATE_FIELD[collection] ?? 'status'];
	if (!closing.includes(status)) return null;
	const entries = await knex(AUDIT)
		.where({ collection, item: String(row.id), to_status: status })
		.select('from_status', 'at');
	const times = entries.filter((e) => e.from_status !== status).map((e) => asDate(e.at)!.getTime());
	// Closed without a recorded transition (data from before the trail): from its last change.
	if (!times.length) return asDate(row.date_updated) ?? asDate(row.date_created);
	return new Date(Math.max(...times));
}

export function assertNotAppendOnly(collection: string) {
	if (APPEND_ONLY.includes(collection)) {
		throw new DomainError('CP_RETAINED', `${collection} is an append-only record and cannot be changed (X-3)`, { details: { collection } });
	}
}

/**
 * an audit entry made through the items API (REST, GraphQL, import), by an admin too, could
 * forge a signature on a printed form; the engine writes the trail with knex, below the API.
 */
export function assertNotEngineOnly(collection: string) {
	if (collection === AUDIT) {
		throw new DomainError('CP_SYSTEM_ONLY', `${AUDIT} entries are written by the process engine only, never through the API (X-2, X-3)`, {
			details: { collection },
		});
	}
}

/**
 * schema changes that would break the audit trail are refused: dropping cp_audit or one of
 * its columns, or changing a column's type (every transition would fail to record). Directus
 * emits `fields.delete` [field] / `fields.update` field with meta.collection = the collection
 * (FieldsService), and `collections.delete` [collection] while deleting it (inside the drop's
 * transaction: on SQLite and PostgreSQL the drop rolls back; MariaDB commits DDL at once).
 */
export function registerAuditSchemaGuard({ filter, init }: Pick<HookApi, 'filter' | 'init'>): void {
	const refusal = (what: string) =>
		new DomainError('CP_RETAINED', `${what}: the audit trail ${AUDIT} is part of the retained records (X-2, X-3, CR-17)`, {
			details: { collection: AUDIT },
		});
	const refuse = (what: string) => {
		throw refusal(what);
	};
	// MariaDB commits a DROP TABLE at once, before Directus emits collections.delete: the deletion of
	// the audit table is therefore also refused at the route, before Directus's own handlers run.
	init?.('routes.before', ({ app }: { app: any }) => {
		const deny = (_req: unknown, _res: unknown, next: (e?: unknown) => void) => next(toDirectusError(refusal(`${AUDIT} cannot be deleted`)));
		app.delete(`/collections/${AUDIT}`, deny);
		app.post('/graphql/system', (req: any, res: unknown, next: (e?: unknown) => void) => {
			const text = JSON.stringify(req.body ?? '');
			if (/delete_collections/.test(text) && text.includes(AUDIT)) return deny(req, res, next);
			next();
		});
	});
	filter(
		'fields.delete',
		translated(async (fields: unknown, meta: { collection?: string }) => {
			if (meta?.collection === AUDIT) refuse(`Field ${[fields].flat().join(', ')} of ${AUDIT} cannot be deleted`);
			return fields;
		}),
	);
	filter(
		'fields.update',
		translated(async (field: any, meta: { collection?: string }, ctx: { schema?: any }) => {
			if (meta?.collection !== AUDIT || !field || typeof field !== 'object') return field;
			const current = ctx?.schema?.collections?.[AUDIT]?.fields?.[field.field];
			const typeChange = field.type && current && field.type !== current.type;
			const columnRewrite = field.schema?.data_type && current && String(field.schema.data_type).toLowerCase() !== String(current.dbType).toLowerCase();
			if (typeChange || columnRewrite) refuse(`The type of ${AUDIT}.${field.field} cannot be changed`);
			return field;
		}),
	);
	filter(
		'collections.delete',
		translated(async (keys: unknown) => {
			if ([keys].flat().includes(AUDIT)) refuse(`${AUDIT} cannot be deleted`);
			return keys;
		}),
	);
}

/** One audit row per item of a plain write (transitions are audited by their adapters). */
export async function auditWrite(
	knex: Knex,
	actor: ActorInfo,
	collection: string,
	action: 'create' | 'update' | 'delete',
	keys: (string | number)[],
	payload: Record<string, unknown> | null,
) {
	const stateField = STATE_FIELD[collection];
	const entries = [];
	for (const key of keys) {
		// Transitions are audited by the adapters inside the step's own transaction. This hook runs
		// after Directus's write, but in a batch of items before the batch commits (and whether it
		// commits is unknown here), so it never records a status change itself: a plain update names
		// its fields; a creation its starting status, which the create filters fixed.
		const to = action === 'create' && stateField && payload && payload[stateField] != null ? String(payload[stateField]) : null;
		entries.push({
			collection,
			item: key,
			action,
			from_status: null,
			to_status: to,
			data: payload ? { fields: Object.keys(payload) } : null,
		});
	}
	await appendAudit(knex, actor, entries);
}
