// /cp routes of the complaints and communication area: clock pauses (CP-4), customer
// verification links (CP-5), the printable feedback handling form (X-1), satisfaction survey
// links and summary (CC-4), and the scheduler's jobs for admins and tests.
import { randomBytes } from 'node:crypto';
import type { Router } from 'express';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { htmlRoute, route, type EndpointContext } from './context';
import { actorFrom, loadSettings, type ActorInfo, type Settings } from '../../services/context';
import { appendAudit } from '../../services/audit';
import { complaintsTick, json, surveysTick } from '../../services/complaints';
import { DomainError } from '../../domain/errors';
import { planPause, planResume } from '../../domain/complaints/pauses';
import { processDepartments } from '../../domain/process-departments';
import { departmentName } from '../../domain/departments';
import { assertFormTransition, hashToken, linkExpiry } from '../../domain/complaints/lifecycle';
import { assertPeriodKey, planSurveyLink, surveyTemplate } from '../../domain/communication/communication';
import { surveyMail, verificationMail } from '../../domain/public/pages';
import { mailCustomer, type MailOutcome } from '../../services/customer-mail';
import { FORM_TRAIL_ACTIONS, renderComplaintForm } from '../../domain/complaints/form';
import { dialectOf, ident, lockRow } from '../../services/db';
import { directusMailer } from '../../services/notify';
import * as clock from '../../services/clock';

export function mountComplaints(router: Router, ctx: EndpointContext): void {
	const { database, services, getSchema, env } = ctx;
	const publicUrl = String(env.PUBLIC_URL ?? '').replace(/\/$/, '');

	const staff = async (req: any, res: any, departments: readonly string[] | null): Promise<ActorInfo | null> => {
		if (!req.accountability?.user) {
			res.status(401).json({ errors: [{ message: 'Log in first', extensions: { code: 'INVALID_CREDENTIALS' } }] });
			return null;
		}
		const actor = actorFrom(req.accountability, await loadSettings(database));
		if (departments && !actor.isAdmin && !actor.departments.some((d) => departments.includes(d))) {
			throw new DomainError(
				'CP_NOT_DEPARTMENT_MEMBER',
				`This is for ${departments.map((d) => `${departmentName(d, 'zh')} ${departmentName(d)}`).join(' or ')}`,
				{ details: { departments } },
			);
		}
		return actor;
	};
	const complaint = async (knex: Knex, id: string) => {
		const row = await knex('cp_complaints')
			.where('id', id)
			.first()
			.catch(() => null);
		if (!row) throw new DomainError('CP_INVALID_VALUE', `complaint '${id}' does not exist`, { field: 'id', status: 404 });
		return row;
	};

	// ------------------------------------------------------------ the links go to the customer by e-mail
	const mailDeps = { services, getSchema, database, logger: ctx.logger };
	const zoneOf = (settings: Settings) => String((settings.calendar as any)?.zone ?? 'Asia/Shanghai');
	/** CP-5: the written response and the verification link, to the customer's e-mail on record. */
	const mailVerification = async (id: string, url: string, expiresAt: Date, actor: ActorInfo, skip: boolean): Promise<MailOutcome> => {
		if (skip) return { mailed: false, to: null };
		const row = await database('cp_complaints').where('id', id).first('id', 'code', 'summary', 'response_content', 'customer', 'contract');
		const settings = await loadSettings(database);
		return mailCustomer(mailDeps, actor, {
			collection: 'cp_complaints',
			item: String(row.id),
			customer: row.customer ?? null,
			contract: row.contract ?? null,
			logType: 'after_sale',
			logSummary: `投诉 ${row.code} 书面答复及确认链接已发送 / Written response and verification link for ${row.code} sent`,
			kind: 'verification_link',
			mail: verificationMail({
				company: settings.company_name ?? null,
				code: String(row.code),
				summary: row.summary ?? null,
				response: row.response_content ?? null,
				url,
				expiresAt,
				zone: zoneOf(settings),
			}),
		});
	};
	/** CC-4: the survey invitation with its link. */
	const mailSurvey = async (row: any, url: string, expiresAt: Date, actor: ActorInfo, skip: boolean): Promise<MailOutcome> => {
		if (skip) return { mailed: false, to: null };
		const settings = await loadSettings(database);
		return mailCustomer(mailDeps, actor, {
			collection: 'cp_communications',
			item: String(row.id),
			customer: row.customer ?? null,
			contract: row.contract ?? null,
			logType: 'visit',
			logSummary: `满意度调查邀请已发送 / Satisfaction survey invitation sent${row.period_key ? ` (${row.period_key})` : ''}`,
			kind: 'survey_invitation',
			mail: surveyMail({ company: settings.company_name ?? null, period: row.period_key ?? null, url, expiresAt, zone: zoneOf(settings) }),
		});
	};

	// ------------------------------------------------------------ CP-4 clock pauses
	// Load the complaint, ask the domain, write once with the audit entry.
	const pauseRoute = (kind: 'pause' | 'resume') =>
		route(async (req, res) => {
			const actor = await staff(req, res, null);
			if (!actor) return;
			const settings = await loadSettings(database);
			const now = clock.now();
			const out = await database.transaction(async (trx) => {
				await lockRow(trx, 'cp_complaints', req.params.id).catch(() => null);
				const row = await trx('cp_complaints')
					.where('id', req.params.id)
					.first()
					.catch(() => null);
				const facts = {
					now,
					actor: { userId: actor.userId, departments: actor.departments, privileged: actor.isAdmin },
					deadlines: settings,
					// X-6: who may pause the clock is the company's setting.
					pauseDepartments: processDepartments(settings).complaint.pause,
				};
				const plan =
					kind === 'pause'
						? planPause(row ?? null, { id: req.params.id, reason: req.body?.reason, note: req.body?.note }, facts)
						: planResume(row ?? null, { id: req.params.id }, facts);
				// Guard against a concurrent pause/resume: the row must still be as we read it.
				const n = await trx('cp_complaints')
					.where('id', row.id)
					.where('status', plan.from)
					.update({ ...plan.update, pauses: json(plan.update.pauses), date_updated: now, user_updated: actor.userId });
				if (!n) throw new DomainError('CP_ACTION_NOT_ALLOWED', 'The complaint changed meanwhile; try again', { field: 'status' });
				await appendAudit(trx, actor, [{ collection: 'cp_complaints', item: row.id, ...plan.audit }], now);
				return {
					id: row.id,
					paused: plan.paused,
					pauses: plan.pauses,
					response_due_at: plan.responseDueAt?.toISOString() ?? null,
					resolution_due_at: plan.resolutionDueAt?.toISOString() ?? null,
				};
			});
			res.json({ data: out });
		});
	router.post('/complaints/:id/pause', pauseRoute('pause'));
	router.post('/complaints/:id/resume', pauseRoute('resume'));

	// ------------------------------------------------------------ CP-5 customer verification link
	router.post(
		'/complaints/:id/verification-link',
		route(async (req, res) => {
			// X-6: the same setting as the step it takes (responded -> verifying), not a list of its own.
			const movers = processDepartments(await loadSettings(database)).complaint;
			const actor = await staff(req, res, movers.request_verification);
			if (!actor) return;
			const now = clock.now();
			const days = req.body?.days === undefined ? undefined : Number(req.body.days);
			const expires = linkExpiry(now, days);
			const token = randomBytes(32).toString('base64url');
			await database.transaction(async (trx) => {
				const row = await complaint(trx, req.params.id);
				if (row.status !== 'responded' && row.status !== 'verifying') {
					throw new DomainError(
						'CP_ACTION_NOT_ALLOWED',
						`The customer verifies after the written response (status responded or verifying), this complaint is '${row.status}'`,
						{ field: 'status' },
					);
				}
				const update: Record<string, unknown> = {
					verify_token_hash: hashToken(token),
					verify_token_expires_at: expires,
					date_updated: now,
					user_updated: actor.userId,
				};
				if (row.status === 'responded') {
					assertFormTransition('responded', 'verifying', {}, { departments: actor.departments, privileged: actor.isAdmin }, movers);
					Object.assign(update, { status: 'verifying', verification: null, verified_at: null });
				}
				const n = await trx('cp_complaints').where({ id: row.id, status: row.status }).update(update);
				if (!n) throw new DomainError('CP_ACTION_NOT_ALLOWED', 'The complaint changed meanwhile; try again', { field: 'status' });
				await appendAudit(
					trx,
					actor,
					[
						{ collection: 'cp_complaints', item: row.id, action: 'verification_link', data: { expires_at: expires.toISOString() } },
						...(row.status === 'responded'
							? [{ collection: 'cp_complaints', item: row.id, action: 'transition', from_status: 'responded', to_status: 'verifying' }]
							: []),
					],
					now,
				);
			});
			// The token leaves the server only here (and in the customer's e-mail); the database keeps its hash.
			const url = `${publicUrl}/cp/public/verify/${token}`;
			const mail = await mailVerification(req.params.id, url, expires, actor, req.body?.mail === false);
			res.json({ data: { url, expires_at: expires.toISOString(), mailed: mail.mailed, mailed_to: mail.to } });
		}),
	);

	// ------------------------------------------------------------ X-1 printable feedback handling form
	router.get(
		'/complaints/:id/form',
		htmlRoute(async (req, res) => {
			const actor = await staff(req, res, null);
			if (!actor) return undefined;
			// Read through Directus so the caller's permissions apply.
			const items = new services.ItemsService('cp_complaints', { schema: await getSchema(), accountability: req.accountability });
			const c = await items.readOne(req.params.id, { fields: ['*'] });
			const settings = await loadSettings(database);
			const customer = c.customer ? await database('cp_customers').where('id', c.customer).first('code', 'name', 'contact_person', 'phone') : null;
			const contract = c.contract ? await database('cp_contracts').where('id', c.contract).first('code', 'title') : null;
			const actions = await database('cp_actions as a')
				.leftJoin('directus_users as u', 'u.id', 'a.owner')
				.where({ 'a.source_collection': 'cp_complaints', 'a.source_id': String(c.id) })
				.orderBy('a.due_at')
				.select('a.title', 'a.status', 'a.due_at', 'a.done_at', 'a.department', 'u.first_name', 'u.last_name', 'u.email');
			const trail = await database('cp_audit as t')
				.leftJoin('directus_users as u', 'u.id', 't.user')
				.where({ 't.collection': 'cp_complaints', 't.item': String(c.id) })
				.whereIn('t.action', FORM_TRAIL_ACTIONS)
				.orderBy('t.id')
				.select('t.at', 't.action', 't.department', 't.as_admin', 't.from_status', 't.to_status', 't.data', 'u.first_name', 'u.last_name', 'u.email');
			const html = renderComplaintForm({
				company: settings.company_name ?? '',
				complaint: c,
				customer,
				contract,
				actions,
				trail,
				zone: (settings.calendar as any)?.zone ?? 'Asia/Shanghai',
				departments: Object.keys(settings.departments ?? {}),
			});
			return html;
		}),
	);

	// ------------------------------------------------------------ CC-4 satisfaction surveys
	router.post(
		'/communications/:id/survey-link',
		route(async (req, res) => {
			const actor = await staff(req, res, null);
			if (!actor) return;
			const now = new Date();
			const token = randomBytes(32).toString('base64url');
			const row = await database('cp_communications')
				.where('id', req.params.id)
				.first()
				.catch(() => null);
			const plan = planSurveyLink(
				row ?? null,
				{ id: req.params.id, days: req.body?.days, token },
				{ now, actor: { departments: actor.departments, privileged: actor.isAdmin } },
			);
			await database.transaction(async (trx) => {
				const n = await trx('cp_communications')
					.where({ id: row.id, survey_status: 'due' })
					.update({ ...plan.update, date_updated: now, user_updated: actor.userId });
				if (!n) throw new DomainError('CP_ACTION_NOT_ALLOWED', 'This survey is already answered', { field: 'survey_status' });
				await appendAudit(trx, actor, [{ collection: 'cp_communications', item: row.id, ...plan.audit }], now);
			});
			const url = `${publicUrl}/cp/public/survey/${token}`;
			const mail = await mailSurvey(row, url, plan.expiresAt, actor, req.body?.mail === false);
			res.json({ data: { url, expires_at: plan.expiresAt.toISOString(), mailed: mail.mailed, mailed_to: mail.to } });
		}),
	);

	// CC-4: the company's questionnaire, for the survey page's answers input (interfaces/cp-survey-answers).
	router.get(
		'/surveys/questionnaire',
		route(async (req, res) => {
			const actor = await staff(req, res, null);
			if (!actor) return;
			res.json({ data: { questions: surveyTemplate((await loadSettings(database)).survey_template) } });
		}),
	);

	router.get(
		'/surveys/summary',
		route(async (req, res) => {
			const actor = await staff(req, res, null);
			if (!actor) return;
			const period = assertPeriodKey(req.query.period);
			// Aggregated by the database: one row per customer, never the raw answers.
			const rows = await database('cp_communications as m')
				.join('cp_customers as c', 'c.id', 'm.customer')
				.where({ 'm.type': 'survey', 'm.period_key': period })
				.groupBy('c.id', 'c.code', 'c.name')
				.orderBy('c.code')
				.select('c.id as customer', 'c.code', 'c.name')
				.count({ surveys: '*' })
				.count({ answered: 'm.score' })
				.avg({ avg_score: 'm.score' })
				.min({ min_score: 'm.score' })
				.max({ max_score: 'm.score' })
				.sum({ sum_score: 'm.score' });
			const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
			const customers = rows.map((r: any) => ({
				customer: r.customer,
				code: r.code,
				name: r.name,
				surveys: Number(r.surveys),
				answered: Number(r.answered),
				avg_score: num(r.avg_score),
				min_score: num(r.min_score),
				max_score: num(r.max_score),
			}));
			// The overall line from the customers' lines (one query, issue 14): every survey has its customer.
			const surveys = customers.reduce((n, c) => n + c.surveys, 0);
			const answered = customers.reduce((n, c) => n + c.answered, 0);
			const scores = rows.reduce((n: number, r: any) => n + Number(r.sum_score ?? 0), 0);
			res.json({
				data: {
					period,
					surveys,
					answered,
					avg_score: answered ? num(scores / answered) : null,
					customers,
				},
			});
		}),
	);

	// ------------------------------------------------------------ CP-7 complaint statistics for management
	router.get(
		'/complaints/stats',
		route(async (req, res) => {
			const actor = await staff(req, res, null);
			if (!actor) return;
			const day = (v: unknown, field: string) => {
				if (v === undefined) return null;
				if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
					throw new DomainError('CP_INVALID_VALUE', `${field} must be a date YYYY-MM-DD`, { field });
				}
				return v;
			};
			const from = day(req.query.from, 'from');
			const to = day(req.query.to, 'to');
			const zone = ((await loadSettings(database)).calendar as any)?.zone ?? 'Asia/Shanghai';
			const base = () => {
				const q = database('cp_complaints');
				if (from) q.where('received_at', '>=', DateTime.fromISO(from, { zone }).toJSDate());
				if (to) q.where('received_at', '<', DateTime.fromISO(to, { zone }).plus({ days: 1 }).toJSDate());
				return q;
			};
			// Two queries (issue 14): one pass of conditional aggregates for the totals, one pass for
			// the four breakdowns (GROUPING SETS on PostgreSQL, four grouped selects in one UNION ALL elsewhere).
			const totals: Record<string, unknown> =
				(await base()
					.select(
						database.raw('COUNT(*) AS total'),
						database.raw('COUNT(responded_at) AS responded'),
						database.raw('SUM(CASE WHEN response_breached THEN 1 ELSE 0 END) AS response_breached'),
						database.raw('SUM(CASE WHEN responded_at IS NULL THEN 1 ELSE 0 END) AS unanswered'),
						database.raw("SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) AS closed"),
						database.raw('SUM(CASE WHEN resolution_breached THEN 1 ELSE 0 END) AS resolution_breached'),
					)
					.first()) ?? {};
			const dims = ['status', 'channel', 'root_cause_category', 'responsible_department'] as const;
			const d = dialectOf(database);
			let groups: { dim: string; key: unknown; n: unknown }[];
			if (d === 'pg') {
				const rows = await base()
					.select(...dims, database.raw(`GROUPING(${dims.join(', ')}) AS g`))
					.count({ n: '*' })
					.groupByRaw(`GROUPING SETS (${dims.map((f) => `(${f})`).join(', ')})`);
				// GROUPING(...) has a 0 bit for the set's own column: 7 = status, 11 = channel, ...
				groups = rows.map((r: any) => {
					const dim = dims[dims.findIndex((_f, i) => (Number(r.g) & (1 << (dims.length - 1 - i))) === 0)]!;
					return { dim, key: r[dim], n: r.n };
				});
			} else {
				const parts = dims.map((f) =>
					base()
						.select(database.raw('? AS dim', [f]), database.raw(`${ident(d, f)} AS ${ident(d, 'key')}`))
						.count({ n: '*' })
						.groupBy(f)
						.toSQL(),
				);
				const out = await database.raw(
					parts.map((p) => p.sql).join(' UNION ALL '),
					parts.flatMap((p) => p.bindings as any[]),
				);
				groups = d === 'mysql' ? out[0] : out;
			}
			// Each breakdown in its key's order as the database sorts it (PostgreSQL puts NULL last).
			const by = (dim: string) =>
				groups
					.filter((g) => g.dim === dim)
					.map((g) => ({ key: (g.key ?? null) as string | null, count: Number(g.n) }))
					.sort((a, b) => (a.key === b.key ? 0 : a.key === null ? (d === 'pg' ? 1 : -1) : b.key === null ? (d === 'pg' ? -1 : 1) : a.key < b.key ? -1 : 1));
			const n = (v: unknown) => Number(v ?? 0);
			res.json({
				data: {
					from,
					to,
					total: n(totals.total),
					by_status: by('status'),
					by_channel: by('channel'),
					by_root_cause_category: by('root_cause_category'),
					by_responsible_department: by('responsible_department'),
					response: {
						responded: n(totals.responded),
						breached: n(totals.response_breached),
						unanswered: n(totals.unanswered),
					},
					resolution: {
						closed: n(totals.closed),
						breached: n(totals.resolution_breached),
					},
				},
			});
		}),
	);

	// ------------------------------------------------------------ scheduler jobs, on demand (admin)
	const adminOnly = (req: any) => {
		if (!req.accountability?.admin) throw new DomainError('CP_SYSTEM_ONLY', 'Only an administrator can run the scheduler jobs by hand', { status: 403 });
	};
	router.post(
		'/jobs/complaints-tick',
		route(async (req, res) => {
			adminOnly(req);
			const reminderLeadHours = Number(env.CP_ACTION_REMINDER_HOURS ?? 24) || 24;
			const complaints = await complaintsTick(database, { reminderLeadHours, mailer: directusMailer({ ...ctx, database }) });
			const surveys = await surveysTick(database);
			res.json({ data: { ...complaints, surveys } });
		}),
	);
	router.post(
		'/jobs/surveys-tick',
		route(async (req, res) => {
			adminOnly(req);
			res.json({ data: await surveysTick(database) });
		}),
	);
}
