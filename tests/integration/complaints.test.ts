// Complaints (customer feedback handling form, CP-1..CP-6, X-1) over HTTP as department users,
// with the real Directus, hooks, scheduler job and public verification link.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceClock, cp, database, eventually, http, ok, resetClock, token, uid } from '../harness/client';
import { decodeMail } from '../harness/mail';

const H = 3600e3;
const iso = (ms: number) => new Date(ms).toISOString();
const asDate = (v: unknown) => (v instanceof Date ? v : typeof v === 'number' || /^\d+$/.test(String(v)) ? new Date(Number(v)) : new Date(String(v)));
const bool = (v: unknown) => v === true || v === 1 || v === '1';
const tokenOf = (url: string) => url.split('/').pop()!;

let customer: string;

beforeAll(async () => {
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: '华东包装材料有限公司' })).id;
});

async function intake(overrides: Record<string, unknown> = {}) {
	return ok('sales', 'POST', '/items/cp_complaints', {
		customer,
		channel: 'phone',
		summary: uid('纸箱受潮塌箱'),
		description: '冷库中出现塌箱,约 200 只',
		product: '五层瓦楞纸箱',
		batch: uid('B'),
		received_at: iso(Date.now() - H),
		...overrides,
	});
}

async function investigate(id: string) {
	await ok('quality', 'PATCH', `/items/cp_complaints/${id}`, { status: 'investigating' });
	return ok('quality', 'PATCH', `/items/cp_complaints/${id}`, {
		traceability: '追溯 20261105-02 批次:粘合剂温度记录偏低',
		root_cause_category: 'process',
		root_cause: '粘合工序温度过低导致耐潮性不足',
		responsible_department: 'production',
		status: 'action',
	});
}

async function action(complaintId: string, dueInMs = 3 * 24 * H, title = '调整粘合工序温度并培训操作工') {
	return ok('quality', 'POST', '/items/cp_actions', {
		title,
		source_collection: 'cp_complaints',
		source_id: complaintId,
		owner: cp().users.production.id,
		department: 'production',
		due_at: iso(Date.now() + dueInMs),
	});
}

/** Intake -> investigation -> one action done -> written response. */
async function toResponded(overrides: Record<string, unknown> = {}) {
	const c = await intake(overrides);
	await investigate(c.id);
	const a = await action(c.id);
	await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
	await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, {
		response_content: '已更换粘合剂并提高温度,后续批次加做耐潮试验。',
		product_disposition: 'nonconforming',
		status: 'responded',
	});
	return { c, a };
}

/** count(*) comes back as a string on PostgreSQL. */
const countOf = async (q: any) => Number((await q.count({ n: '*' }).first()).n);
const row = (id: string) => database()('cp_complaints').where('id', id).first();

describe('CP-1 intake', () => {
	it('CP-1 takes a complaint from the public web form when the customer code and e-mail match, and refuses otherwise', async () => {
		const code = uid('C');
		const c = await ok('sales', 'POST', '/items/cp_customers', { code, name: 'Web form customer', email: 'buyer@webform.example' });
		const form = {
			customer_code: code,
			email: 'Buyer@WebForm.example',
			summary: uid('箱子破损'),
			description: '运输中破损 12 箱',
			product: '五层瓦楞纸箱',
			batch: 'W-1',
		};
		// Its own client address (Directus trusts X-Forwarded-For): other tests spend the shared per-IP budget.
		const post = async (body: unknown) => {
			const res = await fetch(`${cp().url}/cp/public/complaints`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.77' },
				body: JSON.stringify(body),
			});
			const json: any = await res.json();
			return { status: res.status, data: json.data, code: json.errors?.[0]?.extensions?.code, message: json.errors?.[0]?.message };
		};
		const r = await post(form);
		expect(r.status).toBe(201);
		expect(r.data.code).toMatch(/^KF-\d{4}-\d{4}$/);
		const [saved] = await ok('admin', 'GET', `/items/cp_complaints?filter[customer][_eq]=${c.id}`);
		expect(saved).toMatchObject({ channel: 'web', status: 'received', summary: form.summary });
		expect(saved.response_due_at).toBeTruthy();
		const trail = await database()('cp_audit').where({ collection: 'cp_complaints', item: saved.id, action: 'create' });
		expect(trail).toHaveLength(1);
		// The same submission again is recognised, not double-counted.
		expect((await post(form)).code).toBe('CP_DUPLICATE_COMPLAINT');
		// A wrong e-mail or an unknown code get the same answer, and nothing is written.
		const wrongMail = await post({ ...form, email: 'x@y.example', summary: 'other' });
		const wrongCode = await post({ ...form, customer_code: 'NOPE', summary: 'other' });
		expect([wrongMail.status, wrongMail.message]).toEqual([400, wrongCode.message]);
		expect(wrongCode.status).toBe(400);
		expect((await post({ ...form, status: 'closed' })).code).toBe('CP_INVALID_VALUE');
		expect(await ok('admin', 'GET', `/items/cp_complaints?filter[customer][_eq]=${c.id}`)).toHaveLength(1);
	});

	it('CP-1 numbers concurrent intakes one after the other, each with its own code', async () => {
		const results = await Promise.all(Array.from({ length: 12 }, () => intake()));
		const codes = results.map((c: any) => c.code);
		expect(new Set(codes).size).toBe(12);
		for (const code of codes) expect(code).toMatch(/^KF-\d{4}-\d{4}$/);
	});

	it('CP-1/CP-4 records a complaint as received with a 72-hour response deadline and a duplicate key', async () => {
		const receivedAt = Math.floor((Date.now() - 2 * H) / 1000) * 1000;
		const c = await intake({ received_at: iso(receivedAt) });
		expect(c.status).toBe('received');
		expect(c.code).toMatch(/^KF-\d{4}-\d{4}$/);
		const r = await row(c.id);
		expect(asDate(r.response_due_at).getTime()).toBe(receivedAt + 72 * H);
		expect(asDate(r.resolution_due_at).getTime()).toBe(receivedAt + 30 * 24 * H);
		expect(r.dedupe_key).toMatch(/^[0-9a-f]{64}$/);
		expect(bool(r.response_breached)).toBe(false);
	});

	it('CP-1 refuses a duplicate submission, naming the existing complaint', async () => {
		const batch = uid('B');
		// Same customer, text, product and batch, two minutes apart on one local day (Shanghai):
		// 2026-11-03 09:58 and 10:00, fixed, so the test never straddles a local midnight.
		const first = await intake({ summary: '坍落度 偏低!', batch, received_at: '2026-11-03T01:58:00.000Z' });
		const dup = await http('sales', 'POST', '/items/cp_complaints', {
			customer,
			channel: 'mail',
			summary: '坍落度偏低',
			product: '五层瓦楞纸箱',
			batch,
			received_at: '2026-11-03T02:00:00.000Z',
		});
		expect(dup.status).toBe(409);
		expect(dup.code).toBe('CP_DUPLICATE_COMPLAINT');
		expect(dup.message).toContain(first.code);
		expect(await countOf(database()('cp_complaints').where({ customer, batch }))).toBe(1);
	});

	it('CP-1 refuses bad input with the field named and writes nothing', async () => {
		const before = Number((await database()('cp_complaints').count({ n: '*' }).first())!.n);
		const cases: [Record<string, unknown>, number, string, string][] = [
			[{ customer: 'a8c1a7e4-0000-4000-8000-000000000000' }, 400, 'CP_INVALID_VALUE', 'customer'],
			// Sales works in zh-CN (seeds/users.mjs): the field by its label on the form, never its key.
			[{ received_at: 'yesterday-ish' }, 400, 'CP_INVALID_VALUE', '受理时间'],
			[{ received_at: iso(Date.now() + 48 * H) }, 400, 'CP_INVALID_VALUE', '受理时间'],
			[{ description: 'x'.repeat(10_001) }, 400, 'CP_INVALID_VALUE', 'description'],
			[{ summary: '   ' }, 400, 'CP_REQUIRED_FIELDS_MISSING', 'summary'],
			[{ status: 'closed' }, 400, 'CP_INVALID_VALUE', 'status'],
			// Named by its label on the form ("书面答复期限 Written response due"), as the screens show it.
			[{ response_due_at: iso(Date.now() + 1000 * H) }, 403, 'CP_SYSTEM_ONLY', '书面答复期限'],
		];
		for (const [bad, status, code, field] of cases) {
			const r = await http('sales', 'POST', '/items/cp_complaints', {
				customer,
				channel: 'phone',
				summary: uid('bad'),
				received_at: iso(Date.now() - H),
				...bad,
			});
			expect(r.status, field).toBe(status);
			expect(r.code, field).toBe(code);
			expect(r.message, field).toContain(field);
		}
		expect(Number((await database()('cp_complaints').count({ n: '*' }).first())!.n)).toBe(before);
	});
});

describe('CP-2..CP-6 transitions to closure', () => {
	it('CP-1..CP-6 main path: intake, investigation, action, response, customer confirmation by link, closed', async () => {
		const c = await intake();
		// Sales records, Quality investigates (CP-2).
		const notQuality = await http('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'investigating' });
		expect(notQuality.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'investigating' });
		const early = await http('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'action', root_cause: '温度' });
		expect(early.status).toBe(409);
		expect(early.code).toBe('CP_INVESTIGATION_INCOMPLETE');
		expect(early.message).toMatch(/responsible department/);
		expect(early.message).toMatch(/root cause category/);
		expect((await row(c.id)).root_cause).toBeNull();
		await investigate(c.id);

		// CP-3: an action needs an owner and a valid deadline.
		const noOwner = await http('quality', 'POST', '/items/cp_actions', {
			title: 'x',
			source_collection: 'cp_complaints',
			source_id: c.id,
			due_at: iso(Date.now() + H),
		});
		expect([noOwner.status, noOwner.code]).toEqual([400, 'CP_REQUIRED_FIELDS_MISSING']);
		expect(noOwner.message).toContain('owner');
		const badDue = await http('quality', 'POST', '/items/cp_actions', {
			title: 'x',
			source_collection: 'cp_complaints',
			source_id: c.id,
			owner: cp().users.production.id,
			due_at: 'soon',
		});
		expect([badDue.status, badDue.code]).toEqual([400, 'CP_INVALID_VALUE']);
		const a = await action(c.id);
		expect(a.status).toBe('open');

		// CP-4: responding needs the response text, stamps responded_at, on time.
		const empty = await http('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'responded' });
		expect([empty.status, empty.code]).toEqual([400, 'CP_REQUIRED_FIELDS_MISSING']);
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'responded', response_content: '整改情况:已调整工艺。' });
		let r = await row(c.id);
		expect(r.status).toBe('responded');
		expect(Math.abs(asDate(r.responded_at).getTime() - Date.now())).toBeLessThan(60e3);
		expect(bool(r.response_breached)).toBe(false);

		// Refused close lists everything missing, and changes nothing.
		const refused = await http('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'closed' });
		expect(refused.status).toBe(409);
		expect(refused.code).toBe('CP_COMPLAINT_NOT_CLOSABLE');
		expect(refused.message).toContain('1 corrective action(s) not done');
		expect(refused.message).not.toMatch(/\bC[PR]-\d/);
		expect(refused.message).toContain('customer re-verification not recorded');
		expect(refused.message).toContain('delivered product disposition not recorded');
		expect(refused.message).not.toContain('written response');
		expect((await row(c.id)).status).toBe('responded');

		const done = await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
		expect(done.done_at).toBeTruthy();
		await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { product_disposition: 'nonconforming' });

		// CP-5: the customer confirms through the link; nothing else is missing, so it closes.
		const link = await ok('sales', 'POST', `/cp/complaints/${c.id}/verification-link`, {});
		expect((await row(c.id)).status).toBe('verifying');
		const token = tokenOf(link.url);
		const shown = await http(null, 'GET', `/cp/public/verify/${token}`);
		expect(shown.status).toBe(200);
		expect(shown.data.code).toBe(c.code);
		const confirmed = await http(null, 'POST', `/cp/public/verify/${token}`, { decision: 'confirmed', note: '已复核,认可' });
		expect(confirmed.status).toBe(200);
		expect(confirmed.data.status).toBe('closed');
		r = await row(c.id);
		expect([r.status, r.verification, r.verify_token_hash]).toEqual(['closed', 'confirmed', null]);
		const trail = await database()('cp_audit')
			.where({ collection: 'cp_complaints', item: c.id, action: 'transition' })
			.orderBy('id')
			.select('to_status', 'department');
		expect(trail.map((t: any) => t.to_status)).toEqual(['investigating', 'action', 'responded', 'verifying', 'closed']);
		expect(trail.map((t: any) => t.department)).toEqual(['quality', 'quality', 'sales', 'sales', 'customer']);
	});

	it('CP-5 a rejected verification reopens; a second round closes after a staff-recorded confirmation', async () => {
		const { c } = await toResponded();
		const link = await ok('quality', 'POST', `/cp/complaints/${c.id}/verification-link`, { days: 7 });
		const rejected = await ok(null, 'POST', `/cp/public/verify/${tokenOf(link.url)}`, { decision: 'rejected', note: '仍有塌箱' });
		expect(rejected.status).toBe('reopened');
		let r = await row(c.id);
		expect([r.status, r.verification, r.verification_note]).toEqual(['reopened', 'rejected', '仍有塌箱']);
		// A rejected form cannot close.
		const close = await http('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'closed' });
		expect(close.code).toBe('CP_ILLEGAL_TRANSITION');

		await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'action' });
		await action(c.id, 2 * 24 * H, '增加冷库耐潮试验');
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'responded', response_content: '第二次整改:增加耐潮试验。' });
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'verifying' });
		r = await row(c.id);
		expect([r.status, r.verification]).toEqual(['verifying', null]);
		// The new action is still open: confirmation is recorded but the close is refused.
		const blocked = await http('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { verification: 'confirmed', status: 'closed' });
		expect(blocked.code).toBe('CP_COMPLAINT_NOT_CLOSABLE');
		expect(blocked.message).toContain('1 corrective action(s) not done');
		expect((await row(c.id)).verification).toBeNull();
		const open = await database()('cp_actions').where({ source_id: c.id, status: 'open' }).first();
		await ok('production', 'PATCH', `/items/cp_actions/${open.id}`, { status: 'done' });
		await ok('quality', 'PATCH', `/items/cp_actions/${open.id}`, { status: 'verified' });
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { verification: 'confirmed', verification_note: '电话复核认可', status: 'closed' });
		r = await row(c.id);
		expect([r.status, r.verification]).toEqual(['closed', 'confirmed']);
		// The staff decision is audited by an action hook, after the commit.
		const decisionsOnRecord = () =>
			database()('cp_audit').where({ collection: 'cp_complaints', item: c.id, action: 'verification' }).orderBy('id').select('department', 'data');
		await eventually(async () => (await decisionsOnRecord()).length >= 2);
		const decisions = await decisionsOnRecord();
		expect(decisions.map((d: any) => [d.department, (typeof d.data === 'string' ? JSON.parse(d.data) : d.data).decision])).toEqual([
			['customer', 'rejected'],
			['sales', 'confirmed'],
		]);
	});

	it('CP-5 closing straight from responded needs a recorded reason why the customer cannot verify', async () => {
		const { c } = await toResponded();
		const refused = await http('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'closed' });
		expect(refused.code).toBe('CP_COMPLAINT_NOT_CLOSABLE');
		expect(refused.message).toMatch(/re-verification not recorded/);
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'closed', no_verification_reason: '顾客已停业,无法复核' });
		expect((await row(c.id)).status).toBe('closed');
	});

	it('CP-3 a complaint without any corrective action closes only with the reason on record', async () => {
		const c = await intake();
		await investigate(c.id);
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, {
			response_content: '经调查为顾客使用不当,已提供使用说明。',
			product_disposition: 'none',
			status: 'responded',
		});
		const refused = await http('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'closed', no_verification_reason: '顾客无需复核' });
		expect(refused.code).toBe('CP_COMPLAINT_NOT_CLOSABLE');
		expect((await row(c.id)).status).toBe('responded');
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, {
			status: 'closed',
			no_verification_reason: '顾客无需复核',
			no_action_reason: '非我方原因,无需纠正措施',
		});
		const r = await row(c.id);
		expect([r.status, r.no_action_reason]).toEqual(['closed', '非我方原因,无需纠正措施']);
	});

	it('CP-2 illegal transitions and system fields are refused and change nothing', async () => {
		const c = await intake();
		const jump = await http('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'closed' });
		expect([jump.status, jump.code]).toEqual([409, 'CP_ILLEGAL_TRANSITION']);
		const forged = await http('admin', 'PATCH', `/items/cp_complaints/${c.id}`, { response_breached: true, summary: 'changed' });
		expect([forged.status, forged.code]).toEqual([403, 'CP_SYSTEM_ONLY']);
		const r = await row(c.id);
		expect([r.status, bool(r.response_breached), r.summary]).toEqual(['received', false, c.summary]);
	});
});

describe('CP-4 response clock', () => {
	let saved: Record<string, unknown>;
	const CAL = {
		zone: 'Asia/Shanghai',
		workingDays: [1, 2, 3, 4, 5],
		workingHours: { start: '08:30', end: '17:30' },
		holidays: ['2025-10-01', '2025-10-02', '2025-10-03'],
		makeUpWorkdays: [],
	};
	// Friday 2025-09-26 16:30 Shanghai: a weekend and the National Day holidays follow.
	const FRIDAY = '2025-09-26T08:30:00.000Z';

	beforeAll(async () => {
		saved = await ok('admin', 'GET', '/items/cp_settings?fields=calendar,response_mode,response_hours,resolution_days');
	});
	afterAll(async () => {
		await resetClock();
		await ok('admin', 'PATCH', '/items/cp_settings', {
			calendar: saved.calendar ?? null,
			response_mode: saved.response_mode ?? 'calendar_hours',
			response_hours: saved.response_hours ?? 72,
			resolution_days: saved.resolution_days ?? 30,
		});
	});

	it('CP-4 72 calendar hours run through the weekend and holiday', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { calendar: CAL, response_mode: 'calendar_hours', response_hours: 72 });
		const c = await intake({ received_at: FRIDAY });
		expect(asDate((await row(c.id)).response_due_at).toISOString()).toBe('2025-09-29T08:30:00.000Z');
	});

	it('CP-4 72 working hours skip the weekend and the holidays', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { calendar: CAL, response_mode: 'working_hours', response_hours: 72 });
		const c = await intake({ received_at: FRIDAY });
		// 1 h Fri, 9 h each on Mon 29, Tue 30 Sep, Mon 6 .. Fri 10 Oct (= 64 h), 8 h on Mon 13 Oct -> 16:30 Shanghai.
		expect(asDate((await row(c.id)).response_due_at).toISOString()).toBe('2025-10-13T08:30:00.000Z');
	});

	it('CP-4 a breached deadline is recorded once, however many ticks run', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { calendar: CAL, response_mode: 'calendar_hours', response_hours: 72 });
		const c = await intake({ received_at: iso(Date.now() - 80 * H) });
		expect(bool((await row(c.id)).response_breached)).toBe(false);
		expect((await http('quality', 'POST', '/cp/jobs/complaints-tick')).status).toBe(403);
		await ok('admin', 'POST', '/cp/jobs/complaints-tick');
		await ok('admin', 'POST', '/cp/jobs/complaints-tick');
		expect(bool((await row(c.id)).response_breached)).toBe(true);
		const entries = await database()('cp_audit').where({ collection: 'cp_complaints', item: c.id, action: 'response_breached' });
		expect(entries).toHaveLength(1);
		expect(entries[0].department).toBe('system');
		// Answering late keeps the breach on record.
		await investigate(c.id);
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'responded', response_content: '迟到的答复' });
		expect(bool((await row(c.id)).response_breached)).toBe(true);
	});

	it('CP-4 paused time is excluded, across several pauses', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { calendar: CAL, response_mode: 'calendar_hours', response_hours: 72 });
		const receivedAt = Math.floor((Date.now() - H) / 1000) * 1000;
		const c = await intake({ received_at: iso(receivedAt) });
		expect((await http('warehouse', 'POST', `/cp/complaints/${c.id}/pause`, { reason: 'x' })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		// CP-4: a pause names a listed reason (the procedure's, since issue #11).
		expect((await http('sales', 'POST', `/cp/complaints/${c.id}/pause`, {})).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		// Worked example: paused 2 h while the customer sends photos, later 3 h for a third-party
		// report; the 72-hour response deadline moves to 72 + 2 + 3 = 77 h after receipt.
		let last: any;
		try {
			const p1 = await ok('sales', 'POST', `/cp/complaints/${c.id}/pause`, { reason: '等待顾客提供照片' });
			expect(p1.paused).toBe(true);
			// CP-4: while it waits, the working target counts the pause at its maximum (120 h).
			expect(p1.response_due_at).toBe(iso(receivedAt + (72 + 120) * H));
			expect((await http('sales', 'POST', `/cp/complaints/${c.id}/pause`, { reason: 'again' })).code).toBe('CP_CLOCK_ALREADY_PAUSED');
			await advanceClock(2 * H);
			await ok('sales', 'POST', `/cp/complaints/${c.id}/resume`);
			expect((await http('sales', 'POST', `/cp/complaints/${c.id}/resume`)).code).toBe('CP_CLOCK_NOT_PAUSED');
			await ok('quality', 'POST', `/cp/complaints/${c.id}/pause`, { reason: '等待第三方检测报告' });
			await advanceClock(3 * H);
			last = await ok('quality', 'POST', `/cp/complaints/${c.id}/resume`);
		} finally {
			await resetClock();
		}
		const r = await row(c.id);
		const pauses = typeof r.pauses === 'string' ? JSON.parse(r.pauses) : r.pauses;
		expect(pauses).toHaveLength(2);
		const lasted = pauses.map((p: any) => Date.parse(p.to) - Date.parse(p.from));
		// Each pause is its clock move plus the milliseconds of the requests in between.
		expect(lasted[0]).toBeGreaterThanOrEqual(2 * H);
		expect(lasted[0]).toBeLessThan(2 * H + 60e3);
		expect(lasted[1]).toBeGreaterThanOrEqual(3 * H);
		expect(lasted[1]).toBeLessThan(3 * H + 60e3);
		const paused = lasted[0] + lasted[1];
		expect(last.response_due_at).toBe(new Date(receivedAt + 72 * H + paused).toISOString());
		expect(Date.parse(last.response_due_at) - (receivedAt + 77 * H)).toBeLessThan(60e3);
		// MariaDB keeps whole seconds in timestamp columns.
		expect(Math.abs(asDate(r.response_due_at).getTime() - (receivedAt + 72 * H + paused))).toBeLessThan(1000);
		expect(await countOf(database()('cp_audit').where({ collection: 'cp_complaints', item: c.id }).whereIn('action', ['pause', 'resume']))).toBe(4);
	});
});

describe('CP-7 complaint statistics', () => {
	it('CP-7 counts complaints of a period by channel, status and deadline compliance', async () => {
		// 4 March 2025, Shanghai: only this test's complaints were received that day.
		await intake({ channel: 'mail', received_at: '2025-03-04T01:00:00.000Z' });
		const b = await intake({ channel: 'visit', received_at: '2025-03-04T09:00:00.000Z' });
		await investigate(b.id);
		await ok('admin', 'POST', '/cp/jobs/complaints-tick');
		const stats = await ok('gm', 'GET', '/cp/complaints/stats?from=2025-03-04&to=2025-03-04');
		expect(stats.total).toBe(2);
		expect(stats.by_channel).toEqual([
			{ key: 'mail', count: 1 },
			{ key: 'visit', count: 1 },
		]);
		expect(stats.by_status).toEqual([
			{ key: 'action', count: 1 },
			{ key: 'received', count: 1 },
		]);
		// Where NULL sorts differs between databases.
		expect(new Map(stats.by_root_cause_category.map((r: any) => [r.key, r.count]))).toEqual(
			new Map([
				[null, 1],
				['process', 1],
			]),
		);
		expect(stats.response).toEqual({ responded: 0, breached: 2, unanswered: 2 });
		const bad = await http('gm', 'GET', '/cp/complaints/stats?from=March');
		expect([bad.status, bad.code]).toEqual([400, 'CP_INVALID_VALUE']);
	});
});

describe('CP-3 action reminders and escalation', () => {
	const notes = (item: string, like: string) =>
		database()('directus_notifications').where({ collection: 'cp_actions', item }).where('subject', 'like', like).select('recipient');

	it('CP-3 reminds the owner once before the due date and escalates once after it, across ticks', async () => {
		const c = await intake();
		await investigate(c.id);
		const title = uid('更换粘合剂供应商');
		const a = await action(c.id, 2 * H, title);
		await ok('admin', 'POST', '/cp/jobs/complaints-tick');
		await ok('admin', 'POST', '/cp/jobs/complaints-tick');
		const reminders = await notes(a.id, '%Action due soon%');
		expect(reminders.map((n: any) => n.recipient)).toEqual([cp().users.production.id]);
		expect((await database()('cp_actions').where('id', a.id).first()).reminded_at).toBeTruthy();

		// The deadline passes (set under the API, as time would).
		await database()('cp_actions')
			.where('id', a.id)
			.update({ due_at: new Date(Date.now() - H) });
		await Promise.all([ok('admin', 'POST', '/cp/jobs/complaints-tick'), ok('admin', 'POST', '/cp/jobs/complaints-tick')]);
		await ok('admin', 'POST', '/cp/jobs/complaints-tick');
		const escalations = await notes(a.id, '%Action overdue%');
		expect(escalations.map((n: any) => n.recipient)).toEqual([cp().users.production.id]);
		expect(await notes(a.id, '%Action due soon%')).toHaveLength(1);
		const after = await database()('cp_actions').where('id', a.id).first();
		expect(after.status).toBe('overdue');
		expect(after.escalated_at).toBeTruthy();
		// Done stays possible after the escalation.
		expect((await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' })).status).toBe('done');
		// The same reminder and escalation went out by e-mail, once each (CP-3), through Directus's mailer.
		const mails = readFileSync(cp().mailLog, 'utf8')
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((l: string) => JSON.parse(l))
			.filter((m: any) => decodeMail(m.data).includes(title));
		expect(mails.map((m: any) => m.to)).toEqual([[cp().users.production.email], [cp().users.production.email]]);
		expect(decodeMail(mails[0].data)).toContain('Action due soon');
		expect(decodeMail(mails[1].data)).toContain('Action overdue');
	});

	it('CP-3 two actions of one owner falling due in one tick: a notification each, one e-mail naming both', async () => {
		const c = await intake();
		await investigate(c.id);
		const first = uid('复核粘合剂批次');
		const second = uid('修订工艺卡温度');
		const a1 = await action(c.id, 2 * H, first);
		const a2 = await action(c.id, 3 * H, second);
		await ok('admin', 'POST', '/cp/jobs/complaints-tick');
		// The inbox keeps one entry per action, with its own link.
		expect((await notes(a1.id, '%Action due soon%')).map((n: any) => n.recipient)).toEqual([cp().users.production.id]);
		expect((await notes(a2.id, '%Action due soon%')).map((n: any) => n.recipient)).toEqual([cp().users.production.id]);
		const mails = readFileSync(cp().mailLog, 'utf8')
			.trim()
			.split('\n')
			.filter(Boolean)
			.map((l: string) => JSON.parse(l))
			.filter((m: any) => decodeMail(m.data).includes(first) || decodeMail(m.data).includes(second));
		expect(mails.map((m: any) => m.to)).toEqual([[cp().users.production.email]]);
		const text = decodeMail(mails[0].data);
		expect(text).toContain(first);
		expect(text).toContain(second);
		expect(text).toContain('Action due soon');
	});

	it('CP-3 refuses actions on unknown sources, with past deadlines, or hand-set overdue', async () => {
		const unknown = await http('quality', 'POST', '/items/cp_actions', {
			title: 'x',
			source_collection: 'cp_complaints',
			source_id: 'a8c1a7e4-0000-4000-8000-000000000000',
			owner: cp().users.production.id,
			due_at: iso(Date.now() + H),
		});
		expect([unknown.status, unknown.code]).toEqual([400, 'CP_INVALID_VALUE']);
		const c = await intake();
		const past = await http('quality', 'POST', '/items/cp_actions', {
			title: 'x',
			source_collection: 'cp_complaints',
			source_id: c.id,
			owner: cp().users.production.id,
			due_at: iso(Date.now() - 24 * H),
		});
		// The field by its label (cp_actions.due_at is "Due"), not its key.
		expect(past.message).toContain('Due');
		expect(past.message).not.toContain('due_at');
		const a = await action(c.id);
		const overdue = await http('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'overdue' });
		expect(overdue.code).toBe('CP_SYSTEM_ONLY');
		const verify = await http('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'verified' });
		expect(verify.code).toBe('CP_ILLEGAL_TRANSITION');
	});
});

describe('CP-5 public verification link', () => {
	it('CP-5 is accepted once, refused when forged, expired or reused, with one answer that leaks nothing', async () => {
		const { c } = await toResponded();
		const early = await http('sales', 'POST', `/cp/complaints/${(await intake()).id}/verification-link`, {});
		expect(early.code).toBe('CP_ACTION_NOT_ALLOWED');

		const first = await ok('sales', 'POST', `/cp/complaints/${c.id}/verification-link`, {});
		const token1 = tokenOf(first.url);
		expect(first.url).toBe(`${cp().url}/cp/public/verify/${token1}`);
		expect(Date.parse(first.expires_at) - Date.now()).toBeGreaterThan(13.9 * 24 * H);
		const stored = await row(c.id);
		expect(stored.verify_token_hash).toBe(createHash('sha256').update(token1).digest('hex'));
		expect(JSON.stringify(stored)).not.toContain(token1);

		const invalid = async (token: string, method = 'POST') => {
			const r = await http(null, method, `/cp/public/verify/${token}`, method === 'POST' ? { decision: 'confirmed' } : undefined);
			expect([r.status, r.code, r.message]).toEqual([404, 'CP_LINK_INVALID', 'This link is not valid or has expired']);
		};
		await invalid(randomBytes(32).toString('base64url'));
		await invalid('not-a-token');
		await invalid(randomBytes(32).toString('base64url'), 'GET');

		// Expired: the expiry moved into the past under the API.
		await database()('cp_complaints')
			.where('id', c.id)
			.update({ verify_token_expires_at: new Date(Date.now() - 60e3) });
		await invalid(token1);
		await invalid(token1, 'GET');
		expect((await row(c.id)).verification).toBeNull();

		const second = await ok('sales', 'POST', `/cp/complaints/${c.id}/verification-link`, { days: 3 });
		const token2 = tokenOf(second.url);
		await invalid(token1); // replaced by the new link
		const bad = await http(null, 'POST', `/cp/public/verify/${token2}`, { decision: 'maybe' });
		expect([bad.status, bad.code]).toEqual([400, 'CP_INVALID_VALUE']);
		const accepted = await http(null, 'POST', `/cp/public/verify/${token2}`, { decision: 'confirmed', note: '<b>好</b>' });
		expect(accepted.status).toBe(200);
		expect(accepted.data.status).toBe('closed');
		await invalid(token2); // reused
		await invalid(token2, 'GET');
		const r = await row(c.id);
		expect([r.status, r.verification, r.verification_note]).toEqual(['closed', 'confirmed', '<b>好</b>']);
		expect(await countOf(database()('cp_audit').where({ collection: 'cp_complaints', item: c.id, action: 'verification' }))).toBe(1);
	});
});

describe('X-1 printable feedback handling form', () => {
	it('X-1 prints every section with Chinese text, escapes markup and signs with names and departments', async () => {
		const saved = await ok('admin', 'GET', '/items/cp_settings?fields=company_name');
		await ok('admin', 'PATCH', '/items/cp_settings', { company_name: '示例制造有限公司' });
		try {
			const { c } = await toResponded({ summary: '<script>alert("x")</script> 纸箱塌箱', description: '<img src=x onerror=alert(1)>' });
			const stored = await row(c.id);
			expect(stored.summary).toBe('<script>alert("x")</script> 纸箱塌箱');
			expect((await http(null, 'GET', `/cp/complaints/${c.id}/form`)).status).toBe(401);
			const res = await fetch(`${cp().url}/cp/complaints/${c.id}/form`, { headers: { authorization: `Bearer ${await token('quality')}` } });
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/);
			const html = await res.text();
			expect(html).toContain('示例制造有限公司');
			expect(html).toContain('顾客信息反馈处理单');
			expect(html).toContain(c.code);
			expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 纸箱塌箱');
			expect(html).not.toContain('<script>');
			expect(html).not.toContain('<img');
			expect(html).toContain('调整粘合工序温度并培训操作工');
			expect(html).toContain('粘合工序温度过低导致耐潮性不足');
			expect(html).toContain('已更换粘合剂并提高温度');
			expect(html).toContain('@media print');
			// Signatures: intake by Sales, investigation by Quality, response by Sales, departments by their names.
			expect(html).toMatch(/受理 Intake<\/td><td>[^<]+<\/td><td>市场部 Sales<\/td>/);
			expect(html).toMatch(/开始调查 Investigation<\/td><td>[^<]+<\/td><td>质量部 Quality<\/td>/);
			expect(html).toMatch(/书面答复 Written response<\/td><td>[^<]+<\/td><td>市场部 Sales<\/td>/);
			expect(html).not.toMatch(/<td>(sales|quality)<\/td>/);
		} finally {
			await ok('admin', 'PATCH', '/items/cp_settings', { company_name: saved.company_name ?? null });
		}
	});
});
