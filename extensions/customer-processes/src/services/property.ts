// Customer property adapter (PR-1..PR-8): hooks and the periodic-check job. Thin: load facts,
// ask src/domain, write in one transaction.
//
// State changes happen by creating cp_property_events (from /cp/property/:id/events, the admin
// app or @directus/sdk alike). Directus runs the create filter inside the transaction of the
// insert, so the filter validates the event with the domain and updates the register line in
// that same transaction: either both are written or neither is.
import type { Knex } from 'knex';
import type { HookApi } from './contract-review';
import { actorFrom, loadSettings, type Accountability, type ActorInfo, type Settings } from './context';
import { appendAudit } from './audit';
import { missingItemError } from './confidential';
import { translated } from './errors';
import { cachePurger } from './cache';
import { lockRow } from './db';
import { notifyDepartments, usersOfDepartments } from './notify';
import { DomainError } from '../domain/errors';
import { DEFAULT_ZONE, localDateKey } from '../domain/schedule/periods';
import { PROPERTY_KINDS, type PropertyKind } from '../domain/property/property-status';
import { assertCanSee, assertRegisterEdit, assertRegistration, canSeeKind, hiddenKinds, type RegisterFacts } from '../domain/property/register';
import { custodianDepartments, departmentsToNotify, isRestricted, planEvent, startsProblemPath, type EpisodeEvent } from '../domain/property/events';
import { parseJson } from '../domain/json';
import { processDepartments } from '../domain/process-departments';
import * as clock from './clock';
import { KIND_LABELS, PROBLEM_LABELS } from '../domain/property/forms';

type Ctx = { database: Knex; accountability: Accountability | null; schema: any };
type Row = Record<string, any>;

/** Statuses of items we hold, so they are checked (PR-5). */
export const HELD_STATUSES = ['received', 'in_store', 'in_use', 'blocked'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A key of the right shape for the collection; a malformed uuid would abort a PostgreSQL transaction. */
export function validKey(schema: any, collection: string, key: unknown): boolean {
	if (key === null || key === undefined || key === '' || typeof key === 'object') return false;
	const pk = schema?.collections?.[collection]?.primary ?? 'id';
	const type = schema?.collections?.[collection]?.fields?.[pk]?.type;
	if (type === 'uuid') return UUID.test(String(key));
	if (type === 'integer' || type === 'bigInteger') return /^\d+$/.test(String(key));
	return true;
}

/** The id of an m2o value, which may arrive as the key or as {id}. */
const refKey = (v: unknown): unknown => (v && typeof v === 'object' && 'id' in (v as Row) ? (v as Row).id : v);

/**
 * DATE columns as Directus stores them: Directus turns 'YYYY-MM-DD' into a local-midnight Date,
 * which SQLite keeps as epoch milliseconds and pg/mysql as a date (read back as a local-midnight
 * Date). Reads are normalised to 'YYYY-MM-DD'; comparisons bind the same representation.
 */
export function dateKey(v: unknown): string | null {
	if (v === null || v === undefined || v === '') return null;
	const p = (n: number) => String(n).padStart(2, '0');
	const local = (d: Date) => `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
	if (v instanceof Date) return local(v);
	if (typeof v === 'number' || /^\d{9,}$/.test(String(v))) return local(new Date(Number(v)));
	return String(v).slice(0, 10);
}

const isSqlite = (knex: Knex) => String((knex as any).client?.config?.client ?? '').includes('sqlite');

/** A 'YYYY-MM-DD' bound for a DATE column, in the column's representation. */
export function dateParam(knex: Knex, key: string): string | Date {
	if (!isSqlite(knex)) return key;
	const [y, m, d] = key.split('-').map(Number);
	return new Date(y, m - 1, d);
}

/** Timestamps: Date (pg, mysql), epoch ms (SQLite) or ISO text. */
const instant = (v: unknown): string | null => {
	if (v === null || v === undefined || v === '') return null;
	const d = v instanceof Date ? v : new Date(typeof v === 'number' || /^\d{9,}$/.test(String(v)) ? Number(v) : String(v));
	return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
};

const zoneOf = (settings: Settings) => String((settings.calendar as any)?.zone ?? DEFAULT_ZONE);

/**
 * Writes of the register that follow from an event: attributed to the acting user in Directus
 * revisions, but not subject to the user's own update permission (a Quality inspector may not
 * edit the register, yet accepting an item moves it to store). Hooks are not run again.
 */
function derivedService(services: any, collection: string, ctx: Ctx) {
	const accountability = ctx.accountability ? { ...ctx.accountability, admin: true } : null;
	return new services.ItemsService(collection, { knex: ctx.database, schema: ctx.schema, accountability });
}

async function registerFacts(knex: Knex, schema: any, line: Row, selfId?: unknown): Promise<RegisterFacts> {
	const customer = line.customer;
	let customerExists = true;
	if (customer !== null && customer !== undefined && typeof customer !== 'object') {
		customerExists = validKey(schema, 'cp_customers', customer) && Boolean(await knex('cp_customers').where('id', customer).first('id'));
	}
	let codeTakenBy: unknown = null;
	if (typeof line.code === 'string' && line.code.trim() !== '') {
		const q = knex('cp_property').where('code', line.code.trim());
		if (selfId !== undefined) q.whereNot('id', selfId as any);
		codeTakenBy = (await q.first('id'))?.id ?? null;
	}
	let contractCustomer: string | number | null | undefined;
	const contract = refKey(line.contract);
	if (contract !== null && contract !== undefined && typeof contract !== 'object') {
		const row = validKey(schema, 'cp_contracts', contract) ? await knex('cp_contracts').where('id', contract).first('customer') : null;
		contractCustomer = row ? row.customer : null;
	}
	return { customerExists, codeTakenBy: codeTakenBy as any, contractCustomer };
}

// ------------------------------------------------------------------------------- events

async function recordEvent(services: any, payload: Row, ctx: Ctx, now = clock.now()): Promise<Row> {
	const trx = ctx.database;
	const settings = await loadSettings(trx, ctx.accountability);
	const actor = actorFrom(ctx.accountability, settings);
	const propertyId = payload.property;
	if (propertyId && typeof propertyId === 'object') {
		throw new DomainError('CP_INVALID_VALUE', 'property must be the id of a register line; the line itself changes only through its events', {
			field: 'property',
		});
	}
	if (propertyId === undefined || propertyId === null || propertyId === '') {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'property is required: the register line this event belongs to', { field: 'property' });
	}
	const item = validKey(ctx.schema, 'cp_property', propertyId) ? await lockRow<Row>(trx as Knex.Transaction, 'cp_property', propertyId) : undefined;
	// A line hidden from this viewer answers exactly like one that does not exist.
	if (!item || !canSeeKind(actor, item.kind)) {
		throw new DomainError('CP_INVALID_VALUE', `property '${String(propertyId)}' is not in the register`, { field: 'property' });
	}

	let details = payload.details;
	if (typeof details === 'string') {
		try {
			details = JSON.parse(details);
		} catch {
			throw new DomainError('CP_INVALID_VALUE', 'details must be a JSON object', { field: 'details' });
		}
	}
	// PR-6: the open problem's events (since the last disposition), for its isolation.
	const episode = item.status === 'blocked' && payload.type === 'disposition' ? await openEpisode(trx, item.id) : [];
	const evidence = refKey(payload.evidence);
	const evidenceFileExists =
		evidence === null || evidence === undefined || evidence === ''
			? undefined
			: validKey(ctx.schema, 'directus_files', evidence) &&
				Boolean(
					await trx('directus_files')
						.where('id', evidence as any)
						.first('id'),
				);
	const plan = planEvent(
		{ ...item, name: item.name, kind: item.kind as PropertyKind, status: item.status },
		{ ...payload, type: String(payload.type ?? ''), details },
		{
			now,
			zone: zoneOf(settings),
			checkIntervalMonths: Number(settings.check_interval_months ?? 6),
			actor,
			// Only a problem report blocks an item and only a disposition unblocks it (PR-6).
			problemOpen: item.status === 'blocked',
			episode,
			evidenceFileExists,
		},
	);

	// Concurrent events on one line: the row is locked (pg, mysql) or the writer is single
	// (SQLite); the conditional status write still refuses a change behind our back.
	const claimed = plan.to === plan.from ? 1 : await trx('cp_property').where({ id: item.id, status: plan.from }).update({ status: plan.to });
	if (claimed !== 1) {
		throw new DomainError('CP_ILLEGAL_TRANSITION', `${item.code} changed while this event was recorded; reload and try again`, { field: 'status' });
	}
	const change: Row = { ...plan.register };
	if (plan.to !== plan.from) change.status = plan.to;
	if (Object.keys(change).length) await derivedService(services, 'cp_property', ctx).updateOne(item.id, change, { emitEvents: false });
	const audit = [
		{
			collection: 'cp_property',
			item: item.id,
			action: plan.to !== plan.from ? 'transition' : 'update',
			from_status: plan.from,
			to_status: plan.to,
			data: { event: payload.type, fields: Object.keys(change) },
		},
	];

	if (plan.feedbackToCustomer) {
		// PR-3: a rejected item goes back; Sales tells the customer why (a quality information record).
		const key = await derivedService(services, 'cp_communications', ctx).createOne(
			{
				customer: refKey(item.customer),
				contract: refKey(item.contract) ?? null,
				type: 'quality_info',
				occurred_at: now.toISOString(),
				// The contact log is read by every department: a confidential item is not named there (PR-1).
				summary: (isRestricted(item.kind)
					? '进货检验拒收 Incoming inspection rejected: 保密顾客财产 confidential customer property'
					: `进货检验拒收 Incoming inspection rejected: ${item.code} ${item.name}`
				).slice(0, 255),
				findings: String(payload.note ?? ''),
				follow_up: '销售部将拒收原因反馈顾客并安排退回 Sales informs the customer and arranges the return',
				dedupe_key: `property-rejected:${item.id}`,
			},
			{ emitEvents: false },
		);
		audit.push({
			collection: 'cp_communications',
			item: key,
			action: 'create',
			from_status: plan.from,
			to_status: plan.to,
			data: { event: 'inspection', fields: ['type'] },
		});
	}

	const notify = departmentsToNotify(String(payload.type), payload.result, item.kind);
	if (notify.length) {
		const problem = String((plan.event.details as Row)?.problem_type ?? '');
		const subject = plan.problemReported
			? payload.type === 'check'
				? `顾客财产问题 Customer property problem: ${item.code} 定期检查异常 check not OK`
				: `顾客财产问题 Customer property problem: ${item.code} ${PROBLEM_LABELS[problem] ?? problem}`
			: `顾客财产拒收 Customer property rejected: ${item.code}`;
		await notifyDepartments(
			trx,
			settings,
			notify,
			{
				subject,
				message: plan.problemReported
					? `${item.code} ${item.name}: ${String(payload.note ?? '')}\n\n使用已停止并隔离。销售部填写《顾客财产问题报告单》报告顾客 (/cp/property/${item.id}/problem-report),并记录顾客处置意见。\nUse is stopped and the item isolated. Sales sends the problem report to the customer and records the decision (PR-6).`
					: `${item.code} ${item.name}: ${String(payload.note ?? '')}\n\n请将拒收原因反馈顾客 (PR-3). Please feed the rejection back to the customer.`,
				collection: 'cp_property',
				item: item.id,
			},
			now,
		);
	}
	await appendAudit(trx, actor, audit, now);

	return { ...payload, ...plan.event, property: item.id };
}

/** PR-6: the problem reports and abnormal checks recorded since the item's last disposition, in order. */
async function openEpisode(trx: Knex, property: unknown): Promise<EpisodeEvent[]> {
	const rows: Row[] = await trx('cp_property_events')
		.where('property', property as any)
		.whereIn('type', ['problem', 'check', 'disposition'])
		.orderBy('date_created')
		.orderBy('id')
		.select('type', 'result', 'to_location', 'occurred_at', 'details');
	const episode: EpisodeEvent[] = [];
	for (const r of rows) {
		if (r.type === 'disposition') episode.length = 0;
		else if (startsProblemPath(r.type, r.result))
			episode.push({ type: r.type, result: r.result, to_location: r.to_location, occurred_at: r.occurred_at, details: parseJson(r.details, null) });
	}
	return episode;
}

// ------------------------------------------------------------------------------- periodic checks (PR-5)

export interface CheckDue {
	id: string | number;
	code: string;
	name: string;
	kind: string;
	status: string;
	location: string | null;
	next_check_due: string | null;
	notified_for: string | null;
	custodians: string[];
}

const notNotified = (q: Knex.QueryBuilder) => q.whereNull('check_notified_for').orWhereRaw('?? <> ??', ['check_notified_for', 'next_check_due']);

/** Items whose periodic check is due on or before `until` (a local date). */
export async function checksDue(knex: Knex, viewer: ActorInfo, until: string, settings: Settings = {}): Promise<CheckDue[]> {
	const custodians = processDepartments(settings).custodians;
	const hidden = hiddenKinds(viewer);
	const q = knex('cp_property')
		.whereIn('status', HELD_STATUSES)
		.whereNotNull('next_check_due')
		.where('next_check_due', '<=', dateParam(knex, until))
		.orderBy('next_check_due')
		.orderBy('code')
		.select('id', 'code', 'name', 'kind', 'status', 'location', 'next_check_due', 'check_notified_for');
	if (hidden.length) q.whereNotIn('kind', hidden);
	const rows = await q;
	return rows.map((r: Row) => ({
		id: r.id,
		code: r.code,
		name: r.name,
		kind: r.kind,
		status: r.status,
		location: r.location ?? null,
		next_check_due: dateKey(r.next_check_due),
		notified_for: dateKey(r.check_notified_for),
		custodians: custodianDepartments(r.kind, custodians),
	}));
}

/** Due checks claimed per transaction by the job. */
const CHECKS_BATCH = 200;

/**
 * Notifies the custodians of every item whose check fell due, exactly once per item and due
 * date: the claim is a conditional update (check_notified_for := next_check_due) that only one
 * run of one instance can win, in the same transaction as the notifications it sends. Claimed
 * in batches (issue 14: a few ms per due item, not a transaction each): a locking read of the
 * batch's items still unclaimed, one UPDATE, one INSERT of the notifications; a second
 * instance's locking read waits and then no longer finds them unclaimed.
 */
export async function runPropertyChecks(
	knex: Knex,
	now = clock.now(),
): Promise<{ today: string; notified: { id: unknown; code: string; due: string | null; recipients: number }[] }> {
	const settings = await loadSettings(knex);
	const today = localDateKey(now, zoneOf(settings));
	const due = (q: Knex.QueryBuilder, k: Knex) =>
		q.whereIn('status', HELD_STATUSES).whereNotNull('next_check_due').where('next_check_due', '<=', dateParam(k, today)).where(notNotified);
	// Only what is due and not yet announced: the cost follows the due checks, not the register.
	const candidates: Row[] = await due(knex('cp_property'), knex).select('id', 'code', 'name', 'kind', 'location');
	// who keeps and checks each kind is the company's setting; their people read once per run.
	const custodians = processDepartments(settings).custodians;
	const usersOf = new Map<string, Promise<string[]>>();
	const recipientsOf = (kind: string) => {
		const departments = custodianDepartments(kind, custodians);
		const key = [...departments].sort().join(',');
		if (!usersOf.has(key)) usersOf.set(key, usersOfDepartments(knex, settings, departments));
		return usersOf.get(key)!;
	};
	const notified: { id: unknown; code: string; due: string | null; recipients: number }[] = [];
	for (let i = 0; i < candidates.length; i += CHECKS_BATCH) {
		const batch = candidates.slice(i, i + CHECKS_BATCH);
		// Recipients first, outside the claim: the transaction holds its locks only for its writes.
		const recipients = await Promise.all(batch.map((c) => recipientsOf(String(c.kind))));
		const won = await knex.transaction(async (trx) => {
			const lock = due(
				trx('cp_property').whereIn(
					'id',
					batch.map((c) => c.id),
				),
				trx,
			);
			if (!isSqlite(trx)) lock.forUpdate();
			const claimed = new Map<string, unknown>((await lock.select('id', 'next_check_due')).map((r: Row) => [String(r.id), r.next_check_due]));
			if (!claimed.size) return [];
			await due(trx('cp_property').whereIn('id', [...claimed.keys()]), trx).update({ check_notified_for: trx.ref('next_check_due') });
			const out = batch.flatMap((c, k) => (claimed.has(String(c.id)) ? [{ c, due: dateKey(claimed.get(String(c.id))), users: recipients[k]! }] : []));
			const notes = out.flatMap(({ c, due: day, users }) =>
				users.map((recipient) => ({
					timestamp: now,
					status: 'inbox',
					recipient,
					sender: null,
					subject: `顾客财产定期检查到期 Customer property check due: ${c.code} (${day})`.slice(0, 255),
					message: `${c.code} ${c.name} (${KIND_LABELS[c.kind] ?? c.kind}), ${c.location ?? ''}\n\n每半年检查一次并做好记录 (PR-5): record a 'check' event with the result.`,
					collection: 'cp_property',
					item: String(c.id),
				})),
			);
			for (let k = 0; k < notes.length; k += CHECKS_BATCH) await trx('directus_notifications').insert(notes.slice(k, k + CHECKS_BATCH));
			return out;
		});
		for (const { c, due: day, users } of won) notified.push({ id: c.id, code: c.code, due: day, recipients: users.length });
	}
	return { today, notified };
}

// ------------------------------------------------------------------------------- hooks

export function registerProperty(api: HookApi): void {
	const { filter, schedule, database, logger, env, services } = api;

	// PR-1, PR-2, PR-8: a register line is complete, unique, and starts as expected.
	filter(
		'cp_property.items.create',
		translated(async (payload: Row, _meta: unknown, ctx: Ctx) => {
			const settings = await loadSettings(ctx.database, ctx.accountability);
			const actor = actorFrom(ctx.accountability, settings);
			if ((PROPERTY_KINDS as readonly string[]).includes(payload.kind)) assertCanSee(actor, payload.kind);
			const line = { ...payload, customer: refKey(payload.customer), code: typeof payload.code === 'string' ? payload.code.trim() : payload.code };
			assertRegistration(line, await registerFacts(ctx.database, ctx.schema, line));
			return { ...payload, code: line.code, status: 'expected' };
		}),
	);

	// Status and the check dates only change through events; the rest stays editable.
	filter(
		'cp_property.items.update',
		translated(async (payload: Row, meta: { keys?: unknown[] }, ctx: Ctx) => {
			const settings = await loadSettings(ctx.database, ctx.accountability);
			const actor = actorFrom(ctx.accountability, settings);
			if (actor.system) return payload;
			for (const key of meta.keys ?? []) {
				const current = await ctx
					.database('cp_property')
					.where('id', key as any)
					.first();
				if (!current) continue;
				// Directus's answer for a key that does not exist: a hidden line is not named.
				if (!canSeeKind(actor, current.kind)) throw missingItemError('update', 'cp_property', Object.keys(payload));
				if ((PROPERTY_KINDS as readonly string[]).includes(payload.kind)) assertCanSee(actor, payload.kind);
				const merged = { ...current, ...payload, customer: refKey(payload.customer ?? current.customer) };
				const facts = await registerFacts(
					ctx.database,
					ctx.schema,
					{
						customer: 'customer' in payload ? merged.customer : null,
						code: 'code' in payload ? merged.code : null,
						contract: 'contract' in payload || 'customer' in payload ? merged.contract : null,
					},
					key,
				);
				// Compare the event-kept dates in one representation, whatever the database returned.
				const asRead = {
					...current,
					next_check_due: dateKey(current.next_check_due),
					check_notified_for: dateKey(current.check_notified_for),
					last_check_at: instant(current.last_check_at),
				};
				assertRegisterEdit(asRead, payload, facts, actor);
			}
			return payload;
		}),
	);

	filter(
		'cp_property_events.items.create',
		translated(async (payload: Row, _meta: unknown, ctx: Ctx) => recordEvent(services, payload, ctx)),
	);

	// PR-1: reads of personal data and IP are narrowed and audited in services/confidential.ts.

	const purge = cachePurger(api);
	schedule(String(env.CP_PROPERTY_CHECKS_CRON ?? '*/30 * * * *'), async () => {
		try {
			const { notified } = await runPropertyChecks(database);
			// check_notified_for is written with knex: drop cached reads of those items.
			if (notified.length) await purge();
			if (notified.length) logger.info(`[customer-processes] property checks due: notified ${notified.map((n) => n.code).join(', ')}`);
		} catch (e) {
			logger.error(e, '[customer-processes] property check job failed');
		}
	});
}
