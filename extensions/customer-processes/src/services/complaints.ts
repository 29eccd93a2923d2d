// Complaints and customer communication adapter (CP-1..CP-7, CC-1..CC-4): hooks and scheduled
// jobs. Thin: load facts, ask src/domain, write in one transaction.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { HookApi } from './contract-review';
import { actorFrom, loadSettings, type Accountability, type ActorInfo, type Settings } from './context';
import { appendAudit } from './audit';
import { translated } from './errors';
import { cachePurger } from './cache';
import { atOrAfter, atOrBefore, dialectOf } from './db';
import { assignNumber } from './numbering';
import { takeGuardedRows } from './guarded-rows';
import { directusMailer, type Mail, type Mailer } from './notify';
import { DomainError } from '../domain/errors';
import { isBreached } from '../domain/complaints/clock';
import { COMPLAINT_OPEN_STATUSES } from '../domain/complaints/complaint-status';
import { assertTextBounds, calendarFrom, parseInstant, TEXT_LIMITS } from '../domain/complaints/intake';
import {
	ACTION_OPEN_STATUSES,
	actionAlert,
	assertNoDuplicateComplaint,
	GUARD_DEPARTMENTS,
	intakeDedupeKey,
	isActionSource,
	planActionCreation,
	planActionUpdate,
	planComplaintUpdate,
	complaintUpdateNeedsActions,
	planIntake,
	type PlannedAudit,
	type PlannedTransition,
} from '../domain/complaints/lifecycle';
import { assertContractRef, assertCustomerRef, assertUserRef, recordKey } from '../domain/complaints/references';
import {
	assertChannel,
	COMMUNICATION_TEXT_LIMITS,
	planCommunicationUpdate,
	planSurveyCreation,
	surveyCreationKey,
	surveyTemplate,
	surveyKey,
} from '../domain/communication/communication';
import { assertSurveyCadence, surveyPeriodKey } from '../domain/schedule/periods';
import * as clock from './clock';
import { processDepartments } from '../domain/process-departments';

type FilterCtx = { database: Knex; accountability: Accountability | null };

// ---------------------------------------------------------------- small helpers shared with /cp

/** Timestamps come back as Date (pg, mysql), epoch ms (SQLite through Directus) or ISO text. */
export function toDate(v: unknown): Date | null {
	if (v === null || v === undefined || v === '') return null;
	if (v instanceof Date) return v;
	if (typeof v === 'number') return new Date(v);
	if (typeof v === 'string' && /^\d+$/.test(v)) return new Date(Number(v));
	const d = new Date(String(v));
	return Number.isNaN(d.getTime()) ? null : d;
}

export const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';
/** JSON columns: text on SQLite/MariaDB, parsed on PostgreSQL; always write strings so pg never sees a JS array. */
export const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

// ---------------------------------------------------------------- facts the domain decides on

/**
 * Whether `v` names a record of `table` (a key of the wrong type for the column names none).
 * Such a failed lookup aborts a PostgreSQL transaction, so once a reference is missing (the plan
 * refuses it) the adapters look nothing further up.
 */
async function exists(knex: Knex, table: string, v: unknown): Promise<boolean> {
	const id = recordKey(v);
	if (!id) return false;
	return !!(await knex(table)
		.where('id', id)
		.first('id')
		.catch(() => null));
}

/** The contract `v` names, with its customer, or null. */
async function contractOf(knex: Knex, v: unknown): Promise<{ customer?: unknown } | null> {
	const id = recordKey(v);
	if (!id) return null;
	return (
		(await knex('cp_contracts')
			.where('id', id)
			.first('id', 'customer')
			.catch(() => null)) ?? null
	);
}

/** The complaint already recorded under a duplicate key (other than `selfId`), or null. */
async function complaintByDedupeKey(knex: Knex, key: string | null, selfId?: string): Promise<{ id: unknown; code: unknown } | null> {
	if (!key) return null;
	const q = knex('cp_complaints').where('dedupe_key', key);
	if (selfId) q.whereNot('id', selfId);
	return (await q.first('id', 'code')) ?? null;
}

const departmentKeys = (settings: Settings) => Object.keys(settings.departments ?? {});
const zoneOf = (settings: Settings) => calendarFrom(settings.calendar).zone;
const privileged = (actor: ActorInfo) => actor.system || actor.isAdmin;

// ---------------------------------------------------------------- complaints (CP-1, CP-2, CP-4..CP-6)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The intake's reference and duplicate checks. With a customer key of the column's shape (a key
 * that cannot fail the lookup) and no contract, one statement answers both (issue 14): the
 * customer's row with the complaint already recorded under the duplicate key joined to it.
 * Otherwise one lookup after the other, each only once the previous found its record.
 */
async function intakeFacts(knex: Knex, payload: Record<string, any>, dedupeKey: string | null) {
	const customer = recordKey(payload.customer);
	if (customer && UUID.test(customer) && !recordKey(payload.contract)) {
		const q = knex('cp_customers as c').where('c.id', customer);
		const row: Record<string, unknown> | undefined = dedupeKey
			? await q.leftJoin('cp_complaints as d', (j) => j.onVal('d.dedupe_key', '=', dedupeKey)).first('c.id', 'd.id as dup_id', 'd.code as dup_code')
			: await q.first('c.id');
		const duplicate = row && row.dup_id !== null && row.dup_id !== undefined ? { id: row.dup_id, code: row.dup_code } : null;
		return { customerExists: Boolean(row), contract: null, duplicate };
	}
	const customerExists = await exists(knex, 'cp_customers', payload.customer);
	const contract = customerExists ? await contractOf(knex, payload.contract) : null;
	const referencesFound = customerExists && (contract || !recordKey(payload.contract));
	return { customerExists, contract, duplicate: referencesFound ? await complaintByDedupeKey(knex, dedupeKey) : null };
}

export async function complaintIntake(knex: Knex, payload: Record<string, any>, actor: ActorInfo, settings: Settings, now = new Date()) {
	const zone = zoneOf(settings);
	const { customerExists, contract, duplicate } = await intakeFacts(knex, payload, intakeDedupeKey(payload, { now, zone }));
	const plan = planIntake(payload, {
		now,
		departments: departmentKeys(settings),
		zone,
		deadlines: settings,
		customerExists,
		contract,
		duplicate,
	});
	// Numbered last, so the settings row (the counter) is locked for as short a time as possible.
	const write: Record<string, any> = {
		...plan.write,
		code: await assignNumber(knex, 'complaint', plan.numberCode ? null : payload.code, plan.receivedAt, settings),
	};
	return write;
}

export async function linkedActions(knex: Knex, complaintId: string) {
	return knex('cp_actions')
		.where({ source_collection: 'cp_complaints', source_id: String(complaintId) })
		.select('id', 'status', 'title', 'owner', 'due_at', 'done_at', 'department');
}

/**
 * A staff write of the feedback handling form (the generic guard already asked the policy): loads
 * the complaint and its actions, asks the domain's plan, checks the new identity against the
 * database, and writes the transition with its audit entry.
 */
export async function complaintUpdate(
	knex: Knex,
	keys: (string | number)[],
	payload: Record<string, any>,
	actor: ActorInfo,
	settings: Settings,
	now = clock.now(),
	scope: object | null = null,
) {
	// The write guard read these rows a moment ago in the same write (services/policy.ts).
	const rows: Record<string, any>[] = takeGuardedRows(scope, 'cp_complaints', keys) ?? (await knex('cp_complaints').whereIn('id', keys.map(String)).select());
	const plans = [];
	for (const row of rows) {
		if (Object.hasOwn(payload, 'customer')) assertCustomerRef(payload.customer, await exists(knex, 'cp_customers', payload.customer));
		if (Object.hasOwn(payload, 'contract') || Object.hasOwn(payload, 'customer')) {
			const contract = payload.contract ?? row.contract;
			assertContractRef(contract, await contractOf(knex, contract), String(payload.customer ?? row.customer));
		}
		const plan = planComplaintUpdate(row, payload, {
			now,
			actor: { departments: actor.departments, privileged: privileged(actor) },
			// Only a move whose gate looks at them (closing, CP-3) reads the actions (issue 14).
			actions: complaintUpdateNeedsActions(row, payload) ? await linkedActions(knex, String(row.id)) : [],
			departments: departmentKeys(settings),
			// who takes each step is the company's setting.
			movers: processDepartments(settings).complaint,
			zone: zoneOf(settings),
			deadlines: settings,
		});
		if (plan.dedupeKey) assertNoDuplicateComplaint(await complaintByDedupeKey(knex, plan.dedupeKey, String(row.id)));
		plans.push({ row, plan });
	}
	if (!plans.length) return payload;
	const write = sharedWrite(plans.map((p) => p.plan));
	for (const { row, plan } of plans) {
		if (plan.transition) await commitTransition(knex, 'cp_complaints', String(row.id), plan.transition, plan.audit, actor, now);
	}
	return write;
}

/** Timestamps a plan returns as ISO text; written as Date so each driver stores its own format. */
const DATE_FIELDS = ['responded_at', 'verified_at', 'done_at', 'due_at', 'reminded_at', 'escalated_at'];

/** One payload for every record of the request: a plan with a record's own stamps goes one at a time. */
function sharedWrite(plans: { write: Record<string, unknown> }[]): Record<string, unknown> {
	const first = plans[0]!.write;
	if (plans.some((p) => JSON.stringify(p.write) !== JSON.stringify(first))) {
		throw new DomainError('CP_ONE_AT_A_TIME', "Change one record at a time; each record's step is checked and recorded on its own");
	}
	return first;
}

/**
 * Writes the transition and its audit entry in one transaction, before Directus writes the
 * (identical) request: Directus records an update's audit only after its commit, and a process
 * killed in between would leave a complaint closed with no trace of who closed it. The
 * conditional update also refuses a concurrent transition of the same record. Inside a batch of
 * items (PATCH array, import) `knex` is the batch's transaction, so a later refused item undoes it.
 */
async function commitTransition(
	knex: Knex,
	collection: 'cp_complaints' | 'cp_actions',
	id: string,
	transition: PlannedTransition,
	audit: PlannedAudit[],
	actor: ActorInfo,
	now: Date,
) {
	const change: Record<string, unknown> = { date_updated: now };
	for (const [f, v] of Object.entries(transition.change)) {
		change[f] =
			DATE_FIELDS.includes(f) && typeof v === 'string' ? new Date(v) : v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
	}
	await knex.transaction(async (trx) => {
		const n = await trx(collection).where({ id, status: transition.from }).update(change);
		if (n !== 1) {
			const what = collection === 'cp_complaints' ? 'complaint' : 'action';
			throw new DomainError('CP_ILLEGAL_TRANSITION', `The ${what} changed meanwhile (it is no longer '${transition.from}'); reload and try again`, {
				field: 'status',
			});
		}
		await appendAudit(
			trx,
			actor,
			audit.map((a) => ({ collection, item: id, ...a })),
			now,
		);
	});
}

// ---------------------------------------------------------------- corrective actions (CP-3)

export async function actionCreate(knex: Knex, input: Record<string, any>, actor: ActorInfo, settings: Settings, now = new Date()) {
	const payload = linkComplaint(input);
	const ownerExists = await exists(knex, 'directus_users', payload.owner);
	const source = ownerExists && isActionSource(payload.source_collection) ? recordKey(payload.source_id) : null;
	const plan = planActionCreation(payload, {
		now,
		departments: departmentKeys(settings),
		ownerExists,
		source: source
			? ((await knex(payload.source_collection)
					.where('id', source)
					.first()
					.catch(() => null)) ?? null)
			: null,
	});
	return { ...plan.write, ...(payload.complaint ? { complaint: payload.complaint } : {}) };
}

/**
 * The complaint picker of the actions form (issue #12) and the source pair name the same link:
 * either one fills the other, so the complaint's page lists its actions and the rules keep reading
 * source_collection/source_id.
 */
function linkComplaint(payload: Record<string, any>): Record<string, any> {
	const picked = payload.complaint && typeof payload.complaint === 'object' ? payload.complaint.id : payload.complaint;
	if (picked && !payload.source_collection) return { ...payload, complaint: picked, source_collection: 'cp_complaints', source_id: String(picked) };
	if (!picked && payload.source_collection === 'cp_complaints' && payload.source_id) return { ...payload, complaint: String(payload.source_id) };
	return payload;
}

/** A write of corrective actions: each record's plan (CP-3), its transition written with the audit entry. */
export async function actionUpdate(
	knex: Knex,
	keys: (string | number)[],
	payload: Record<string, any>,
	actor: ActorInfo,
	settings: Settings,
	now = new Date(),
) {
	if (Object.hasOwn(payload, 'owner')) assertUserRef(payload.owner, await exists(knex, 'directus_users', payload.owner), 'owner');
	const rows: Record<string, any>[] = await knex('cp_actions').whereIn('id', keys.map(String)).select();
	const plans = rows.map((row) => ({
		row,
		plan: planActionUpdate(row, payload, {
			now,
			actor: { departments: actor.departments, privileged: privileged(actor), system: actor.system },
			departments: departmentKeys(settings),
		}),
	}));
	if (!plans.length) return payload;
	const write = sharedWrite(plans.map((p) => p.plan));
	for (const { row, plan } of plans) {
		if (plan.transition) await commitTransition(knex, 'cp_actions', String(row.id), plan.transition, plan.audit, actor, now);
	}
	return write;
}

// ---------------------------------------------------------------- communication (CC-1..CC-4)

export async function communicationCreate(knex: Knex, payload: Record<string, any>, actor: ActorInfo, settings: Settings, now = new Date()) {
	const facts = { now, zone: zoneOf(settings), cadenceMonths: settings.survey_cadence_months ?? 3 };
	const key = surveyCreationKey(payload, facts);
	const customerExists = await exists(knex, 'cp_customers', payload.customer);
	const contract = customerExists ? await contractOf(knex, payload.contract) : null;
	const referencesFound = customerExists && (contract || !recordKey(payload.contract));
	const plan = planSurveyCreation(payload, {
		...facts,
		template: surveyTemplate(settings.survey_template),
		customerExists,
		contract,
		duplicate: key && referencesFound ? ((await knex('cp_communications').where('dedupe_key', key).first('id')) ?? null) : null,
	});
	return plan.write;
}

/** A write of log entries or surveys: each record's plan (CC-1, CC-4); a survey answered by staff is audited. */
export async function communicationUpdate(
	knex: Knex,
	keys: (string | number)[],
	payload: Record<string, any>,
	actor: ActorInfo,
	settings: Settings,
	now = new Date(),
) {
	assertTextBounds(payload, COMMUNICATION_TEXT_LIMITS);
	assertChannel(payload.channel);
	if (Object.hasOwn(payload, 'occurred_at')) parseInstant(payload.occurred_at, 'occurred_at', { now, notInFuture: true });
	const rows: Record<string, any>[] = await knex('cp_communications').whereIn('id', keys.map(String)).select();
	if (Object.hasOwn(payload, 'customer') && rows.some((r) => r.type !== 'survey'))
		assertCustomerRef(payload.customer, await exists(knex, 'cp_customers', payload.customer));
	const template = surveyTemplate(settings.survey_template);
	const plans = rows.map((row) => ({ row, plan: planCommunicationUpdate(row, payload, { now, template }) }));
	if (!plans.length) return payload;
	const write = sharedWrite(plans.map((p) => p.plan));
	const audit = plans.flatMap(({ row, plan }) => plan.audit.map((a) => ({ collection: 'cp_communications', item: String(row.id), ...a })));
	// The answer is the survey's transition: claimed on the status read, recorded with its author.
	if (audit.length) {
		await knex.transaction(async (trx) => {
			for (const { row, plan } of plans) {
				if (!plan.audit.length) continue;
				const change = Object.fromEntries(
					['survey_status', 'score', 'answers', 'occurred_at']
						.filter((f) => Object.hasOwn(plan.write, f))
						.map((f) => [f, f === 'answers' ? json(plan.write[f]) : f === 'occurred_at' ? toDate(plan.write[f]) : plan.write[f]]),
				);
				const n = await trx('cp_communications')
					.where({ id: row.id, survey_status: row.survey_status })
					.update({ ...change, date_updated: now });
				if (n !== 1) throw new DomainError('CP_ILLEGAL_TRANSITION', 'The survey changed meanwhile; reload and try again', { field: 'survey_status' });
			}
			await appendAudit(trx, actor, audit, now);
		});
	}
	return write;
}

// ---------------------------------------------------------------- scheduled jobs

export interface TickResult {
	response_breached: string[];
	resolution_breached: string[];
	reminded: string[];
	escalated: string[];
	notifications: number;
}

/** Due items claimed per transaction by the tick. */
const TICK_BATCH = 200;
type Row = Record<string, any>;

const SYSTEM_ACTOR: ActorInfo = { userId: null, isAdmin: true, departments: [], system: true };

const notBreached = (field: string) => (q: Knex.QueryBuilder) => q.where(field, false).orWhereNull(field);

async function usersOfDepartment(knex: Knex, settings: Settings, dept: string | null | undefined): Promise<string[]> {
	const role = dept ? settings.departments?.[dept] : undefined;
	if (!role) return [];
	const rows = await knex('directus_users').where({ role, status: 'active' }).select('id');
	return rows.map((r: { id: string }) => String(r.id));
}

/**
 * Deadline watch (CP-3, CP-4), safe on every instance and every minute: each breach flag,
 * reminder and escalation is claimed by a conditional UPDATE, and only the instance whose
 * UPDATE changed the row writes the audit entry and the notifications, in the same transaction.
 */
export async function complaintsTick(knex: Knex, opts: { now?: Date; reminderLeadHours?: number; mailer?: Mailer } = {}): Promise<TickResult> {
	const now = opts.now ?? clock.now();
	const mails: Mail[] = [];
	const leadMs = (opts.reminderLeadHours ?? 24) * 3_600_000;
	const settings = await loadSettings(knex);
	const result: TickResult = { response_breached: [], resolution_breached: [], reminded: [], escalated: [], notifications: 0 };

	for (const [kind, dueField, flag] of [
		['response', 'response_due_at', 'response_breached'],
		['resolution', 'resolution_due_at', 'resolution_breached'],
	] as const) {
		// The open statuses named (not `<> 'closed'`) and the due time compared on the column itself:
		// services/indexes.ts's watch indexes then read only the rows still unflagged and due.
		const q = knex('cp_complaints').whereIn('status', COMPLAINT_OPEN_STATUSES).whereNotNull(dueField).where(notBreached(flag));
		if (kind === 'response') q.whereNull('responded_at');
		// Only what is due: the cost follows the breaches, not the size of the table.
		atOrBefore(knex, q, dueField, now);
		const candidates = (await q.select('id', 'code', dueField)).filter((c: Row) => isBreached(toDate(c[dueField]), now));
		// Claimed in batches (issue 14: a few ms per due item, not a transaction each): the due rows
		// are locked, flagged by one UPDATE and audited by one INSERT in one transaction; a second
		// instance's locking read waits and then no longer finds them unflagged.
		for (let i = 0; i < candidates.length; i += TICK_BATCH) {
			const batch = candidates.slice(i, i + TICK_BATCH);
			await knex.transaction(async (trx) => {
				const claim = () => {
					const c = trx('cp_complaints')
						.whereIn(
							'id',
							batch.map((c: Row) => c.id),
						)
						.where(notBreached(flag));
					if (kind === 'response') c.whereNull('responded_at');
					return c;
				};
				const lock = claim();
				if (dialectOf(trx) !== 'sqlite') lock.forUpdate();
				const ids = new Set((await lock.pluck('id')).map(String));
				if (!ids.size) return;
				await trx('cp_complaints')
					.whereIn('id', [...ids])
					.update({ [flag]: true });
				const claimed = batch.filter((c: Row) => ids.has(String(c.id)));
				await appendAudit(
					trx,
					SYSTEM_ACTOR,
					claimed.map((c: Row) => ({
						collection: 'cp_complaints',
						item: c.id,
						action: `${kind}_breached`,
						data: { due_at: toDate(c[dueField])?.toISOString() },
					})),
					now,
				);
				(kind === 'response' ? result.response_breached : result.resolution_breached).push(...claimed.map((c: Row) => c.code));
			});
		}
	}

	// Not yet reminded (due within the lead), or not yet escalated and past due: nothing else is read.
	// Two reads, each a range of its own index (services/indexes.ts); as one OR, MariaDB read every open
	// or overdue action through the status index.
	const openActions = () => knex('cp_actions').whereIn('status', ACTION_OPEN_STATUSES).whereNotNull('due_at');
	const actionColumns = ['id', 'title', 'owner', 'department', 'status', 'due_at', 'reminded_at', 'escalated_at', 'source_collection', 'source_id'];
	const toRemind: Row[] = await atOrBefore(
		knex,
		atOrAfter(knex, openActions().whereNull('reminded_at'), 'due_at', now),
		'due_at',
		new Date(now.getTime() + leadMs),
	).select(actionColumns);
	const toEscalate: Row[] = await atOrBefore(knex, openActions().whereNull('escalated_at'), 'due_at', now).select(actionColumns);
	const actions = [...new Map([...toRemind, ...toEscalate].map((a) => [String(a.id), a])).values()];
	const due = actions
		.map((a: Row) => ({
			a,
			alert: actionAlert({ status: a.status, dueAt: toDate(a.due_at), remindedAt: toDate(a.reminded_at), escalatedAt: toDate(a.escalated_at) }, now, leadMs),
		}))
		.filter((x: { alert: unknown }) => x.alert);
	// Batched like the breaches: lock what is still unclaimed, claim it by one UPDATE, then the
	// audit rows and notifications in one INSERT each, in one transaction per batch.
	const recipientsOf = new Map<string, string[]>();
	for (const alert of ['remind', 'escalate'] as const) {
		const list: Row[] = due.filter((x: { alert: unknown }) => x.alert === alert).map((x: { a: Row }) => x.a);
		for (let i = 0; i < list.length; i += TICK_BATCH) {
			const batch = list.slice(i, i + TICK_BATCH);
			const batchMails = await knex.transaction(async (trx): Promise<Mail[]> => {
				const claim = () => {
					const q = trx('cp_actions').whereIn(
						'id',
						batch.map((a) => a.id),
					);
					return alert === 'remind' ? q.whereNull('reminded_at').where('status', 'open') : q.whereNull('escalated_at').whereIn('status', ACTION_OPEN_STATUSES);
				};
				const lock = claim();
				if (dialectOf(trx) !== 'sqlite') lock.forUpdate();
				const ids = new Set((await lock.pluck('id')).map(String));
				if (!ids.size) return [];
				await trx('cp_actions')
					.whereIn('id', [...ids])
					.update(alert === 'remind' ? { reminded_at: now } : { escalated_at: now, status: 'overdue' });
				const claimed = batch.filter((a) => ids.has(String(a.id)));
				// An action without a department escalates to its complaint's responsible department: one read for the batch.
				const complaintIds = [
					...new Set(claimed.filter((a) => alert === 'escalate' && !a.department && a.source_collection === 'cp_complaints').map((a) => String(a.source_id))),
				];
				const responsible = new Map<string, string | null>();
				for (let k = 0; k < complaintIds.length; k += TICK_BATCH) {
					const rows = await trx('cp_complaints')
						.whereIn('id', complaintIds.slice(k, k + TICK_BATCH))
						.select('id', 'responsible_department');
					for (const r of rows) responsible.set(String(r.id), r.responsible_department ?? null);
				}
				const out: { a: Row; recipients: string[]; subject: string }[] = [];
				const audits = [];
				for (const a of claimed) {
					let recipients: string[];
					let subject: string;
					if (alert === 'remind') {
						recipients = a.owner ? [String(a.owner)] : [];
						subject = `措施即将到期 Action due soon: ${a.title}`;
						result.reminded.push(String(a.id));
					} else {
						let dept = a.department as string | null;
						if (!dept && a.source_collection === 'cp_complaints') dept = responsible.get(String(a.source_id)) ?? null;
						// The responsible department's people; the GM when the department has nobody.
						const key = String(dept ?? '');
						if (!recipientsOf.has(key)) {
							let r = await usersOfDepartment(trx, settings, dept);
							if (!r.length) r = await usersOfDepartment(trx, settings, 'gm');
							recipientsOf.set(key, r);
						}
						recipients = recipientsOf.get(key)!;
						subject = `措施已超期 Action overdue: ${a.title}`;
						result.escalated.push(String(a.id));
						audits.push({
							collection: 'cp_actions',
							item: a.id,
							action: 'transition',
							from_status: a.status,
							to_status: 'overdue',
							data: { escalated_to: recipients },
						});
					}
					out.push({ a, recipients: [...new Set(recipients)], subject });
				}
				await appendAudit(trx, SYSTEM_ACTOR, audits, now);
				const notes = out.flatMap(({ a, recipients, subject }) =>
					recipients.map((recipient) => ({
						timestamp: now,
						status: 'inbox',
						recipient,
						sender: null,
						subject: subject.slice(0, 255),
						message: `${a.title} — due ${toDate(a.due_at)!.toISOString()} (CP-3)`,
						collection: 'cp_actions',
						item: String(a.id),
					})),
				);
				for (let k = 0; k < notes.length; k += TICK_BATCH) await trx('directus_notifications').insert(notes.slice(k, k + TICK_BATCH));
				result.notifications += notes.length;
				return out
					.filter((o) => o.recipients.length)
					.map(({ a, recipients, subject }) => ({ recipients, subject, text: `${a.title} — due ${toDate(a.due_at)!.toISOString()} (CP-3)` }));
			});
			mails.push(...batchMails);
		}
	}
	// E-mail after the claims committed: a mail server that is down never undoes a claim.
	if (opts.mailer) await opts.mailer(mails);
	return result;
}

/**
 * CC-4: one questionnaire per active customer and survey period. Inserts are keyed by a unique
 * dedupe_key and ignore conflicts, so concurrent ticks on several instances create each once.
 */
export async function surveysTick(knex: Knex, opts: { now?: Date } = {}): Promise<{ period: string; created: number }> {
	const now = opts.now ?? clock.now();
	const settings = await loadSettings(knex);
	let cadence = settings.survey_cadence_months ?? 3;
	try {
		assertSurveyCadence(cadence);
	} catch {
		cadence = 3;
	}
	const period = surveyPeriodKey(now, cadence, zoneOf(settings));
	const missing = await knex('cp_customers as c')
		.where('c.status', 'active')
		.whereNotExists(
			knex('cp_communications as m').whereRaw('?? = ??', ['m.customer', 'c.id']).where({ 'm.type': 'survey', 'm.period_key': period }).select(knex.raw('1')),
		)
		.select('c.id');
	let created = 0;
	for (let i = 0; i < missing.length; i += 200) {
		const rows = missing.slice(i, i + 200).map((c: { id: string }) => ({
			id: randomUUID(),
			customer: c.id,
			type: 'survey',
			survey_status: 'due',
			period_key: period,
			dedupe_key: surveyKey(c.id, period),
			summary: `顾客满意度调查 Satisfaction survey ${period}`,
			date_created: now,
		}));
		const before = await knex('cp_communications').where({ type: 'survey', period_key: period }).count({ n: '*' }).first();
		await knex('cp_communications').insert(rows).onConflict('dedupe_key').ignore();
		const after = await knex('cp_communications').where({ type: 'survey', period_key: period }).count({ n: '*' }).first();
		created += Number(after?.n ?? 0) - Number(before?.n ?? 0);
	}
	return { period, created };
}

// ---------------------------------------------------------------- registration

export function registerComplaints(api: HookApi): void {
	const { filter, action, schedule, database, logger, env } = api;
	const hook = (
		fn: (knex: Knex, payload: Record<string, any>, actor: ActorInfo, settings: Settings, keys: (string | number)[], scope: object | null) => Promise<unknown>,
	) =>
		translated(async (payload: unknown, meta: Record<string, any>, ctx: FilterCtx) => {
			const knex = ctx.database ?? database;
			const settings = await loadSettings(knex, ctx.accountability);
			const actor = actorFrom(ctx.accountability, settings);
			return fn(knex, (payload ?? {}) as Record<string, any>, actor, settings, meta?.keys ?? [], ctx.accountability);
		});

	filter(
		'cp_complaints.items.create',
		hook((k, p, a, s) => complaintIntake(k, p, a, s)),
	);
	filter(
		'cp_complaints.items.update',
		hook((k, p, a, s, keys, scope) => complaintUpdate(k, keys, p, a, s, clock.now(), scope)),
	);
	filter(
		'cp_actions.items.create',
		hook((k, p, a, s) => actionCreate(k, p, a, s)),
	);
	filter(
		'cp_actions.items.update',
		hook((k, p, a, s, keys) => actionUpdate(k, keys, p, a, s)),
	);
	filter(
		'cp_communications.items.create',
		hook((k, p, a, s) => communicationCreate(k, p, a, s)),
	);
	filter(
		'cp_communications.items.update',
		hook((k, p, a, s, keys) => communicationUpdate(k, keys, p, a, s)),
	);

	// The decision itself is part of the record's history (the audit trail lists only changed fields).
	action('cp_complaints.items.update', async (meta: Record<string, any>, ctx: FilterCtx) => {
		const decision = meta.payload?.verification;
		if (!decision) return;
		try {
			const settings = await loadSettings(database);
			const actor = actorFrom(ctx.accountability, settings);
			await appendAudit(
				database,
				actor,
				(meta.keys ?? []).map((k: string) => ({
					collection: 'cp_complaints',
					item: k,
					action: 'verification',
					data: { decision, note: meta.payload.verification_note ?? null, via: 'staff' },
				})),
			);
		} catch (e) {
			logger.error(e, '[customer-processes] verification audit failed');
		}
	});

	const reminderLeadHours = Number(env.CP_ACTION_REMINDER_HOURS ?? 24) || 24;
	const purge = cachePurger(api);
	// CP_COMPLAINTS_CRON: when the deadline scan, reminders and due surveys run (default every minute).
	schedule(String(env.CP_COMPLAINTS_CRON ?? '*/1 * * * *'), async () => {
		try {
			const t = await complaintsTick(database, { reminderLeadHours, mailer: directusMailer(api) });
			const s = await surveysTick(database);
			// The jobs write with knex: drop cached reads of what they changed.
			if (s.created || t.response_breached.length || t.resolution_breached.length || t.reminded.length || t.escalated.length) await purge();
		} catch (e) {
			logger.error(e, '[customer-processes] complaints tick failed');
		}
	});
}

export { GUARD_DEPARTMENTS, TEXT_LIMITS };
