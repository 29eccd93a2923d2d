// Complaints and customer communication adapter (CP-1..CP-7, CC-1..CC-4): hooks and scheduled
// jobs. Thin: load facts, ask src/domain, write in one transaction.
import { CATALOGUE, values } from '../domain/catalogue';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { HookApi } from './contract-review';
import { actorFrom, loadSettings, type Accountability, type ActorInfo, type Settings } from './context';
import { appendAudit } from './audit';
import { translated } from './errors';
import { cachePurger } from './cache';
import { atOrBefore, dialectOf, lockRow } from './db';
import { directusMailer, type Mail, type Mailer } from './notify';
import { DomainError, isBlank } from '../domain/errors';
import { isBreached } from '../domain/complaints/clock';
import { COMPLAINT_STATUSES, type ComplaintStatus } from '../domain/complaints/complaint-status';
import { assertTextBounds, calendarFrom, complaintDeadlines, complaintDedupeKey, parseInstant, parsePauses, TEXT_LIMITS } from '../domain/complaints/intake';
import { actionAlert, assertActionTransition, assertFormTransition, GUARD_DEPARTMENTS } from '../domain/complaints/lifecycle';
import {
	assertChannel,
	assertCommunicationType,
	assertPeriodKey,
	COMMUNICATION_TEXT_LIMITS,
	parseScore,
	scoreSurvey,
	surveyTemplate,
	surveyKey,
} from '../domain/communication/communication';
import { assertSurveyCadence, surveyPeriodKey } from '../domain/schedule/periods';
import * as clock from './clock';

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

/** Set only by the bundle (intake, transitions, jobs, links), never through the items API. */
export const COMPLAINT_SYSTEM_FIELDS = [
	'response_due_at',
	'resolution_due_at',
	'responded_at',
	'response_breached',
	'resolution_breached',
	'pauses',
	'verified_at',
	'verify_token_hash',
	'verify_token_expires_at',
	'dedupe_key',
];
export const ACTION_SYSTEM_FIELDS = ['done_at', 'reminded_at', 'escalated_at'];
export const COMMUNICATION_SYSTEM_FIELDS = ['token_hash', 'token_expires_at', 'dedupe_key'];

const INVESTIGATION_FIELDS = ['root_cause_category', 'root_cause', 'responsible_department', 'traceability', 'eight_d'];
const CHANNELS = values(CATALOGUE.cp_complaints.channel);
const ROOT_CAUSE_CATEGORIES = values(CATALOGUE.cp_complaints.root_cause_category);
const DISPOSITIONS = values(CATALOGUE.cp_complaints.product_disposition);

function refuseSystemFields(payload: Record<string, unknown>, fields: readonly string[], actor: ActorInfo) {
	if (actor.system) return;
	const touched = fields.filter((f) => Object.hasOwn(payload, f));
	if (touched.length) {
		throw new DomainError('CP_SYSTEM_ONLY', `${touched.join(', ')} ${touched.length > 1 ? 'are' : 'is'} set by the system, not by hand`, { field: touched[0] });
	}
}

function choice(payload: Record<string, unknown>, field: string, allowed: readonly string[]) {
	const v = payload[field];
	if (v === undefined || v === null) return;
	if (typeof v !== 'string' || !allowed.includes(v)) {
		throw new DomainError('CP_INVALID_VALUE', `${field} must be one of ${allowed.join(', ')}, got '${String(v)}'`, { field });
	}
}

/** An m2o value must be a key, not a nested object (nested writes would bypass these checks). */
function keyOf(v: unknown, field: string): string | null {
	if (v === undefined || v === null || v === '') return null;
	if (typeof v === 'string' || typeof v === 'number') return String(v);
	throw new DomainError('CP_INVALID_VALUE', `${field} must be the key of an existing record`, { field });
}

async function assertCustomer(knex: Knex, v: unknown): Promise<string> {
	const id = keyOf(v, 'customer');
	if (!id) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'customer is required', { field: 'customer' });
	const row = await knex('cp_customers')
		.where('id', id)
		.first('id')
		.catch(() => null);
	if (!row) throw new DomainError('CP_INVALID_VALUE', `customer '${id}' does not exist`, { field: 'customer' });
	return id;
}

async function assertContract(knex: Knex, v: unknown, customer: string | null): Promise<void> {
	const id = keyOf(v, 'contract');
	if (!id) return;
	const row = await knex('cp_contracts')
		.where('id', id)
		.first('id', 'customer')
		.catch(() => null);
	if (!row) throw new DomainError('CP_INVALID_VALUE', `contract '${id}' does not exist`, { field: 'contract' });
	if (customer && row.customer && String(row.customer) !== customer) {
		throw new DomainError('CP_INVALID_VALUE', `contract '${id}' belongs to another customer`, { field: 'contract' });
	}
}

async function assertUser(knex: Knex, v: unknown, field: string): Promise<string> {
	const id = keyOf(v, field);
	if (!id) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `${field} is required (CP-3: every action has an owner)`, { field });
	const row = await knex('directus_users')
		.where('id', id)
		.first('id')
		.catch(() => null);
	if (!row) throw new DomainError('CP_INVALID_VALUE', `${field} '${id}' is not a user`, { field });
	return id;
}

function assertDepartment(settings: Settings, v: unknown, field: string) {
	if (v === undefined || v === null) return;
	const known = Object.keys(settings.departments ?? {});
	if (typeof v !== 'string' || (known.length && !known.includes(v))) {
		throw new DomainError('CP_INVALID_VALUE', `${field} must be a department key (${known.join(', ')}), got '${String(v)}'`, { field });
	}
}

const zoneOf = (settings: Settings) => calendarFrom(settings.calendar).zone;
const privileged = (actor: ActorInfo) => actor.system || actor.isAdmin;

// ---------------------------------------------------------------- complaints (CP-1, CP-2, CP-4..CP-6)

/**
 * The next KF-YYYY-NNNN number. Runs inside the intake's transaction with the settings row
 * locked, so concurrent intakes on PostgreSQL/MariaDB number one after the other instead of
 * colliding on the unique code; the range condition lets the code index find the year.
 */
async function complaintCode(knex: Knex, receivedAt: Date, zone: string): Promise<string> {
	const year = new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(receivedAt);
	const prefix = `KF-${year}-`;
	const settings = await knex('cp_settings').first('id');
	if (settings) await lockRow(knex as Knex.Transaction, 'cp_settings', settings.id);
	const q = knex('cp_complaints');
	// PostgreSQL's index serves a range but not LIKE (C.UTF-8); MariaDB's unicode collation
	// weighs punctuation differently, so there the prefix LIKE is the portable form.
	if (dialectOf(knex) === 'pg') q.where('code', '>=', prefix).where('code', '<', `KF-${year}.`);
	else q.where('code', 'like', `${prefix}%`);
	// A locking read: InnoDB's plain reads would see the snapshot from before the lock was granted.
	if (dialectOf(knex) !== 'sqlite') q.forUpdate();
	const last = await q.orderByRaw('LENGTH(code) DESC, code DESC').first('code');
	const max = last ? Number(String(last.code).slice(prefix.length)) || 0 : 0;
	return `${prefix}${String(max + 1).padStart(4, '0')}`;
}

async function assertNotDuplicate(knex: Knex, key: string, selfId?: string) {
	const q = knex('cp_complaints').where('dedupe_key', key);
	if (selfId) q.whereNot('id', selfId);
	const existing = await q.first('id', 'code');
	if (existing) {
		throw new DomainError('CP_DUPLICATE_COMPLAINT', `This complaint was already recorded as ${existing.code} (same customer, text, product/batch and day)`, {
			field: 'summary',
			details: { existing: existing.code, existing_id: existing.id },
		});
	}
}

export async function complaintIntake(knex: Knex, payload: Record<string, any>, actor: ActorInfo, settings: Settings, now = new Date()) {
	refuseSystemFields(payload, COMPLAINT_SYSTEM_FIELDS, actor);
	if (payload.status !== undefined && payload.status !== 'received') {
		throw new DomainError('CP_INVALID_VALUE', `status: a complaint starts as 'received', not '${String(payload.status)}'`, { field: 'status' });
	}
	assertTextBounds(payload);
	if (typeof payload.summary !== 'string' || isBlank(payload.summary)) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'summary is required (what the customer reports)', { field: 'summary' });
	}
	choice(payload, 'channel', CHANNELS);
	choice(payload, 'root_cause_category', ROOT_CAUSE_CATEGORIES);
	choice(payload, 'product_disposition', DISPOSITIONS);
	if (payload.verification !== undefined && payload.verification !== null) {
		throw new DomainError('CP_INVALID_VALUE', 'verification is recorded when the customer re-verifies, not at intake', { field: 'verification' });
	}
	assertDepartment(settings, payload.responsible_department, 'responsible_department');
	const customer = await assertCustomer(knex, payload.customer);
	await assertContract(knex, payload.contract, customer);
	if (payload.received_at === undefined || payload.received_at === null) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'received_at is required (when the feedback was received)', { field: 'received_at' });
	}
	const receivedAt = parseInstant(payload.received_at, 'received_at', { now, notInFuture: true });
	const zone = zoneOf(settings);
	const dedupe = complaintDedupeKey({ customer, summary: payload.summary, product: payload.product, batch: payload.batch, receivedAt, zone });
	await assertNotDuplicate(knex, dedupe);
	const { responseDueAt, resolutionDueAt } = complaintDeadlines(receivedAt, settings, []);
	return {
		...payload,
		code: isBlank(payload.code) ? await complaintCode(knex, receivedAt, zone) : payload.code,
		status: 'received',
		received_at: receivedAt.toISOString(),
		dedupe_key: dedupe,
		response_due_at: responseDueAt?.toISOString() ?? null,
		resolution_due_at: resolutionDueAt?.toISOString() ?? null,
		response_breached: false,
		resolution_breached: false,
	};
}

export async function linkedActions(knex: Knex, complaintId: string) {
	return knex('cp_actions')
		.where({ source_collection: 'cp_complaints', source_id: String(complaintId) })
		.select('id', 'status', 'title', 'owner', 'due_at', 'done_at', 'department');
}

export async function complaintUpdate(
	knex: Knex,
	keys: (string | number)[],
	payload: Record<string, any>,
	actor: ActorInfo,
	settings: Settings,
	now = clock.now(),
) {
	refuseSystemFields(payload, COMPLAINT_SYSTEM_FIELDS, actor);
	assertTextBounds(payload);
	choice(payload, 'channel', CHANNELS);
	choice(payload, 'root_cause_category', ROOT_CAUSE_CATEGORIES);
	choice(payload, 'product_disposition', DISPOSITIONS);
	choice(payload, 'verification', ['confirmed', 'rejected']);
	assertDepartment(settings, payload.responsible_department, 'responsible_department');
	if (Object.hasOwn(payload, 'summary') && (typeof payload.summary !== 'string' || isBlank(payload.summary))) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'summary cannot be empty', { field: 'summary' });
	}
	const investigation = INVESTIGATION_FIELDS.filter((f) => Object.hasOwn(payload, f));
	if (investigation.length && !privileged(actor) && !actor.departments.includes('quality')) {
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `The investigation (${investigation.join(', ')}) is recorded by Quality (CP-2)`, {
			field: investigation[0],
		});
	}
	const stateful = ['status', 'verification', 'customer', 'received_at', 'summary', 'product', 'batch', 'contract'].filter((f) => Object.hasOwn(payload, f));
	if (!stateful.length) return payload;
	if (keys.length !== 1) {
		throw new DomainError('CP_INVALID_VALUE', `Change ${stateful.join(', ')} of one complaint at a time`, { field: stateful[0] });
	}
	const id = String(keys[0]);
	const row = await knex('cp_complaints').where('id', id).first();
	if (!row) return payload;
	const out: Record<string, any> = { ...payload };

	// Identity of the complaint: customer, text, product, day. A change re-checks duplicates and the clock.
	if (['customer', 'received_at', 'summary', 'product', 'batch', 'contract'].some((f) => Object.hasOwn(payload, f))) {
		const customer = Object.hasOwn(payload, 'customer') ? await assertCustomer(knex, payload.customer) : String(row.customer);
		if (Object.hasOwn(payload, 'contract') || Object.hasOwn(payload, 'customer')) await assertContract(knex, payload.contract ?? row.contract, customer);
		let receivedAt = toDate(row.received_at)!;
		if (Object.hasOwn(payload, 'received_at')) {
			if (row.status !== 'received') {
				throw new DomainError('CP_INVALID_VALUE', 'received_at can only be corrected while the complaint is just received', { field: 'received_at' });
			}
			receivedAt = parseInstant(payload.received_at, 'received_at', { now, notInFuture: true });
			const d = complaintDeadlines(receivedAt, settings, parsePauses(row.pauses));
			out.received_at = receivedAt.toISOString();
			out.response_due_at = d.responseDueAt?.toISOString() ?? null;
			out.resolution_due_at = d.resolutionDueAt?.toISOString() ?? null;
		}
		const key = complaintDedupeKey({
			customer,
			summary: payload.summary ?? row.summary,
			product: Object.hasOwn(payload, 'product') ? payload.product : row.product,
			batch: Object.hasOwn(payload, 'batch') ? payload.batch : row.batch,
			receivedAt,
			zone: zoneOf(settings),
		});
		await assertNotDuplicate(knex, key, id);
		out.dedupe_key = key;
	}

	const from = row.status as ComplaintStatus;
	let to = (payload.status ?? from) as ComplaintStatus;
	if (payload.verification !== undefined) {
		if (payload.verification === null || (from !== 'verifying' && to !== 'verifying')) {
			throw new DomainError(
				'CP_INVALID_VALUE',
				`The customer's verification is recorded while the complaint is being verified (status 'verifying'), not '${from}'`,
				{ field: 'verification' },
			);
		}
		out.verified_at = now.toISOString();
		// CP-5: a rejected verification reopens the complaint.
		if (payload.verification === 'rejected' && payload.status === undefined) to = 'reopened';
	}
	if (to !== from) {
		if (!(COMPLAINT_STATUSES as readonly string[]).includes(to)) {
			throw new DomainError('CP_INVALID_VALUE', `Unknown complaint status '${String(to)}'`, { field: 'status' });
		}
		const merged = { ...row, ...payload };
		const respondedAt = from !== 'responded' && to === 'responded' && !row.responded_at ? now : toDate(row.responded_at);
		assertFormTransition(
			from,
			to,
			{
				responseSentAt: to === 'responded' ? now : respondedAt,
				responseContent: merged.response_content,
				actions: await linkedActions(knex, id),
				verification: merged.verification ?? null,
				noVerificationReason: merged.no_verification_reason,
				noActionReason: merged.no_action_reason,
				rootCause: merged.root_cause,
				rootCauseCategory: merged.root_cause_category,
				responsibleDepartment: merged.responsible_department,
				productDisposition: merged.product_disposition,
			},
			{ departments: actor.departments, privileged: privileged(actor) },
		);
		out.status = to;
		if (to === 'responded' && !row.responded_at) {
			out.responded_at = now.toISOString();
			// Recorded once against the due date at the time of the first written response; never cleared.
			out.response_breached = truthy(row.response_breached) || isBreached(toDate(row.response_due_at), now);
		}
		if (to === 'verifying') {
			// A new verification round: an earlier (rejected) answer no longer counts.
			if (payload.verification === undefined) {
				out.verification = null;
				out.verified_at = null;
			}
		}
		if (to === 'closed') out.resolution_breached = truthy(row.resolution_breached) || isBreached(toDate(row.resolution_due_at), now);
		await commitTransition(knex, id, from, to, out, actor, now);
	}
	return out;
}

/** What a status transition decides and stamps; the rest of the request follows with Directus's write. */
const TRANSITION_FIELDS = [
	'status',
	'responded_at',
	'response_breached',
	'resolution_breached',
	'response_content',
	'verification',
	'verified_at',
	'verification_note',
	'no_verification_reason',
	'no_action_reason',
	'root_cause_category',
	'root_cause',
	'responsible_department',
	'product_disposition',
];
const TRANSITION_DATES = ['responded_at', 'verified_at'];

/**
 * Writes the transition and its audit entry in one transaction, before Directus writes the
 * (identical) request: Directus records an update's audit only after its commit, and a process
 * killed in between would leave a complaint closed with no trace of who closed it. The
 * conditional update also refuses a concurrent transition of the same complaint.
 */
async function commitTransition(knex: Knex, id: string, from: string, to: string, out: Record<string, any>, actor: ActorInfo, now: Date) {
	const change: Record<string, unknown> = { date_updated: now };
	for (const f of TRANSITION_FIELDS) {
		if (!Object.hasOwn(out, f)) continue;
		const v = out[f];
		change[f] = TRANSITION_DATES.includes(f) && typeof v === 'string' ? new Date(v) : v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
	}
	await knex.transaction(async (trx) => {
		const n = await trx('cp_complaints').where({ id, status: from }).update(change);
		if (n !== 1)
			throw new DomainError('CP_ILLEGAL_TRANSITION', `The complaint changed meanwhile (it is no longer '${from}'); reload and try again`, { field: 'status' });
		await appendAudit(trx, actor, [{ collection: 'cp_complaints', item: id, action: 'transition', from_status: from, to_status: to }], now);
	});
}

// ---------------------------------------------------------------- corrective actions (CP-3)

// Visits and surveys may lead to tracked improvements too (CC-3, CC-4).
const ACTION_SOURCES = ['cp_complaints', 'cp_discrepancies', 'cp_property', 'cp_communications'];
const ACTION_TEXT_LIMITS = { title: 255 };

async function assertActionSource(knex: Knex, collection: unknown, id: unknown) {
	if (collection === undefined || collection === null) {
		if (id !== undefined && id !== null) throw new DomainError('CP_INVALID_VALUE', 'source_id needs source_collection', { field: 'source_collection' });
		return;
	}
	if (typeof collection !== 'string' || !ACTION_SOURCES.includes(collection)) {
		throw new DomainError('CP_INVALID_VALUE', `source_collection must be one of ${ACTION_SOURCES.join(', ')}`, { field: 'source_collection' });
	}
	const key = keyOf(id, 'source_id');
	if (!key) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'source_id is required with source_collection', { field: 'source_id' });
	const row = await knex(collection)
		.where('id', key)
		.first()
		.catch(() => null);
	if (!row) throw new DomainError('CP_INVALID_VALUE', `${collection} '${key}' does not exist`, { field: 'source_id' });
	if (collection === 'cp_complaints' && row.status === 'closed') {
		throw new DomainError('CP_ACTION_NOT_ALLOWED', `Complaint ${row.code} is closed; reopen it to add actions`, { field: 'source_id' });
	}
}

function assertDue(v: unknown, now: Date): string {
	if (v === undefined || v === null || v === '') {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'due_at is required (CP-3: every action has a deadline)', { field: 'due_at' });
	}
	const d = parseInstant(v, 'due_at');
	if (d.getTime() < now.getTime() - 60_000) throw new DomainError('CP_INVALID_VALUE', `due_at ${d.toISOString()} is in the past`, { field: 'due_at' });
	return d.toISOString();
}

export async function actionCreate(knex: Knex, payload: Record<string, any>, actor: ActorInfo, settings: Settings, now = new Date()) {
	refuseSystemFields(payload, ACTION_SYSTEM_FIELDS, actor);
	assertTextBounds(payload, ACTION_TEXT_LIMITS);
	if (typeof payload.title !== 'string' || isBlank(payload.title)) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'title is required (what will be done)', { field: 'title' });
	}
	if (payload.status !== undefined && payload.status !== 'open') {
		throw new DomainError('CP_INVALID_VALUE', `status: an action starts as 'open', not '${String(payload.status)}'`, { field: 'status' });
	}
	assertDepartment(settings, payload.department, 'department');
	await assertUser(knex, payload.owner, 'owner');
	const due = assertDue(payload.due_at, now);
	await assertActionSource(knex, payload.source_collection, payload.source_id);
	return { ...payload, status: 'open', due_at: due, ...(payload.source_id !== undefined ? { source_id: String(payload.source_id) } : {}) };
}

export async function actionUpdate(
	knex: Knex,
	keys: (string | number)[],
	payload: Record<string, any>,
	actor: ActorInfo,
	settings: Settings,
	now = new Date(),
) {
	refuseSystemFields(payload, ACTION_SYSTEM_FIELDS, actor);
	assertTextBounds(payload, ACTION_TEXT_LIMITS);
	if (Object.hasOwn(payload, 'title') && (typeof payload.title !== 'string' || isBlank(payload.title))) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'title cannot be empty', { field: 'title' });
	}
	assertDepartment(settings, payload.department, 'department');
	if (Object.hasOwn(payload, 'owner')) await assertUser(knex, payload.owner, 'owner');
	const out: Record<string, any> = { ...payload };
	if (Object.hasOwn(payload, 'due_at')) {
		out.due_at = assertDue(payload.due_at, now);
		// A new deadline gets its own reminder and escalation.
		out.reminded_at = null;
		out.escalated_at = null;
	}
	const rows = await knex('cp_actions').whereIn('id', keys.map(String)).select();
	for (const row of rows) {
		for (const f of ['source_collection', 'source_id']) {
			if (Object.hasOwn(payload, f) && String(payload[f] ?? '') !== String(row[f] ?? '')) {
				throw new DomainError('CP_INVALID_VALUE', `${f} of an action cannot change`, { field: f });
			}
		}
		if (payload.status !== undefined && payload.status !== row.status) {
			if (payload.status === 'overdue' && !actor.system) throw new DomainError('CP_SYSTEM_ONLY', "'overdue' is set by the scheduler", { field: 'status' });
			assertActionTransition(row.status, payload.status);
			if (payload.status === 'verified' && !privileged(actor) && !actor.departments.includes('quality')) {
				throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', 'Quality verifies corrective actions (CP-3)', { field: 'status' });
			}
		}
	}
	if (Object.hasOwn(out, 'due_at') && rows.some((r) => r.status === 'overdue') && payload.status === undefined) out.status = 'open';
	if (payload.status === 'done') out.done_at = now.toISOString();
	if (payload.status === 'open') out.done_at = null;
	return out;
}

// ---------------------------------------------------------------- communication (CC-1..CC-4)

export async function communicationCreate(knex: Knex, payload: Record<string, any>, actor: ActorInfo, settings: Settings, now = new Date()) {
	refuseSystemFields(payload, COMMUNICATION_SYSTEM_FIELDS, actor);
	assertTextBounds(payload, COMMUNICATION_TEXT_LIMITS);
	assertCommunicationType(payload.type);
	assertChannel(payload.channel);
	const customer = await assertCustomer(knex, payload.customer);
	await assertContract(knex, payload.contract, customer);
	const occurredAt =
		payload.occurred_at === undefined || payload.occurred_at === null ? now : parseInstant(payload.occurred_at, 'occurred_at', { now, notInFuture: true });
	const out: Record<string, any> = { ...payload, occurred_at: occurredAt.toISOString() };
	if (payload.type !== 'survey') {
		for (const f of ['answers', 'score', 'survey_status', 'period_key']) {
			if (payload[f] !== undefined && payload[f] !== null)
				throw new DomainError('CP_INVALID_VALUE', `${f} belongs to a satisfaction survey (type 'survey')`, { field: f });
		}
		return out;
	}
	const cadence = settings.survey_cadence_months ?? 3;
	const period = payload.period_key ? assertPeriodKey(payload.period_key) : surveyPeriodKey(occurredAt, cadence, zoneOf(settings));
	out.period_key = period;
	out.dedupe_key = surveyKey(customer, period);
	const existing = await knex('cp_communications').where('dedupe_key', out.dedupe_key).first('id');
	if (existing) {
		throw new DomainError('CP_DUPLICATE_SURVEY', `Customer already has a satisfaction survey for ${period}; enter the answers there`, {
			field: 'period_key',
			details: { existing_id: existing.id },
		});
	}
	const scored = scoreSurvey(surveyTemplate(settings.survey_template), payload.answers, payload.score);
	const answered = scored.score !== undefined;
	if (scored.answers !== undefined) out.answers = scored.answers;
	if (answered) out.score = scored.score;
	if (payload.survey_status === 'answered' && !answered)
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'an answered survey needs a score', { field: 'score' });
	out.survey_status = answered ? 'answered' : 'due';
	return out;
}

export async function communicationUpdate(
	knex: Knex,
	keys: (string | number)[],
	payload: Record<string, any>,
	actor: ActorInfo,
	settings: Settings,
	now = new Date(),
) {
	refuseSystemFields(payload, COMMUNICATION_SYSTEM_FIELDS, actor);
	assertTextBounds(payload, COMMUNICATION_TEXT_LIMITS);
	assertChannel(payload.channel);
	if (Object.hasOwn(payload, 'occurred_at')) parseInstant(payload.occurred_at, 'occurred_at', { now, notInFuture: true });
	const rows = await knex('cp_communications').whereIn('id', keys.map(String)).select('id', 'type', 'customer', 'survey_status', 'score');
	const out: Record<string, any> = { ...payload };
	for (const row of rows) {
		if (Object.hasOwn(payload, 'type') && payload.type !== row.type)
			throw new DomainError('CP_INVALID_VALUE', 'type of a communication record cannot change', { field: 'type' });
		if (row.type === 'survey') {
			for (const f of ['customer', 'period_key']) {
				if (Object.hasOwn(payload, f) && String(payload[f]) !== String(row[f === 'customer' ? 'customer' : f] ?? '')) {
					if (f === 'customer' || payload[f] !== undefined)
						throw new DomainError('CP_INVALID_VALUE', `${f} of a survey cannot change (one survey per customer and period)`, { field: f });
				}
			}
		} else {
			for (const f of ['answers', 'score', 'survey_status', 'period_key']) {
				if (payload[f] !== undefined && payload[f] !== null)
					throw new DomainError('CP_INVALID_VALUE', `${f} belongs to a satisfaction survey (type 'survey')`, { field: f });
			}
		}
	}
	if (Object.hasOwn(payload, 'customer') && rows.some((r) => r.type !== 'survey')) await assertCustomer(knex, payload.customer);
	if (rows.some((r) => r.type === 'survey')) {
		const rated = scoreSurvey(
			surveyTemplate(settings.survey_template),
			Object.hasOwn(payload, 'answers') ? payload.answers : undefined,
			Object.hasOwn(payload, 'score') ? payload.score : undefined,
		);
		if (Object.hasOwn(payload, 'answers')) out.answers = rated.answers ?? null;
		if (rated.score !== undefined) out.score = rated.score;
		else if (Object.hasOwn(payload, 'score')) out.score = parseScore(payload.score);
		const scored = Object.hasOwn(out, 'score') || rows.every((r) => r.score !== null && r.score !== undefined);
		if (payload.survey_status === 'due' && rows.some((r) => r.survey_status === 'answered')) {
			throw new DomainError('CP_INVALID_VALUE', 'an answered survey cannot become due again', { field: 'survey_status' });
		}
		if (Object.hasOwn(payload, 'answers') || Object.hasOwn(payload, 'score') || payload.survey_status === 'answered') {
			if (!scored) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'a survey answer needs a score (0-100)', { field: 'score' });
			out.survey_status = 'answered';
			if (!Object.hasOwn(payload, 'occurred_at')) out.occurred_at = now.toISOString();
		}
	}
	return out;
}

// ---------------------------------------------------------------- scheduled jobs

export interface TickResult {
	response_breached: string[];
	resolution_breached: string[];
	reminded: string[];
	escalated: string[];
	notifications: number;
}

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
		const q = knex('cp_complaints').whereNot('status', 'closed').whereNotNull(dueField).where(notBreached(flag));
		if (kind === 'response') q.whereNull('responded_at');
		// Only what is due: the cost follows the breaches, not the size of the table.
		atOrBefore(knex, q, dueField, now);
		const candidates = await q.select('id', 'code', dueField);
		for (const c of candidates) {
			if (!isBreached(toDate(c[dueField]), now)) continue;
			await knex.transaction(async (trx) => {
				const claim = trx('cp_complaints').where('id', c.id).where(notBreached(flag));
				if (kind === 'response') claim.whereNull('responded_at');
				const n = await claim.update({ [flag]: true });
				if (!n) return;
				await appendAudit(
					trx,
					SYSTEM_ACTOR,
					[{ collection: 'cp_complaints', item: c.id, action: `${kind}_breached`, data: { due_at: toDate(c[dueField])?.toISOString() } }],
					now,
				);
				(kind === 'response' ? result.response_breached : result.resolution_breached).push(c.code);
			});
		}
	}

	const actions = await atOrBefore(knex, knex('cp_actions'), 'due_at', new Date(now.getTime() + leadMs))
		.whereIn('status', ['open', 'overdue'])
		.whereNotNull('due_at')
		.where((q) => q.whereNull('reminded_at').orWhereNull('escalated_at'))
		.select('id', 'title', 'owner', 'department', 'status', 'due_at', 'reminded_at', 'escalated_at', 'source_collection', 'source_id');
	for (const a of actions) {
		const alert = actionAlert(
			{ status: a.status, dueAt: toDate(a.due_at), remindedAt: toDate(a.reminded_at), escalatedAt: toDate(a.escalated_at) },
			now,
			leadMs,
		);
		if (!alert) continue;
		const mail = await knex.transaction(async (trx): Promise<Mail | null> => {
			const due = toDate(a.due_at)!.toISOString();
			let recipients: string[];
			let subject: string;
			if (alert === 'remind') {
				const n = await trx('cp_actions').where('id', a.id).whereNull('reminded_at').whereIn('status', ['open']).update({ reminded_at: now });
				if (!n) return null;
				recipients = a.owner ? [String(a.owner)] : [];
				subject = `措施即将到期 Action due soon: ${a.title}`;
				result.reminded.push(String(a.id));
			} else {
				const n = await trx('cp_actions')
					.where('id', a.id)
					.whereNull('escalated_at')
					.whereIn('status', ['open', 'overdue'])
					.update({ escalated_at: now, status: 'overdue' });
				if (!n) return null;
				let dept = a.department as string | null;
				if (!dept && a.source_collection === 'cp_complaints') {
					dept = (await trx('cp_complaints').where('id', a.source_id).first('responsible_department'))?.responsible_department ?? null;
				}
				// The responsible department's people; the GM when the department has nobody.
				recipients = await usersOfDepartment(trx, settings, dept);
				if (!recipients.length) recipients = await usersOfDepartment(trx, settings, 'gm');
				subject = `措施已超期 Action overdue: ${a.title}`;
				result.escalated.push(String(a.id));
				await appendAudit(
					trx,
					SYSTEM_ACTOR,
					[{ collection: 'cp_actions', item: a.id, action: 'transition', from_status: a.status, to_status: 'overdue', data: { escalated_to: recipients } }],
					now,
				);
			}
			const unique = [...new Set(recipients)];
			if (unique.length) {
				await trx('directus_notifications').insert(
					unique.map((recipient) => ({
						timestamp: now,
						status: 'inbox',
						recipient,
						sender: null,
						subject: subject.slice(0, 255),
						message: `${a.title} — due ${due} (CP-3)`,
						collection: 'cp_actions',
						item: String(a.id),
					})),
				);
				result.notifications += unique.length;
			}
			return { recipients: unique, subject, text: `${a.title} — due ${due} (CP-3)` };
		});
		if (mail?.recipients.length) mails.push(mail);
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
	const hook = (fn: (knex: Knex, payload: Record<string, any>, actor: ActorInfo, settings: Settings, keys: (string | number)[]) => Promise<unknown>) =>
		translated(async (payload: unknown, meta: Record<string, any>, ctx: FilterCtx) => {
			const knex = ctx.database ?? database;
			const settings = await loadSettings(knex);
			const actor = actorFrom(ctx.accountability, settings);
			return fn(knex, (payload ?? {}) as Record<string, any>, actor, settings, meta?.keys ?? []);
		});

	filter(
		'cp_complaints.items.create',
		hook((k, p, a, s) => complaintIntake(k, p, a, s)),
	);
	filter(
		'cp_complaints.items.update',
		hook((k, p, a, s, keys) => complaintUpdate(k, keys, p, a, s)),
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
