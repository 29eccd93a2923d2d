// /cp/public: the account-less routes of the customers — the web-form complaint (CP-1), the
// verification of the written response (CP-5) and the satisfaction survey (CC-4). Each route
// answers a page to a browser (Accept: text/html, or a posted HTML form) and JSON to an
// integration; both ask the same domain plans, under the same per-client budget, and every
// unusable link gets one answer (the same page, or the same JSON).
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import type { Knex } from 'knex';
import { route, type EndpointContext } from './context';
import { loadSettings, type ActorInfo, type Settings } from '../../services/context';
import { appendAudit } from '../../services/audit';
import { complaintIntake, json, linkedActions, toDate, truthy } from '../../services/complaints';
import { isDomainError, type DomainError } from '../../domain/errors';
import { hashToken } from '../../domain/complaints/lifecycle';
import { assertLinkUsable, assertTokenShape, linkInvalid, planVerification } from '../../domain/complaints/verification';
import { parseWebForm, webFormCustomerMatches, webFormRefused } from '../../domain/complaints/web-form';
import { clientKey, requestBudget, trustedProxies, type ProxyTrust } from '../../domain/public/rate-limit';
import { toDirectusError } from '../../services/errors';
import { assertSurveyLinkUsable, planSurveyAnswer, surveyTemplate } from '../../domain/communication/communication';
import {
	linkInvalidPage,
	pageLang,
	rateLimitedPage,
	surveyAnswersFromForm,
	surveyDonePage,
	surveyPage,
	verificationDonePage,
	verificationPage,
	webFormPage,
	webFormReceivedPage,
	type Lang,
} from '../../domain/public/pages';
import * as clock from '../../services/clock';

const CUSTOMER: ActorInfo = { userId: null, isAdmin: false, departments: ['customer'], system: false };

/**
 * Headers of the customer pages: no script and nothing loaded (inline styles only), the forms
 * post only back to this server, no framing, and no Referer that would carry the link's token.
 */
export const CUSTOMER_PAGE_HEADERS: Readonly<Record<string, string>> = {
	'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'cache-control': 'no-store',
};

/** Largest posted form read (the longest texts a complaint takes, percent-encoded, fit in it). */
const MAX_FORM_BYTES = 128 * 1024;

/** CP_TRUSTED_PROXIES, or no trusted proxy at all (logged) when the setting cannot be read. */
function proxyTrust(ctx: EndpointContext): ProxyTrust {
	try {
		return trustedProxies(ctx.env.CP_TRUSTED_PROXIES).trust;
	} catch (e) {
		ctx.logger.error(`[customer-processes] ${(e as Error).message}; no proxy is trusted, the public routes count per connecting address`);
		return () => false;
	}
}

/** A browser's HTML form post (urlencoded); Directus parses only JSON bodies, so it is read here. */
const isFormPost = (req: any) => req.method === 'POST' && Boolean(req.is?.('application/x-www-form-urlencoded'));
/** A browser asking for a page rather than an integration asking for JSON. */
const wantsHtml = (req: any) => isFormPost(req) || (req.method !== 'POST' && req.accepts?.(['json', 'html']) === 'html');

/** The posted form's fields (each once; a repeated field keeps its first value); null when too large. */
async function readForm(req: any): Promise<Record<string, string> | null> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_FORM_BYTES) return null;
		chunks.push(chunk);
	}
	const out: Record<string, string> = {};
	for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) if (!Object.hasOwn(out, k)) out[k] = v;
	return out;
}

const zoneOf = (settings: Settings) => String((settings.calendar as any)?.zone ?? 'Asia/Shanghai');

export function mountPublic(router: Router, ctx: EndpointContext & { purge?: () => Promise<unknown> }): void {
	const { database, env } = ctx;
	// Per-client budget of the public (account-less) routes; the database guards single use.
	const budget = requestBudget(Number(env.CP_PUBLIC_RATE_LIMIT ?? 30) || 30, 60_000);
	const trust = proxyTrust(ctx);
	const limit = (req: any) => budget(clientKey(req.socket?.remoteAddress, req.headers?.['x-forwarded-for'], trust));

	/**
	 * A page route: the budget first, then `fn` renders the page. A domain refusal it does not
	 * handle itself becomes the one page of its kind (unusable link, too many requests); the
	 * customer never sees a code or JSON.
	 */
	const pageRoute =
		(fn: (req: any, res: any, frame: { lang: Lang; company: string | null }, settings: Settings) => Promise<{ status: number; html: string }>) =>
		async (req: any, res: any, next: (e?: unknown) => void) => {
			res.set(CUSTOMER_PAGE_HEADERS);
			let lang = pageLang(req.query?.lang, req.headers?.['accept-language']);
			let company: string | null = null;
			try {
				limit(req);
				const settings = await loadSettings(database);
				company = settings.company_name ?? null;
				if (isFormPost(req)) {
					const form = await readForm(req);
					req.form = form;
					if (form?.lang) lang = pageLang(form.lang, null);
				}
				const out = await fn(req, res, { lang, company }, settings);
				// A page answer is not res.json: purge the shared data cache here after a write (see index.ts).
				if (req.method === 'POST' && out.status < 400) await ctx.purge?.().catch(() => undefined);
				res.status(out.status).set('content-type', 'text/html; charset=utf-8').send(out.html);
			} catch (e) {
				if (!isDomainError(e)) return next(e);
				const frame = { lang, company };
				const [status, html] = e.code === 'CP_RATE_LIMITED' ? [429, rateLimitedPage(frame)] : [404, linkInvalidPage(frame)];
				res.status(status).set('content-type', 'text/html; charset=utf-8').send(html);
			}
		};

	/** The JSON route unless the caller wants a page. */
	const either = (jsonRoute: (req: any, res: any) => Promise<unknown>, page: Parameters<typeof pageRoute>[0]) => {
		const asJson = route(jsonRoute);
		const asPage = pageRoute(page);
		return (req: any, res: any, next: (e?: unknown) => void) => (wantsHtml(req) ? asPage(req, res, next) : asJson(req, res, next));
	};

	// ------------------------------------------------------------ CP-5 the verification link
	/** The complaint a verification link points to, or null; a malformed token is refused unread. */
	const byVerifyToken = async (knex: Knex, token: unknown) => {
		assertTokenShape(token);
		const row = await knex('cp_complaints').where('verify_token_hash', hashToken(token)).first();
		return row ? { row, status: String(row.status), expiresAt: toDate(row.verify_token_expires_at) } : null;
	};

	const verificationView = async (token: unknown) => {
		const found = await byVerifyToken(database, token);
		assertLinkUsable(found, clock.now());
		return found.row;
	};

	/** CP-5: load the complaint and its actions, ask the domain, write once, audit. */
	const answerVerification = async (token: unknown, answer: { decision?: unknown; note?: unknown }) => {
		const now = clock.now();
		return database.transaction(async (trx) => {
			const found = await byVerifyToken(trx, token);
			const plan = planVerification(
				found && {
					status: found.status,
					expiresAt: found.expiresAt,
					respondedAt: toDate(found.row.responded_at),
					actions: await linkedActions(trx, found.row.id),
					noActionReason: found.row.no_action_reason,
					productDisposition: found.row.product_disposition,
					resolutionDueAt: toDate(found.row.resolution_due_at),
					resolutionBreached: truthy(found.row.resolution_breached),
				},
				answer,
				now,
			);
			const row = found!.row;
			// Single use: only the request that still finds the hash on a verifying complaint wins.
			const n = await trx('cp_complaints')
				.where({ id: row.id, verify_token_hash: row.verify_token_hash, status: plan.from })
				.update({ ...plan.update, date_updated: now });
			if (!n) throw linkInvalid();
			await appendAudit(
				trx,
				CUSTOMER,
				plan.audit.map((a) => ({ collection: 'cp_complaints', item: row.id, ...a })),
				now,
			);
			return { code: String(row.code), decision: plan.decision, status: plan.to };
		});
	};

	const verificationShown = (row: any, settings: Settings) => ({
		code: String(row.code),
		summary: row.summary ?? null,
		response: row.response_content ?? null,
		respondedAt: toDate(row.responded_at),
		expiresAt: toDate(row.verify_token_expires_at)!,
		zone: zoneOf(settings),
	});

	router.get(
		'/public/verify/:token',
		either(
			async (req, res) => {
				limit(req);
				const row = await verificationView(req.params.token);
				const settings = await loadSettings(database);
				res.set('cache-control', 'no-store');
				res.json({
					data: {
						company: settings.company_name ?? null,
						code: row.code,
						summary: row.summary,
						response: row.response_content,
						responded_at: toDate(row.responded_at)?.toISOString() ?? null,
						expires_at: toDate(row.verify_token_expires_at)!.toISOString(),
					},
				});
			},
			async (req, _res, frame, settings) => ({
				status: 200,
				html: verificationPage(frame, verificationShown(await verificationView(req.params.token), settings)),
			}),
		),
	);

	router.post(
		'/public/verify/:token',
		either(
			async (req, res) => {
				limit(req);
				res.json({ data: await answerVerification(req.params.token, { decision: req.body?.decision, note: req.body?.note }) });
			},
			async (req, _res, frame, settings) => {
				const form: Record<string, string> | null = req.form;
				const row = await verificationView(req.params.token);
				const note = form?.note?.trim() ? form.note : null;
				const decision = form?.decision;
				// The customer's own mistakes get the page again with what to fix; the link stays usable.
				if (decision !== 'confirmed' && decision !== 'rejected')
					return { status: 400, html: verificationPage(frame, verificationShown(row, settings), 'decision') };
				try {
					const out = await answerVerification(req.params.token, { decision, note });
					return { status: 200, html: verificationDonePage(frame, { code: out.code, to: out.status }) };
				} catch (e) {
					if (isDomainError(e) && e.code === 'CP_INVALID_VALUE')
						return { status: 400, html: verificationPage(frame, verificationShown(row, settings), 'note') };
					throw e;
				}
			},
		),
	);

	// ------------------------------------------------------------ CP-1 web-form intake (no account)
	// The customer names their customer code and the e-mail on record. The whole form is
	// checked before the pair is looked up, and every refusal is the same answer, so the form
	// cannot be used to find out which pairs exist. Everything else is the normal intake.
	const intake = async (body: unknown) => {
		const form = parseWebForm(body);
		const customer = await database('cp_customers').where('code', form.customerCode).first('id', 'email', 'status');
		if (!webFormCustomerMatches(customer, form)) throw webFormRefused();
		const settings = await loadSettings(database);
		const now = new Date();
		const webActor: ActorInfo = { ...CUSTOMER, departments: ['web_form'] };
		return database.transaction(async (trx) => {
			const row = await complaintIntake(
				trx,
				{
					customer: customer.id,
					channel: 'web',
					summary: form.summary,
					description: form.description,
					product: form.product,
					batch: form.batch,
					received_at: now.toISOString(),
				},
				{ ...webActor, system: true },
				settings,
				now,
			);
			const id = randomUUID();
			// Timestamps as Date objects: the driver writes them in each database's own format.
			const asDates = Object.fromEntries(
				['received_at', 'response_due_at', 'resolution_due_at'].map((f) => [f, toDate((row as Record<string, unknown>)[f]) ?? null]),
			);
			await trx('cp_complaints').insert({ ...row, ...asDates, id, date_created: now });
			await appendAudit(trx, webActor, [{ collection: 'cp_complaints', item: id, action: 'create', to_status: 'received', data: { via: 'web_form' } }], now);
			return { code: String(row.code), responseDueAt: toDate(row.response_due_at) };
		});
	};

	router.post(
		'/public/complaints',
		either(
			async (req, res) => {
				limit(req);
				const out = await intake(req.body);
				res.status(201).json({ data: { code: out.code, response_due_at: out.responseDueAt?.toISOString() ?? null } });
			},
			async (req, _res, frame, settings) => {
				const form: Record<string, string> | null = req.form;
				const values = {
					summary: form?.summary ?? null,
					description: form?.description ?? null,
					product: form?.product ?? null,
					batch: form?.batch ?? null,
				};
				try {
					if (!form) throw webFormRefused();
					// The page's own fields: the language, and optional fields left empty are absent.
					const body = Object.fromEntries(
						Object.entries(form).filter(([k, v]) => k !== 'lang' && !(v === '' && ['description', 'product', 'batch'].includes(k))),
					);
					const out = await intake(body);
					return { status: 201, html: webFormReceivedPage(frame, { code: out.code, responseDueAt: out.responseDueAt, zone: zoneOf(settings) }) };
				} catch (e) {
					if (isDomainError(e) && (e as DomainError).code === 'CP_INVALID_VALUE') return { status: 400, html: webFormPage(frame, { refused: true, values }) };
					throw e;
				}
			},
		),
	);
	// The blank form, for a browser (there is no JSON to read here).
	router.get(
		'/public/complaints',
		pageRoute(async (_req, _res, frame) => ({ status: 200, html: webFormPage(frame) })),
	);

	// ------------------------------------------------------------ CC-4 satisfaction survey link
	/** The survey a link points to, or null; a malformed token is refused unread. */
	const bySurveyToken = async (token: unknown) => {
		assertTokenShape(token);
		return (await database('cp_communications').where('token_hash', hashToken(token)).first()) ?? null;
	};
	const surveyView = async (token: unknown) => {
		const row = await bySurveyToken(token);
		assertSurveyLinkUsable(row, new Date());
		return row;
	};
	const answerSurvey = async (token: unknown, answer: { answers?: unknown; score?: unknown }) => {
		const now = new Date();
		const row = await bySurveyToken(token);
		const plan = planSurveyAnswer(row, answer, { now, template: surveyTemplate((await loadSettings(database)).survey_template) });
		await database.transaction(async (trx) => {
			// Single use: only the request that still finds the hash on a due survey wins.
			const n = await trx('cp_communications')
				.where({ id: row!.id, token_hash: row!.token_hash, survey_status: 'due' })
				.update({ ...plan.update, answers: json(plan.update.answers), date_updated: now });
			if (!n) throw linkInvalid();
			await appendAudit(trx, CUSTOMER, [{ collection: 'cp_communications', item: row!.id, ...plan.audit }], now);
		});
		return row!;
	};
	const surveyShown = (row: any, settings: Settings, answers?: Record<string, string>) => ({
		period: row.period_key ?? null,
		questions: surveyTemplate(settings.survey_template),
		expiresAt: toDate(row.token_expires_at)!,
		zone: zoneOf(settings),
		...(answers ? { answers } : {}),
	});

	router.get(
		'/public/survey/:token',
		either(
			async (req, res) => {
				limit(req);
				const row = await surveyView(req.params.token);
				const settings = await loadSettings(database);
				res.set('cache-control', 'no-store');
				res.json({
					data: {
						company: settings.company_name ?? null,
						period: row.period_key,
						expires_at: toDate(row.token_expires_at)!.toISOString(),
						questions: surveyTemplate(settings.survey_template),
					},
				});
			},
			async (req, _res, frame, settings) => ({ status: 200, html: surveyPage(frame, surveyShown(await surveyView(req.params.token), settings)) }),
		),
	);

	router.post(
		'/public/survey/:token',
		either(
			async (req, res) => {
				limit(req);
				const row = await answerSurvey(req.params.token, { answers: req.body?.answers, score: req.body?.score });
				res.json({ data: { period: row.period_key, survey_status: 'answered' } });
			},
			async (req, _res, frame, settings) => {
				const form: Record<string, string> = req.form ?? {};
				const row = await surveyView(req.params.token);
				const questions = surveyTemplate(settings.survey_template);
				const ratings = surveyAnswersFromForm(form, questions);
				const comment = form.comment?.trim() ? form.comment.trim().slice(0, 2000) : null;
				const given = Object.fromEntries(Object.entries(ratings).map(([k, v]) => [k, String(v)]));
				// Every question rated, each a whole rating of its scale: otherwise the page again, the link still usable.
				const complete = questions.every((q) => Number.isInteger(ratings[q.key]) && ratings[q.key]! >= 1 && ratings[q.key]! <= q.scale);
				if (!complete) return { status: 400, html: surveyPage(frame, surveyShown(row, settings, given), true) };
				await answerSurvey(req.params.token, { answers: { ...ratings, ...(comment ? { comment } : {}) } });
				return { status: 200, html: surveyDonePage(frame) };
			},
		),
	);

	// Any other path under the links (a token with a slash, none at all, another method) and a
	// token that is not even valid percent-encoding (Express refuses to decode it with a bare 400)
	// get the answer of an unknown link, after the same budget.
	const LINK_PATH = /^\/public\/(verify|survey)(\/.*)?$/;
	const unknownLink = either(
		async (req) => {
			limit(req);
			throw linkInvalid();
		},
		async () => {
			throw linkInvalid();
		},
	);
	router.all(LINK_PATH, unknownLink);
	router.use((err: any, req: any, res: any, next: (e?: unknown) => void) => {
		if (!(err instanceof URIError) || !LINK_PATH.test(req.path)) return next(err);
		if (wantsHtml(req)) return unknownLink(req, res, next);
		try {
			limit(req);
			next(toDirectusError(linkInvalid()));
		} catch (e) {
			next(isDomainError(e) ? toDirectusError(e) : e);
		}
	});
}
