// The steps panel's adapter (issue #12): which steps a record offers this user now, and what is
// missing for the others. The candidates come from the domain (domain/steps.ts, which reads the
// transition tables); each is then tried for real, through ItemsService with the caller's
// accountability, in a transaction that is always rolled back. So the generic guards, the
// policies and the area filters decide, and a refusal is the very message the write would get.
// Nothing here restates a rule; performing a step is the ordinary request the candidate names.
import { languageOf } from './error-language';
import { localizeMessage } from '../domain/error-text';
import type { Knex } from 'knex';
import { DomainError, isDomainError } from '../domain/errors';
import {
	STEP_COLLECTIONS,
	complaintExtraSteps,
	formLinks,
	propertySteps,
	contractExtraSteps,
	reviewLineSteps,
	statusSteps,
	taskNoticeSteps,
	triageSteps,
	type Row,
	type StepCandidate,
	type StepLink,
} from '../domain/steps';
import { planPause, planResume } from '../domain/complaints/pauses';
import { assertFormTransition } from '../domain/complaints/lifecycle';
import { planResponseMail, planTriageDecision } from '../domain/mail/inbound';
import { actorFrom, loadSettings, type Accountability } from './context';
import { validKey } from './property';

export interface Step extends Omit<StepCandidate, 'probe'> {
	allowed: boolean;
	/** Why not (the refusal's message), when not allowed. */
	missing?: string;
	code?: string;
	field?: string;
}

export interface StepsAnswer {
	collection: string;
	id: string;
	status: string | null;
	steps: Step[];
	forms: StepLink[];
}

interface Deps {
	database: Knex;
	services: any;
	getSchema: () => Promise<any>;
}

const ROLLBACK = Symbol('rollback');

/** The refusal of a write as { code, message, field }, or null if it would pass. */
function refusalOf(e: any): { code: string; message: string; field?: string } {
	if (isDomainError(e)) return { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) };
	const first = Array.isArray(e?.errors) ? e.errors[0] : e;
	const ext = first?.extensions ?? e?.extensions ?? {};
	if (String(first?.code ?? ext.code) === 'FORBIDDEN')
		return { code: 'FORBIDDEN', message: '此步骤不由您的部门办理 / this step is not taken by your department' };
	return {
		code: String(first?.code ?? ext.code ?? 'CP_ACTION_NOT_ALLOWED'),
		message: String(first?.message ?? e),
		...(ext.field ? { field: String(ext.field) } : {}),
	};
}

/** Runs `fn` in a transaction that never commits; returns the refusal it met, or null. */
async function trial(database: Knex, fn: (trx: Knex.Transaction) => Promise<unknown>) {
	try {
		await database.transaction(async (trx) => {
			await fn(trx);
			throw ROLLBACK;
		});
	} catch (e) {
		if (e === ROLLBACK) return null;
		return refusalOf(e);
	}
	return null;
}

function withInputs(body: Row, input: Row | undefined): Row {
	const out: Row = { ...body };
	for (const [k, v] of Object.entries(input ?? {})) {
		if (k.includes('.')) {
			const [head, ...rest] = k.split('.');
			const obj = (out[head!] && typeof out[head!] === 'object' ? out[head!] : {}) as Row;
			obj[rest.join('.')] = v;
			out[head!] = obj;
		} else out[k] = v;
	}
	return out;
}

export async function stepsFor(
	deps: Deps,
	accountability: Accountability & { user?: string | null },
	collection: string,
	id: string,
	edits: Row = {},
): Promise<StepsAnswer> {
	if (!(STEP_COLLECTIONS as readonly string[]).includes(collection))
		throw new DomainError('CP_INVALID_VALUE', `此记录没有步骤 / this record has no steps`, { field: 'collection', status: 404 });
	const { database, services, getSchema } = deps;
	const schema = await getSchema();
	if (!validKey(schema, collection, id)) throw new DomainError('CP_INVALID_VALUE', `记录不存在 / no such record`, { field: 'id', status: 404 });
	const service = (c: string, knex?: Knex) => new services.ItemsService(c, { schema, accountability, ...(knex ? { knex } : {}) });
	// Read with the caller's rights: no read permission, no steps (Directus's own 403).
	const row: Row = await service(collection).readOne(id);
	const settings = await loadSettings(database);
	const actor = actorFrom(accountability, settings);

	const candidates: StepCandidate[] = statusSteps(collection, row);
	if (collection === 'cp_contracts') {
		const lines: Row[] = await database('cp_review_lines')
			.where({ contract: id, decision: 'pending' })
			.andWhere('round', Number(row.review_round ?? 0))
			.orderBy('department');
		// A line of the current round that the user's department signs first, then the others (their refusal says whose).
		lines.sort((a, b) => Number(actor.departments.includes(String(b.department))) - Number(actor.departments.includes(String(a.department))));
		for (const l of lines) candidates.push(...reviewLineSteps(l));
		candidates.push(...contractExtraSteps(row));
		const notices: Row[] = await database('cp_task_notices').where({ contract: id }).whereNull('acknowledged_at').orderBy('department');
		for (const n of notices) candidates.push(...taskNoticeSteps(n));
	}
	if (collection === 'cp_review_lines') candidates.push(...reviewLineSteps(row));
	if (collection === 'cp_task_notices') candidates.push(...taskNoticeSteps(row));
	if (collection === 'cp_property') candidates.push(...propertySteps(row));
	if (collection === 'cp_communications') candidates.push(...triageSteps(row));

	if (collection === 'cp_complaints') {
		const facts = {
			now: new Date(),
			actor: { userId: actor.userId, departments: ['quality'], privileged: true },
			deadlines: settings,
		};
		let paused: boolean;
		try {
			planResume(row, { id }, facts as any);
			paused = true;
		} catch {
			paused = false;
		}
		candidates.push(...complaintExtraSteps(row, paused));
	}
	// What is missing is said as a refusal would be: in the user's language, fields by their labels, no ids.
	const lang = await languageOf(database, accountability?.user);
	const steps: Step[] = [];
	for (const c of candidates) {
		const refusal = await tryStep(deps, accountability, actor, c, row, c.target.id === id && c.withEdits ? edits : {}, service);
		const { probe: _probe, ...step } = c;
		// A refusal about a value the step itself asks for is not a blocker: the user gives it.
		const field = refusal?.field;
		const asked = field !== undefined && c.inputs?.some((i) => i.name === field || i.name.split('.')[0] === field.split('.')[0]);
		steps.push(
			refusal && !asked
				? {
						...step,
						allowed: false,
						missing: localizeMessage(refusal.message, lang, { collection: c.target.collection }),
						code: refusal.code,
						...(refusal.field ? { field: refusal.field } : {}),
					}
				: { ...step, allowed: true },
		);
	}
	return {
		collection,
		id,
		status: (row.status as string | undefined) ?? (row.decision as string | undefined) ?? null,
		steps,
		forms: formLinks(collection, row),
	};
}

async function tryStep(
	deps: Deps,
	accountability: any,
	actor: ReturnType<typeof actorFrom>,
	c: StepCandidate,
	row: Row,
	edits: Row,
	service: (c: string, knex?: Knex) => any,
) {
	const body = withInputs({ ...edits, ...c.request.body }, c.probe);
	if (c.request.method === 'PATCH') {
		if (body.acknowledged_at === '$NOW') body.acknowledged_at = new Date().toISOString();
		return trial(deps.database, (trx) => service(c.target.collection, trx).updateOne(c.target.id, body, { bypassEmitAction: () => undefined }));
	}
	if (c.key.startsWith('event:'))
		return trial(deps.database, (trx) =>
			service('cp_property_events', trx).createOne({ ...body, property: c.target.id }, { bypassEmitAction: () => undefined }),
		);
	// /cp commands that are not item writes: ask the same plan functions the routes ask.
	const facts = {
		now: new Date(),
		actor: { userId: actor.userId, departments: actor.departments, privileged: actor.isAdmin },
		deadlines: await loadSettings(deps.database),
	};
	try {
		if (!accountability?.user) throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', 'Log in first');
		if (c.key === 'pause') planPause(row, { id: c.target.id, reason: body.reason, note: body.note }, facts as any);
		if (c.key === 'resume') planResume(row, { id: c.target.id }, facts as any);
		if (c.key.startsWith('triage:')) planTriageDecision({ actor: facts.actor, entry: row, decision: body.decision, customer: body.customer, note: body.note });
		if (c.key === 'send_response') {
			const lastIn = await deps
				.database('cp_communications')
				.where({ complaint: c.target.id, type: 'mail_in' })
				.whereNotNull('mail_from')
				.orderBy([
					{ column: 'occurred_at', order: 'desc' },
					{ column: 'date_created', order: 'desc' },
				])
				.first('mail_from');
			const customer = row.customer ? await deps.database('cp_customers').where('id', String(row.customer)).first('email') : null;
			planResponseMail({
				actor: facts.actor,
				responseContent: row.response_content,
				to: body.to,
				lastSender: lastIn?.mail_from ?? null,
				customerEmail: customer?.email ?? null,
			});
		}
		if (c.key === 'verification_link') {
			// The route's own checks (endpoints/cp/complaints.ts): Quality or Sales, after the written response.
			if (!actor.isAdmin && !actor.departments.some((d) => ['quality', 'sales'].includes(d)))
				throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', '由质量部 Quality 或市场部 Sales 发送 / sent by Quality or Sales', { field: 'status' });
			if (row.status === 'responded') assertFormTransition('responded', 'verifying', {}, { departments: actor.departments, privileged: actor.isAdmin });
			else if (row.status !== 'verifying')
				throw new DomainError('CP_ACTION_NOT_ALLOWED', '书面答复之后才能请顾客验证 / the customer verifies after the written response', { field: 'status' });
		}
		return null;
	} catch (e) {
		return refusalOf(e);
	}
}
