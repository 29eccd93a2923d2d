// The generic write guard of every cp_ collection: loads the records a write touches and asks
// the collection's policy (domain/policy) before any area adapter runs. Directus calls the same
// filter for a single write, a batch by keys or by query, a batch of items, GraphQL, an import and
// a content-version promotion, so the policy holds on all of them. Also the recorded correction.
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { parseJson } from '../domain/json';
import { correctedComplaintValue } from '../domain/complaints/lifecycle';
import { correctedSurveyValue, surveyTemplate } from '../domain/communication/communication';
import { loadSettings } from './context';
import { POLICIES, planCorrection, writeRefusal } from '../domain/policy';
import { assertFieldValues } from '../domain/policy/values';
import { appendAudit } from './audit';
import { keepGuardedRows } from './guarded-rows';
import { lockRow, toBool } from './db';
import { toDate } from './complaints';
import { dateKey } from './property';
import type { ActorInfo } from './context';

type Row = Record<string, unknown>;

/** The entry checks a corrected value passes, per collection (the same as when it was first written). */
const CORRECTED_VALUE: Record<string, (knex: Knex, field: string, value: unknown) => Promise<unknown>> = {
	cp_complaints: async (_knex, field, value) => correctedComplaintValue(field, value),
	cp_communications: async (knex, field, value) => correctedSurveyValue(field, value, surveyTemplate((await loadSettings(knex)).survey_template)),
};

const writer = (actor: ActorInfo) => ({ departments: actor.departments, signers: actor.signers ?? [], isAdmin: actor.isAdmin, system: actor.system });

/**
 * A value as its field's type means it, so that resending a stored value is no change: SQLite and
 * MariaDB return JSON as text and booleans as 0/1, timestamps come back as Date, epoch ms or text.
 */
function normalized(schema: any, collection: string, row: Row): Row {
	const fields = schema?.collections?.[collection]?.fields ?? {};
	const out: Row = {};
	for (const [k, v] of Object.entries(row)) {
		const type = fields[k]?.type;
		if (v === null || v === undefined || !type) out[k] = v;
		else if (type === 'json') out[k] = typeof v === 'string' ? parseJson(v, v) : v;
		else if (type === 'boolean') out[k] = toBool(v);
		else if (['integer', 'bigInteger', 'float', 'decimal'].includes(type) && Number.isFinite(Number(v))) out[k] = Number(v);
		else if (['timestamp', 'dateTime'].includes(type)) out[k] = toDate(v)?.getTime() ?? v;
		else if (type === 'date') out[k] = dateKey(v);
		else out[k] = v;
	}
	return out;
}

/** Throws the policy's refusal of creating `payload`, or of applying it to every record of `keys`. */
export async function assertWritePolicy(
	knex: Knex,
	collection: string,
	actor: ActorInfo,
	payload: unknown,
	keys: (string | number)[] | null,
	schema: any = null,
	scope: object | null = null,
): Promise<void> {
	if (scope && keys) keepGuardedRows(scope, collection, keys, null);
	const policy = POLICIES[collection];
	if (!policy || actor.system || !payload || typeof payload !== 'object' || Array.isArray(payload)) return;
	const body = normalized(schema, collection, payload as Row);
	if (keys === null) {
		const refusal = writeRefusal(policy, { row: null, payload: body, writer: writer(actor), records: 1 });
		if (refusal) throw refusal;
		assertFieldValues(collection, body);
		return;
	}
	if (!keys.length) return;
	const rows: Row[] = await knex(collection)
		.whereIn('id', keys as string[])
		.select();
	if (scope) keepGuardedRows(scope, collection, keys, rows);
	for (const row of rows) {
		const refusal = writeRefusal(policy, { row: normalized(schema, collection, row), payload: body, writer: writer(actor), records: keys.length });
		if (refusal) throw refusal;
	}
	assertFieldValues(collection, body);
}

/**
 * A recorded correction of a closed, signed or answered record: the record gets the new value
 * and the audit trail keeps the original, who corrected it and why, in one transaction. `shape.json`
 * says the field is a JSON column: SQLite and MariaDB hand it back as text, so the stored value is
 * parsed first (the original is kept as the value it was, and an unchanged value is recognised).
 */
export async function correctRecord(
	knex: Knex,
	actor: ActorInfo,
	request: { collection: unknown; item: unknown; field: unknown; value: unknown; reason: unknown },
	now = new Date(),
	shape: { json?: boolean } = {},
): Promise<{ collection: string; item: string; field: string }> {
	const collection = String(request.collection ?? '');
	const policy = POLICIES[collection];
	if (!policy?.correctable?.length) throw new DomainError('CP_INVALID_VALUE', 'These records cannot be corrected', { field: 'collection' });
	const field = String(request.field ?? '');
	const item = String(request.item ?? '');
	const given = shape.json && typeof request.value === 'string' ? parseJson<unknown>(request.value, request.value) : request.value;
	const value = CORRECTED_VALUE[collection] ? await CORRECTED_VALUE[collection]!(knex, field, given) : given;
	assertFieldValues(collection, { [field]: value });
	return knex.transaction(async (trx) => {
		const stored = item ? await lockRow<Row>(trx, collection, item).catch(() => undefined) : undefined;
		if (!stored) throw new DomainError('CP_INVALID_VALUE', 'The record does not exist', { field: 'item' });
		const row = shape.json && Object.hasOwn(stored, field) ? { ...stored, [field]: parseJson<unknown>(stored[field], null) } : stored;
		const plan = planCorrection(policy, row, field, value, request.reason, writer(actor));
		// JSON columns take text on every dialect (pg would read a JS array as its own array type).
		const update = Object.fromEntries(Object.entries(plan.update).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]));
		const n = await trx(collection)
			.where('id', item)
			.update({ ...update, date_updated: now, user_updated: actor.userId });
		if (n !== 1) throw new DomainError('CP_INVALID_VALUE', 'The record does not exist', { field: 'item' });
		await appendAudit(trx, actor, [{ collection, item, action: plan.audit.action, data: plan.audit.data }], now);
		return { collection, item, field };
	});
}
