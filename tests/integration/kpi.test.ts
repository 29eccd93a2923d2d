// Management indicators (X-4, CP-7, CC-3, CC-4) over HTTP: data is created through the API for
// customers of this file only, and each /cp/kpi endpoint must return exactly its numbers.
import { beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { cp, database, http, ok, uid } from '../harness/client';
import { approval } from '../harness/fixtures';

const ZONE = 'Asia/Shanghai';
const H = 3600e3;
const D = 24 * H;
const iso = (ms: number) => new Date(ms).toISOString();
/** A DATE column as 'YYYY-MM-DD': epoch ms of local midnight on SQLite, a local-midnight Date on pg/mysql. */
function day(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	if (v instanceof Date) return DateTime.fromJSDate(v).toISODate();
	if (typeof v === 'number' || /^\d{9,}$/.test(String(v))) return DateTime.fromMillis(Number(v)).toISODate();
	return String(v).slice(0, 10);
}

let customer: { id: string; code: string };
let other: { id: string; code: string };

const kpi = (key: string, params: Record<string, string> = {}, who = 'quality') => http(who, 'GET', `/cp/kpi/${key}?${new URLSearchParams(params)}`);
const rows = async (key: string, params: Record<string, string> = {}, who = 'quality') => {
	const r = await kpi(key, params, who);
	expect(r.status, `${key}: ${r.message}`).toBe(200);
	return (r.data.rows as any[]).map((x) => ({ key: x.key, ...x.values }));
};

async function newCustomer(name: string) {
	return ok('sales', 'POST', '/items/cp_customers', { code: uid('KPI'), name, is_new: false });
}

// ------------------------------------------------------------------------------ contracts

const LINE = { product: 'Corrugated box', specification: '600x400x300', quantity: 1000, unit: 'pcs', unit_price: 10, delivery_date: '2027-01-15' };

async function contract(cls: string, customerId = customer.id) {
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: 'KPI contract',
		kind: 'contract',
		channel: 'written',
		class: cls,
		customer: customerId,
	});
	// A product of its own, so that no contract is a repeat order (CR-8 confirmation route).
	await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, product: uid('Box'), line_no: 1, contract: c.id });
	await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' });
	return c;
}

/** The lines of the contract's current round, by department. */
async function lines(id: string): Promise<Record<string, any>> {
	const { review_round } = await ok('admin', 'GET', `/items/cp_contracts/${id}?fields=review_round`);
	const rows = await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${id}&filter[round][_eq]=${review_round}&limit=-1`);
	return Object.fromEntries(rows.map((r: any) => [r.department, r]));
}

async function sign(id: string, only?: string[]) {
	for (const [dept, line] of Object.entries(await lines(id))) {
		if (only && !only.includes(dept)) continue;
		await ok(dept, 'PATCH', `/items/cp_review_lines/${line.id}`, approval(line, 'OK'));
	}
	// CR-6: a full round completes with the sales manager's conclusion (the in-stock lane with its slip).
	const c = await ok('admin', 'GET', `/items/cp_contracts/${id}`);
	if (!only && c.status === 'in_review' && c.review_route !== 'regular_in_stock')
		await ok('sales', 'PATCH', `/items/cp_contracts/${id}`, { conclusion: '同意' });
}

/** The server's clock at a known instant (services/clock.ts; the harness enables the test clock). */
const clockAt = (ms: number) => ok('admin', 'POST', '/cp/test/clock', { at: iso(ms) });
const clockReset = () => ok('admin', 'POST', '/cp/test/clock', { reset: true });

/** One review round submitted at `submittedAt` and completed `hours` later, by the server's clock. */
async function reviewTaking(cls: string, submittedAt: number, hours: number) {
	await clockAt(submittedAt);
	const c = await contract(cls);
	await clockAt(submittedAt + hours * H);
	await sign(c.id);
	return c;
}

/**
 * A round completed before the contracts carried their submission time (an install upgraded from
 * 0.2.0): its audit entries as that release wrote them (the completion without its hours), at
 * known instants.
 */
async function legacyReview(id: string, submittedAt: number, hours: number) {
	const db = database();
	const audit = await db('cp_audit')
		.where({ collection: 'cp_contracts', item: id })
		.whereIn('action', ['submitted', 'review_completed'])
		.select('id', 'action', 'data');
	expect(audit.map((a: any) => a.action).sort()).toEqual(['review_completed', 'submitted']);
	for (const a of audit) {
		const data = typeof a.data === 'string' ? JSON.parse(a.data) : a.data;
		await db('cp_audit')
			.where('id', a.id)
			.update({
				at: new Date(a.action === 'submitted' ? submittedAt : submittedAt + hours * H),
				data: JSON.stringify({ round: data.round, route: data.route }),
				// Nor the route and hours columns of 0.4.0 (issue 14).
				review_route: null,
				cycle_hours: null,
			});
	}
}

// ------------------------------------------------------------------------------ complaints

async function complaint(receivedAgoMs: number) {
	return ok('sales', 'POST', '/items/cp_complaints', {
		customer: customer.id,
		channel: 'phone',
		summary: uid('纸箱受潮'),
		product: '五层瓦楞纸箱',
		batch: uid('B'),
		received_at: iso(Date.now() - receivedAgoMs),
	});
}

async function action(complaintId: string, department: string, dueInMs: number) {
	return ok('quality', 'POST', '/items/cp_actions', {
		title: uid('措施'),
		source_collection: 'cp_complaints',
		source_id: complaintId,
		owner: cp().users[department].id,
		department,
		due_at: iso(Date.now() + dueInMs),
	});
}

async function respond(id: string, cause: string) {
	await ok('quality', 'PATCH', `/items/cp_complaints/${id}`, { status: 'investigating' });
	await ok('quality', 'PATCH', `/items/cp_complaints/${id}`, {
		traceability: '追溯批次记录',
		root_cause_category: cause,
		root_cause: '原因分析',
		responsible_department: 'production',
		status: 'action',
	});
	const a = await action(id, 'production', 3 * D);
	await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
	await ok('sales', 'PATCH', `/items/cp_complaints/${id}`, { response_content: '书面答复内容', product_disposition: 'none', status: 'responded' });
}

// ------------------------------------------------------------------------------ property

const property = (over: Record<string, unknown> = {}) =>
	ok('warehouse', 'POST', '/items/cp_property', {
		code: uid('KP'),
		name: '模切版 Die board',
		kind: 'tooling',
		customer: customer.id,
		serial_no: uid('SN'),
		quantity: 1,
		unit: '套',
		scope: '我方保管 Kept by us',
		...over,
	});

async function inStore(receivedAt: DateTime) {
	const p = await property();
	await ok('warehouse', 'POST', `/cp/property/${p.id}/events`, { type: 'receipt', quantity: 1, to_location: '专区 A-01', occurred_at: receivedAt.toISO() });
	await ok('quality', 'POST', `/cp/property/${p.id}/events`, { type: 'inspection', result: 'accepted' });
	return p;
}

beforeAll(async () => {
	customer = await newCustomer('指标顾客 KPI customer');
	other = await newCustomer('另一顾客 Other customer');

	// Reviews completed: three on the regular route (10 h, 20 h, 60 h), one regular-in-stock (5 h).
	const t2026 = DateTime.fromISO('2026-03-02T09:00:00', { zone: ZONE }).toMillis();
	const t2025 = DateTime.fromISO('2025-06-02T09:00:00', { zone: ZONE }).toMillis();
	const done: [string, number, number][] = [
		['regular', t2026, 10],
		['regular', t2026 + D, 20],
		['regular', t2025, 60],
		['regular_in_stock', t2026 + 2 * D, 5],
	];
	try {
		for (const [cls, at, hours] of done) {
			const c = await reviewTaking(cls, at, hours);
			expect((await ok('admin', 'GET', `/items/cp_contracts/${c.id}`)).status).toBe('reviewed');
		}
	} finally {
		await clockReset();
	}
	// Reviews waiting: c5 with production signed, c6 with nothing signed.
	const c5 = await contract('regular');
	await sign(c5.id, ['production']);
	const c6 = await contract('regular');
	// Discrepancies on c6: production raises two (one resolved by Sales), purchasing one.
	await ok('production', 'POST', '/items/cp_discrepancies', { contract: c6.id, clause: '交货期', problem: '交期过紧' });
	const d2 = await ok('production', 'POST', '/items/cp_discrepancies', { contract: c6.id, clause: '工艺', problem: '印刷要求不明确' });
	await ok('purchasing', 'POST', '/items/cp_discrepancies', { contract: c6.id, clause: '材料', problem: 'K=A 原纸交期 4 周' });
	await ok('sales', 'PATCH', `/items/cp_discrepancies/${d2.id}`, {
		status: 'resolved',
		resolution: '顾客确认四色印刷',
		customer_contact: '电话 2026-03-05 李经理',
	});
	// Another customer's review waiting, which the customer option must leave out.
	await contract('regular', other.id);
});

describe('X-4 contract review indicators', () => {
	it('X-4 review-cycle-time: average and median hours per route, by period and by department', async () => {
		expect(await rows('review-cycle-time', { customer: customer.code })).toEqual([
			{ key: 'regular', completed: 3, avg_hours: 30, p50_hours: 20 },
			{ key: 'regular_in_stock', completed: 1, avg_hours: 5, p50_hours: 5 },
		]);
		// Completed in 2026: the two regular reviews (10 h, 20 h): the median of two is their mean.
		expect(await rows('review-cycle-time', { customer: customer.id, from: '2026-01-01', to: '2026-12-31' })).toEqual([
			{ key: 'regular', completed: 2, avg_hours: 15, p50_hours: 15 },
			{ key: 'regular_in_stock', completed: 1, avg_hours: 5, p50_hours: 5 },
		]);
		expect(await rows('review-cycle-time', { customer: customer.code, from: '2025-01-01', to: '2025-12-31' })).toEqual([
			{ key: 'regular', completed: 1, avg_hours: 60, p50_hours: 60 },
		]);
		// Only the regular-in-stock route has a warehouse line.
		expect(await rows('review-cycle-time', { customer: customer.code, department: 'warehouse' })).toEqual([
			{ key: 'regular_in_stock', completed: 1, avg_hours: 5, p50_hours: 5 },
		]);
		const r = await kpi('review-cycle-time', { customer: customer.code });
		expect(r.data.columns.map((c: any) => c.key)).toEqual(['completed', 'avg_hours', 'p50_hours']);
		expect(r.data.rows[0].label).toEqual({ en: 'Regular', zh: '常规' });
	});

	it('X-4 review-cycle-time: each round counts from its own (re)submission; a completion recorded before 0.3.0 from its submission in the audit trail', async () => {
		const own = await newCustomer('Cycle rounds');
		let ownContract: string | undefined;
		const t = DateTime.fromISO('2026-04-01T09:00:00', { zone: ZONE }).toMillis();
		try {
			// Round 1: 10 hours; Sales resubmits the reviewed contract 20 hours later; round 2: 4 hours.
			await clockAt(t);
			const c = await contract('regular', own.id);
			ownContract = c.id;
			await clockAt(t + 10 * H);
			await sign(c.id);
			await clockAt(t + 30 * H);
			await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' });
			await clockAt(t + 34 * H);
			await sign(c.id);
			expect((await ok('admin', 'GET', `/items/cp_contracts/${c.id}`)).status).toBe('reviewed');
		} finally {
			await clockReset();
		}
		expect(await rows('review-cycle-time', { customer: own.code })).toEqual([{ key: 'regular', completed: 2, avg_hours: 7, p50_hours: 7 }]);
		// What the indicator reads: the contract carries the round's resubmission, each completion its round's hours.
		expect(new Date((await ok('admin', 'GET', `/items/cp_contracts/${ownContract}?fields=review_submitted_at`)).review_submitted_at).getTime()).toBeCloseTo(
			t + 30 * H,
			-4,
		);
		const completions = await ok('admin', 'GET', `/items/cp_audit?filter[item][_eq]=${ownContract}&filter[action][_eq]=review_completed&sort=id&fields=data`);
		expect(completions.map((a: any) => Math.round((typeof a.data === 'string' ? JSON.parse(a.data) : a.data).hours * 100) / 100)).toEqual([10, 4]);

		const upgraded = await newCustomer('Cycle upgraded');
		const l = await contract('regular', upgraded.id);
		await sign(l.id);
		await legacyReview(l.id, t, 48);
		expect(await rows('review-cycle-time', { customer: upgraded.code })).toEqual([{ key: 'regular', completed: 1, avg_hours: 48, p50_hours: 48 }]);

		// Completions recorded between 0.3.0 and 0.4.0 hold their hours in the JSON only: answered from
		// it, then given their columns by step 0.4.0's job (issue 14), with the same answer.
		const db = database();
		const columns = () =>
			db('cp_audit').where({ collection: 'cp_contracts', item: ownContract, action: 'review_completed' }).orderBy('id').select('review_route', 'cycle_hours');
		expect((await columns()).map((a: any) => [a.review_route, Math.round(Number(a.cycle_hours) * 100) / 100])).toEqual([
			['regular', 10],
			['regular', 4],
		]);
		await db('cp_audit').where({ collection: 'cp_contracts', item: ownContract, action: 'review_completed' }).update({ review_route: null, cycle_hours: null });
		expect(await rows('review-cycle-time', { customer: own.code })).toEqual([{ key: 'regular', completed: 2, avg_hours: 7, p50_hours: 7 }]);
		expect((await http('quality', 'POST', '/cp/jobs/review-cycle-columns', {})).status).toBe(403);
		const job = await ok('admin', 'POST', '/cp/jobs/review-cycle-columns', {});
		expect(job.entries).toBeGreaterThanOrEqual(2);
		expect((await columns()).map((a: any) => [a.review_route, Math.round(Number(a.cycle_hours) * 100) / 100])).toEqual([
			['regular', 10],
			['regular', 4],
		]);
		expect(await rows('review-cycle-time', { customer: own.code })).toEqual([{ key: 'regular', completed: 2, avg_hours: 7, p50_hours: 7 }]);
		// Run again, nothing is left to copy and the index stays.
		expect(await ok('admin', 'POST', '/cp/jobs/review-cycle-columns', {})).toEqual({ entries: 0, index: false });
	});

	it('X-4 reviews-waiting: pending lines of contracts in review per department', async () => {
		expect(await rows('reviews-waiting', { customer: customer.code })).toEqual([
			{ key: 'production', pending: 1, contracts: 1 },
			{ key: 'purchasing', pending: 2, contracts: 2 },
			{ key: 'sales', pending: 2, contracts: 2 },
		]);
		expect(await rows('reviews-waiting', { customer: customer.code, department: 'sales' })).toEqual([{ key: 'sales', pending: 2, contracts: 2 }]);
		expect(await rows('reviews-waiting', { customer: other.code })).toEqual([
			{ key: 'production', pending: 1, contracts: 1 },
			{ key: 'purchasing', pending: 1, contracts: 1 },
			{ key: 'sales', pending: 1, contracts: 1 },
		]);
		// The period does not apply to a snapshot, and the answer says so.
		const r = await kpi('reviews-waiting', { customer: customer.code, from: '2030-01-01' });
		expect(r.data.ignored).toEqual(['period']);
		expect(r.data.rows).toHaveLength(3);
	});

	it('X-4 open-discrepancies: open and resolved-not-closed per raising department', async () => {
		expect(await rows('open-discrepancies', { customer: customer.code })).toEqual([
			{ key: 'production', open: 1, resolved: 1 },
			{ key: 'purchasing', open: 1, resolved: 0 },
		]);
		expect(await rows('open-discrepancies', { customer: customer.code, department: 'purchasing' })).toEqual([{ key: 'purchasing', open: 1, resolved: 0 }]);
		expect(await rows('open-discrepancies', { customer: other.code })).toEqual([]);
	});
});

describe('CP-7 complaint indicators', () => {
	beforeAll(async () => {
		const late = await complaint(30 * D); // responded a month after receipt: late
		await respond(late.id, 'process');
		const onTime = await complaint(10 * 60e3);
		await respond(onTime.id, 'material');
		const overdue = await complaint(30 * D); // never answered: open and overdue
		await action(overdue.id, 'quality', 2 * D);
		const fresh = await complaint(5 * 60e3); // not answered, still within the deadline
		const a = await action(fresh.id, 'production', D);
		// The action's deadline passes (an action cannot be created overdue).
		await database()('cp_actions')
			.where('id', a.id)
			.update({ due_at: new Date(Date.now() - 2 * H) });
	});

	it('CP-4/CP-7 complaint-response: on-time rate, late responses, unanswered overdue', async () => {
		expect(await rows('complaint-response', { customer: customer.code })).toEqual([
			{ key: 'all', responded: 2, on_time: 1, late: 1, on_time_rate: 0.5, open_overdue: 1 },
		]);
		const since = DateTime.now().setZone(ZONE).minus({ days: 2 }).toISODate()!;
		expect(await rows('complaint-response', { customer: customer.code, from: since })).toEqual([
			{ key: 'all', responded: 1, on_time: 1, late: 0, on_time_rate: 1, open_overdue: 0 },
		]);
		// Responsible department is set by the investigation: both responded complaints are production's.
		expect(await rows('complaint-response', { customer: customer.code, department: 'production' })).toEqual([
			{ key: 'all', responded: 2, on_time: 1, late: 1, on_time_rate: 0.5, open_overdue: 0 },
		]);
		expect(await rows('complaint-response', { customer: other.code })).toEqual([
			{ key: 'all', responded: 0, on_time: 0, late: 0, on_time_rate: null, open_overdue: 0 },
		]);
	});

	it('CP-7 complaints-by-cause and complaints-by-customer', async () => {
		expect(await rows('complaints-by-cause', { customer: customer.code })).toEqual([
			{ key: null, complaints: 2, open: 2 },
			{ key: 'material', complaints: 1, open: 1 },
			{ key: 'process', complaints: 1, open: 1 },
		]);
		const r = await kpi('complaints-by-cause', { customer: customer.code });
		expect(r.data.rows[0].label).toEqual({ en: 'Not yet analysed', zh: '尚未分析' });
		expect(await rows('complaints-by-customer', { customer: customer.code })).toEqual([{ key: customer.id, complaints: 4, open: 4, late: 1 }]);
		const byCustomer = await kpi('complaints-by-customer', { customer: customer.code });
		expect(byCustomer.data.rows[0].label.en).toBe(`${customer.code} 指标顾客 KPI customer`);
	});

	it('CP-3 overdue-actions: open actions and those past due, per department', async () => {
		expect(await rows('overdue-actions', { customer: customer.code })).toEqual([
			{ key: 'production', overdue: 1, open: 1 },
			{ key: 'quality', overdue: 0, open: 1 },
		]);
		expect(await rows('overdue-actions', { customer: customer.code, department: 'quality' })).toEqual([{ key: 'quality', overdue: 0, open: 1 }]);
		expect(await rows('overdue-actions', { customer: other.code })).toEqual([]);
	});
});

describe('CC-4 satisfaction trend', () => {
	beforeAll(async () => {
		const survey = (period: string, at: string, score?: number) =>
			ok('sales', 'POST', '/items/cp_communications', {
				customer: customer.id,
				type: 'survey',
				channel: 'mail',
				period_key: period,
				occurred_at: DateTime.fromISO(at, { zone: ZONE }).toISO(),
				...(score === undefined ? {} : { score, survey_status: 'answered' }),
			});
		await survey('2025-Q3', '2025-08-10T10:00:00', 80);
		await survey('2025-Q4', '2025-11-10T10:00:00', 70.5);
		await survey('2026-Q1', '2026-02-10T10:00:00'); // due, not answered: not in the average
	});

	it('CC-4 satisfaction-trend: average score per survey period', async () => {
		expect(await rows('satisfaction-trend', { customer: customer.code })).toEqual([
			{ key: '2025-Q3', avg_score: 80, answered: 1 },
			{ key: '2025-Q4', avg_score: 70.5, answered: 1 },
		]);
		expect(await rows('satisfaction-trend', { customer: customer.code, from: '2025-10-01' })).toEqual([{ key: '2025-Q4', avg_score: 70.5, answered: 1 }]);
		const r = await kpi('satisfaction-trend', { customer: customer.code, department: 'sales' });
		expect(r.data.ignored).toEqual(['department']);
	});
});

describe('PR-5/PR-6 customer property indicators', () => {
	beforeAll(async () => {
		const now = DateTime.now().setZone(ZONE);
		await inStore(now.minus({ months: 7 })); // check overdue by about a month
		await inStore(now.minus({ months: 6 }).plus({ days: 10 })); // check due in about 10 days
		await inStore(now); // next check in 6 months
		const blocked = await inStore(now);
		await ok('production', 'POST', `/cp/property/${blocked.id}/events`, { type: 'problem', note: '刃口断裂', details: { problem_type: 'damage' } });
	});

	it('PR-5 property-checks: overdue and due within 30 days, per kind', async () => {
		expect(await rows('property-checks', { customer: customer.code }, 'warehouse')).toEqual([{ key: 'tooling', overdue: 1, due_30d: 1 }]);
		expect(await rows('property-checks', { customer: other.code }, 'warehouse')).toEqual([]);
	});

	it('PR-6 blocked-property: blocked items per customer', async () => {
		expect(await rows('blocked-property', { customer: customer.code })).toEqual([{ key: customer.id, blocked: 1 }]);
		expect(await rows('blocked-property', { customer: other.code })).toEqual([]);
	});
});

describe('X-4 access and options', () => {
	it('X-4 answers 401 without login', async () => {
		for (const key of ['review-cycle-time', 'complaint-response', 'property-checks']) {
			const r = await http(null, 'GET', `/cp/kpi/${key}`);
			expect(r.status, key).toBe(401);
		}
		expect((await http(null, 'GET', '/cp/kpi')).status).toBe(401);
	});

	it('X-4 answers 403 when the viewer may not read a collection the indicator aggregates', async () => {
		// A user whose only policy reads complaints and customers.
		const policy = await ok('admin', 'POST', '/policies', { name: uid('kpi-complaints-only'), app_access: false, admin_access: false });
		for (const collection of ['cp_complaints', 'cp_customers']) {
			await ok('admin', 'POST', '/permissions', { policy: policy.id, collection, action: 'read', fields: ['*'] });
		}
		const email = `${uid('kpi').toLowerCase()}@example.org`;
		const password = 'kpi-pass-2026';
		const user = await ok('admin', 'POST', '/users', { email, password, status: 'active' });
		await ok('admin', 'POST', '/access', { user: user.id, policy: policy.id });
		const bare = await ok('admin', 'POST', '/users', { email: `bare-${email}`, password, status: 'active' });
		expect(bare.role ?? null).toBeNull();

		const login = async (e: string) => {
			const res = await fetch(`${cp().url}/auth/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: e, password }),
			});
			return (await res.json()).data.access_token as string;
		};
		const get = async (tok: string, key: string) => {
			const res = await fetch(`${cp().url}/cp/kpi/${key}?customer=${customer.id}`, { headers: { authorization: `Bearer ${tok}` } });
			return { status: res.status, body: await res.json() };
		};
		const limited = await login(email);
		const allowed = await get(limited, 'complaints-by-cause');
		expect(allowed.status).toBe(200);
		expect(allowed.body.data.rows.reduce((s: number, r: any) => s + r.values.complaints, 0)).toBe(4);
		const refused = await get(limited, 'review-cycle-time');
		expect(refused.status).toBe(403);
		expect(refused.body.errors[0].extensions.code).toBe('CP_READ_FORBIDDEN');
		expect(refused.body.errors[0].message).toContain('cp_audit');
		expect((await get(limited, 'open-discrepancies')).status).toBe(403);
		expect((await get(limited, 'complaint-response')).body.data.rows[0].values.responded).toBe(2);

		const none = await login(`bare-${email}`);
		for (const key of ['reviews-waiting', 'complaint-response', 'satisfaction-trend', 'blocked-property']) {
			const r = await get(none, key);
			expect(r.status, key).toBe(403);
			expect(r.body.errors[0].extensions.code, key).toBe('CP_READ_FORBIDDEN');
		}
	});

	it('X-4 refuses bad options with the field named', async () => {
		const cases: [Record<string, string>, string][] = [
			[{ from: '2026-13-01' }, 'from'],
			[{ to: 'yesterday' }, 'to'],
			[{ from: '2026-05-01', to: '2026-04-01' }, 'to'],
			[{ department: 'marketing' }, 'department'],
			[{ customer: 'NO-SUCH-CUSTOMER' }, 'customer'],
			[{ customer: '00000000-0000-4000-8000-000000000000' }, 'customer'],
			[{ customer: "x' OR 1=1" }, 'customer'],
		];
		for (const [params, field] of cases) {
			const r = await kpi('complaint-response', params);
			expect(r.status, field).toBe(400);
			expect(r.code, field).toBe('CP_INVALID_VALUE');
			expect(r.message, field).toContain(field);
		}
		const unknown = await kpi('happiness');
		expect(unknown.status).toBe(404);
		expect(unknown.code).toBe('CP_INVALID_VALUE');
	});

	it('X-4 lists the indicators with bilingual titles and columns', async () => {
		const list = await ok('sales', 'GET', '/cp/kpi');
		expect(list.map((k: any) => k.key)).toEqual([
			'review-cycle-time',
			'reviews-waiting',
			'open-discrepancies',
			'complaint-response',
			'complaints-by-cause',
			'complaints-by-customer',
			'overdue-actions',
			'satisfaction-trend',
			'property-checks',
			'blocked-property',
		]);
		for (const k of list) {
			expect(k.title.en, k.key).toBeTruthy();
			expect(k.title.zh, k.key).toMatch(/[\u4e00-\u9fff]/);
		}
	});
});

describe('work queue items', () => {
	it('lists the items of each entry, soonest deadline first, with links into the editor', async () => {
		const q = await http('sales', 'GET', '/cp/queue');
		expect(q.status).toBe(200);
		const responses = q.data.find((e: any) => e.key === 'complaint_responses');
		expect(responses.count).toBeGreaterThanOrEqual(2);
		expect(responses.items.length).toBe(Math.min(10, responses.count));
		const dues = responses.items.filter((i: any) => i.due_at).map((i: any) => Date.parse(i.due_at));
		expect(dues).toEqual([...dues].sort((a, b) => a - b));
		for (const i of responses.items) expect(i.link).toBe(`/content/cp_complaints/${i.id}`);

		// PR-5: a check due on a past date is in the queue on SQLite too (DATE stored as epoch ms).
		// Production keeps tooling, equipment and gauges and checks them (Doc 5 1).
		const checks = (await http('production', 'GET', '/cp/queue')).data.find((e: any) => e.key === 'property_checks');
		const today = DateTime.now().setZone(ZONE).toISODate()!;
		const held = await database()('cp_property')
			.whereIn('status', ['received', 'in_store', 'in_use', 'blocked'])
			.whereIn('kind', ['tooling', 'equipment', 'gauge'])
			.whereNotNull('next_check_due')
			.select('next_check_due');
		const expected = held.filter((r: any) => day(r.next_check_due)! <= today).length;
		expect(expected).toBeGreaterThanOrEqual(1);
		expect(checks.count).toBe(expected);
		expect(checks.items.length).toBe(Math.min(10, expected));
		const first = checks.items[0];
		expect(Date.parse(first.due_at)).toBeLessThan(Date.now());
		expect(first.link).toBe(`/content/cp_property/${first.id}`);
	});
});
