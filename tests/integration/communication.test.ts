// Customer communication (CC-1..CC-4) over HTTP as department users: the contact log, the
// quarterly satisfaction survey generated exactly once per active customer, answers by staff
// or through a single-use customer link, and the per-customer summary aggregated in SQL.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { cp, database, http, ok, resetClock, setClock, uid } from '../harness/client';

const iso = (ms: number) => new Date(ms).toISOString();
const tokenOf = (url: string) => url.split('/').pop()!;
// Worked example: the survey job runs at 2026-06-30 16:30 UTC, which is already 1 July 00:30 in
// Shanghai (the company's zone): the quarterly survey belongs to the third quarter, not the second.
const TICK_AT = '2026-06-30T16:30:00.000Z';
const period = '2026-Q3';

let active: string[];
let archived: string;

beforeAll(async () => {
	active = [];
	for (const name of ['林州建机重工', 'Nordic Foods AB', '远达商品混凝土'])
		active.push((await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name })).id);
	archived = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: '已停业客户', status: 'archived' })).id;
});

const surveysOf = (customer: string) => database()('cp_communications').where({ customer, type: 'survey' }).select();

describe('CC-1 contact log', () => {
	it('CC-1 records an inquiry, progress information and a visit (回访) for an existing customer', async () => {
		for (const [type, channel] of [
			['inquiry', 'phone'],
			['progress', 'mail'],
			['visit', 'visit'],
		]) {
			const r = await ok('sales', 'POST', '/items/cp_communications', {
				customer: active[0],
				type,
				channel,
				summary: `${type} 记录`,
				findings: '支架运行正常',
				occurred_at: iso(Date.now() - 3600e3),
			});
			expect(r.type).toBe(type);
			expect(r.survey_status).toBeNull();
		}
	});

	it('CC-1 refuses unknown customers, unknown types, future dates, oversized text and survey fields on a log entry, writing nothing', async () => {
		const before = Number((await database()('cp_communications').count({ n: '*' }).first())!.n);
		const cases: [Record<string, unknown>, string][] = [
			[{ customer: 'a8c1a7e4-0000-4000-8000-000000000000' }, 'customer'],
			[{ type: 'gossip' }, 'type'],
			[{ channel: 'pigeon' }, 'channel'],
			// Sales works in zh-CN: a field key in a message becomes its label on the form (日期 Date).
			[{ occurred_at: iso(Date.now() + 48 * 3600e3) }, '日期'],
			[{ occurred_at: '31/02/2026' }, '日期'],
			[{ findings: 'x'.repeat(10_001) }, 'findings'],
			[{ score: 90 }, 'score'],
		];
		for (const [bad, field] of cases) {
			const r = await http('sales', 'POST', '/items/cp_communications', { customer: active[0], type: 'inquiry', summary: 'bad', ...bad });
			expect(r.status, field).toBe(400);
			expect(r.code, field).toBe('CP_INVALID_VALUE');
			expect(r.message, field).toContain(field);
		}
		expect(Number((await database()('cp_communications').count({ n: '*' }).first())!.n)).toBe(before);
	});
});

describe('CC-4 satisfaction surveys', () => {
	it('CC-4 creates exactly one survey per active customer and quarter across repeated and concurrent ticks', async () => {
		expect((await http('sales', 'POST', '/cp/jobs/surveys-tick')).status).toBe(403);
		let again: unknown;
		await setClock(TICK_AT);
		try {
			await ok('admin', 'POST', '/cp/jobs/surveys-tick');
			await Promise.all([ok('admin', 'POST', '/cp/jobs/surveys-tick'), ok('admin', 'POST', '/cp/jobs/complaints-tick')]);
			again = await ok('admin', 'POST', '/cp/jobs/surveys-tick');
		} finally {
			await resetClock();
		}
		expect(again).toEqual({ period, created: 0 });
		for (const c of active) {
			const rows = await surveysOf(c);
			expect(rows.map((r: any) => [r.period_key, r.survey_status, r.dedupe_key])).toEqual([[period, 'due', `survey:${c}:${period}`]]);
		}
		expect(await surveysOf(archived)).toEqual([]);
		// Every active customer in the database has exactly one.
		const counts = await database()('cp_customers as c')
			.leftJoin('cp_communications as m', function () {
				this.on('m.customer', '=', 'c.id')
					.andOn('m.type', '=', database().raw('?', ['survey']))
					.andOn('m.period_key', '=', database().raw('?', [period]));
			})
			.where('c.status', 'active')
			.groupBy('c.id')
			.select('c.id')
			.count({ n: 'm.id' });
		expect(counts.length).toBeGreaterThanOrEqual(2);
		expect(counts.every((r: any) => Number(r.n) === 1)).toBe(true);
	});

	it('CC-4 refuses a second survey for the same customer and period entered by hand', async () => {
		const r = await http('sales', 'POST', '/items/cp_communications', { customer: active[0], type: 'survey', period_key: period });
		expect([r.status, r.code]).toEqual([409, 'CP_DUPLICATE_SURVEY']);
		expect(r.message).toContain(period);
	});

	it('CC-4 a questionnaire answered on every question is scored by the server; a rating off the scale is refused', async () => {
		const [survey] = await surveysOf(active[2]);
		const off = await http('sales', 'PATCH', `/items/cp_communications/${survey.id}`, { answers: { quality: 6 } });
		expect([off.status, off.code]).toEqual([400, 'CP_INVALID_VALUE']);
		// Named by the question's label in the user's language (Sales reads zh-CN), not by its key.
		expect(off.message).toContain('产品质量');
		expect(off.message).not.toContain('answers.quality');
		const answered = await ok('sales', 'PATCH', `/items/cp_communications/${survey.id}`, {
			answers: { quality: 5, delivery: 4, service: 4, communication: 5, price: 3 },
		});
		expect([answered.survey_status, Number(answered.score)]).toEqual(['answered', 84]);
	});

	it('CC-4 staff enter answers and a score; out-of-range scores are refused', async () => {
		const [survey] = await surveysOf(active[0]);
		const noScore = await http('sales', 'PATCH', `/items/cp_communications/${survey.id}`, { answers: { quality: 5 } });
		expect([noScore.status, noScore.code]).toEqual([400, 'CP_REQUIRED_FIELDS_MISSING']);
		const high = await http('sales', 'PATCH', `/items/cp_communications/${survey.id}`, { answers: { quality: 5 }, score: 150 });
		expect([high.status, high.code]).toEqual([400, 'CP_INVALID_VALUE']);
		expect((await database()('cp_communications').where('id', survey.id).first()).survey_status).toBe('due');
		const answered = await ok('sales', 'PATCH', `/items/cp_communications/${survey.id}`, {
			answers: { quality: 5, delivery: 4, service: 4 },
			score: 86.5,
			channel: 'phone',
		});
		expect(answered.survey_status).toBe('answered');
		expect(Number(answered.score)).toBe(86.5);
		// an answered survey is evidence (its score is a KPI).
		const back = await http('sales', 'PATCH', `/items/cp_communications/${survey.id}`, { survey_status: 'due' });
		expect([back.status, back.code]).toEqual([409, 'CP_RECORD_FROZEN']);
	});

	it('CC-4 the customer answers once through an expiring link; forged, expired and reused links get one answer', async () => {
		const [survey] = await surveysOf(active[1]);
		const invalid = async (token: string) => {
			const r = await http(null, 'POST', `/cp/public/survey/${token}`, { score: 90 });
			expect([r.status, r.code, r.message]).toEqual([404, 'CP_LINK_INVALID', 'This link is not valid or has expired']);
		};
		const first = await ok('sales', 'POST', `/cp/communications/${survey.id}/survey-link`, {});
		await database()('cp_communications')
			.where('id', survey.id)
			.update({ token_expires_at: new Date(Date.now() - 1000) });
		await invalid(tokenOf(first.url));
		await invalid(randomBytes(32).toString('base64url'));
		const link = await ok('sales', 'POST', `/cp/communications/${survey.id}/survey-link`, { days: 7 });
		const token = tokenOf(link.url);
		const shown = await ok(null, 'GET', `/cp/public/survey/${token}`);
		expect(shown.period).toBe(period);
		const bad = await http(null, 'POST', `/cp/public/survey/${token}`, { score: 'great' });
		expect([bad.status, bad.code]).toEqual([400, 'CP_INVALID_VALUE']);
		expect((await ok(null, 'POST', `/cp/public/survey/${token}`, { score: 72, answers: { quality: 4, delivery: 3 } })).survey_status).toBe('answered');
		await invalid(token);
		const row = await database()('cp_communications').where('id', survey.id).first();
		expect([row.survey_status, Number(row.score), row.channel, row.token_hash]).toEqual(['answered', 72, 'link', null]);
		expect((await http('sales', 'POST', `/cp/communications/${survey.id}/survey-link`, {})).code).toBe('CP_ACTION_NOT_ALLOWED');
	});

	it('CC-4 summarises the period per customer in SQL', async () => {
		const summary = await ok('quality', 'GET', `/cp/surveys/summary?period=${period}`);
		expect(summary.period).toBe(period);
		const mine = summary.customers.filter((c: any) => active.includes(c.customer));
		expect(mine.map((c: any) => [c.customer, c.surveys, c.answered, c.avg_score])).toEqual(
			[
				[active[0], 1, 1, 86.5],
				[active[1], 1, 1, 72],
				[active[2], 1, 1, 84],
			].sort((a, b) => summary.customers.findIndex((c: any) => c.customer === a[0]) - summary.customers.findIndex((c: any) => c.customer === b[0])),
		);
		expect(summary.surveys).toBe(summary.customers.reduce((s: number, c: any) => s + c.surveys, 0));
		const bad = await http('quality', 'GET', `/cp/surveys/summary?period=${encodeURIComponent("2026-Q4' OR 1=1")}`);
		expect([bad.status, bad.code]).toEqual([400, 'CP_INVALID_VALUE']);
		expect((await http(null, 'GET', `/cp/surveys/summary?period=${period}`)).status).toBe(401);
	});
});

describe('CC-4/CP-5 public links are rate limited per address', () => {
	it('CC-4 answers 429 once an address exceeds its budget of public requests', async () => {
		// From an address of its own (Directus trusts X-Forwarded-For), so that the other tests'
		// public requests keep their budget.
		const results = await Promise.all(
			Array.from({ length: 40 }, async () => {
				const res = await fetch(`${cp().url}/cp/public/survey/${randomBytes(32).toString('base64url')}`, { headers: { 'x-forwarded-for': '198.51.100.9' } });
				const body: any = await res.json();
				return { status: res.status, code: body.errors?.[0]?.extensions?.code as string | undefined };
			}),
		);
		const codes = new Set(results.map((r) => r.code));
		expect(codes).toEqual(new Set(['CP_LINK_INVALID', 'CP_RATE_LIMITED']));
		expect(results.find((r) => r.code === 'CP_RATE_LIMITED')!.status).toBe(429);
	});
});
