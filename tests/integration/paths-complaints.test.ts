// X-5 path matrix of the complaints and communication area: a closed feedback handling form and an
// answered satisfaction survey are evidence on every write path Directus offers; the recorded
// correction is the one way to change them, keeps the original and prints on the form; batches
// give each record its own checked outcome or change nothing.
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { cp, database, http, ok, token, uid } from '../harness/client';
import { UPDATE_PATHS, updateVia } from '../harness/paths';
import { importFile, unzip } from '../harness/files';

const H = 3600e3;
const iso = (ms: number) => new Date(ms).toISOString();
const BATCH_PATHS = UPDATE_PATHS.filter((p) => !['rest-one', 'graphql-one'].includes(p));
/** Paths that send the same change for several records at once. */
const SHARED_PATHS = ['rest-keys', 'rest-query', 'graphql-many'];

let customer: string;

beforeAll(async () => {
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('PCC'), name: '华北纸品包装有限公司' })).id;
});

const complaintRow = (id: string) => database()('cp_complaints').where('id', id).first();
const actionRow = (id: string) => database()('cp_actions').where('id', id).first();

async function intake() {
	return ok('sales', 'POST', '/items/cp_complaints', {
		customer,
		channel: 'phone',
		summary: uid('纸箱印刷错位'),
		description: '第二批纸箱印刷套色偏差约 3 mm',
		product: '三层瓦楞纸箱',
		batch: uid('B'),
		received_at: iso(Date.now() - H),
	});
}

async function action(complaint: string, title = '校准印刷机套色系统') {
	return ok('quality', 'POST', '/items/cp_actions', {
		title,
		source_collection: 'cp_complaints',
		source_id: complaint,
		owner: cp().users.production.id,
		department: 'production',
		due_at: iso(Date.now() + 3 * 24 * H),
	});
}

/** Intake -> investigation -> one action done -> written response -> closed (customer cannot re-verify). */
async function closedComplaint() {
	const c = await intake();
	await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'investigating' });
	await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, {
		traceability: '追溯印刷机 3 号 2026-11 班次记录',
		root_cause_category: 'process',
		root_cause: '套色系统未校准',
		responsible_department: 'production',
		status: 'action',
	});
	const a = await action(c.id);
	await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
	await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, {
		response_content: '已校准套色系统,后续批次首检确认。',
		product_disposition: 'nonconforming',
		status: 'responded',
	});
	await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, {
		status: 'closed',
		verification_note: '顾客电话确认',
		no_verification_reason: '顾客不再复核',
	});
	return complaintRow(c.id);
}

/** Content of a closed complaint as stored (every field the test may try to rewrite). */
const EVIDENCE = ['code', 'received_at', 'summary', 'description', 'root_cause', 'response_content', 'verification_note', 'status', 'date_updated'];
const snapshot = (r: Record<string, unknown>) => JSON.stringify(EVIDENCE.map((f) => r[f]));

describe('CP-4/CP-5/X-5 a closed complaint is evidence on every write path', () => {
	let closed: Record<string, any>;
	beforeAll(async () => {
		closed = await closedComplaint();
		expect(closed.status).toBe('closed');
	});

	const rewrites: [string, Record<string, unknown>][] = [
		['response', { response_content: '改写的答复' }],
		['description', { description: '改写的顾客反馈' }],
		['root cause', { root_cause: '改写的原因' }],
		['verification note', { verification_note: '改写的验证说明' }],
		['number', { code: 'KF-2026-9999' }],
		['receipt time', { received_at: iso(Date.now() - 48 * H) }],
	];
	for (const who of ['quality', 'sales', 'admin']) {
		for (const path of UPDATE_PATHS) {
			it(`X-5 CP-4 ${who} cannot rewrite a closed complaint's response, description, root cause, verification note, number or receipt time through ${path}`, async () => {
				const before = snapshot(await complaintRow(closed.id));
				for (const [what, data] of rewrites) {
					const r = await updateVia(path, who, 'cp_complaints', [closed.id], data);
					expect(r.ok, `${what} via ${path}: ${r.status} ${r.code}`).toBe(false);
					if (!['import'].includes(path)) expect(['CP_RECORD_FROZEN', 'CP_CHANGE_NOT_ALLOWED'], `${what} via ${path}`).toContain(r.code);
				}
				expect(snapshot(await complaintRow(closed.id))).toBe(before);
			});
		}
	}
});

describe('X-5 CP-2 a recorded correction of a closed complaint keeps the original and prints on the form', () => {
	it('X-5 Quality corrects the response through /cp/corrections; the audit trail keeps the original; GET /cp/complaints/:id/form prints original, corrected value, author and reason', async () => {
		const c = await closedComplaint();
		const original = c.response_content;
		const corrected = '已校准 3 号印刷机套色系统,批次 2026-11-07 起首检确认。';
		const reason = '答复中漏写了印刷机编号和批次';
		const refused = await http('production', 'POST', '/cp/corrections', {
			collection: 'cp_complaints',
			item: c.id,
			field: 'response_content',
			value: 'x',
			reason,
		});
		expect(refused.status).toBeGreaterThanOrEqual(400);
		const bySales = await http('sales', 'POST', '/cp/corrections', { collection: 'cp_complaints', item: c.id, field: 'response_content', value: 'x', reason });
		expect([bySales.status, bySales.code]).toEqual([403, 'CP_NOT_DEPARTMENT_MEMBER']);
		expect((await complaintRow(c.id)).response_content).toBe(original);

		await ok('quality', 'POST', '/cp/corrections', { collection: 'cp_complaints', item: c.id, field: 'response_content', value: corrected, reason });
		const after = await complaintRow(c.id);
		expect([after.response_content, after.status, after.code]).toEqual([corrected, 'closed', c.code]);
		const audit = await database()('cp_audit').where({ collection: 'cp_complaints', item: c.id, action: 'correction' }).select();
		expect(audit).toHaveLength(1);
		const data = typeof audit[0].data === 'string' ? JSON.parse(audit[0].data) : audit[0].data;
		expect(data).toEqual({ field: 'response_content', from: original, to: corrected, reason });
		expect(audit[0].department).toBe('quality');

		const res = await fetch(`${cp().url}/cp/complaints/${c.id}/form`, { headers: { authorization: `Bearer ${await token('gm')}` } });
		expect(res.status).toBe(200);
		const html = await res.text();
		const quality = await database()('directus_users').where('id', cp().users.quality.id).first('first_name', 'last_name');
		expect(html).toContain('更正记录 Recorded corrections');
		expect(html).toContain('书面答复内容 Written response');
		expect(html).toContain(original);
		expect(html).toContain(corrected);
		expect(html).toContain(reason);
		expect(html).toContain(`${quality.first_name} ${quality.last_name}, quality`);

		// the auditor's evidence pack prints the same form with the correction.
		const day = DateTime.fromJSDate(new Date(asDate(after.received_at)), { zone: 'Asia/Shanghai' }).toISODate();
		const pack = await fetch(`${cp().url}/cp/evidence-pack?from=${day}&to=${day}`, { headers: { authorization: `Bearer ${await token('quality')}` } });
		expect(pack.status).toBe(200);
		const filed = unzip(Buffer.from(await pack.arrayBuffer()))
			.get(`forms/complaints/${c.code}.html`)!
			.toString('utf8');
		for (const text of ['更正记录 Recorded corrections', original, corrected, reason]) expect(filed).toContain(text);
	});

	it('X-5 CP-2 a JSON field of a closed complaint (the 8D record) is corrected the same way, the original kept as it was', async () => {
		const c = await intake();
		await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'investigating' });
		const eightD = { d4: '套色系统未校准', d5: '校准并首检' };
		await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { eight_d: eightD });
		// Issue #12: the record is its sections D1-D8; anything else is refused naming the section, in the user's language.
		const notText = await http('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { eight_d: { ...eightD, d4: ['套色'] } });
		expect([notText.status, notText.code, notText.message]).toEqual([400, 'CP_INVALID_VALUE', '8D record, D4 (Root cause) must be text']);
		const unknown = await http('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { eight_d: { team: '质量部' } });
		expect([unknown.code, unknown.message]).toEqual(['CP_INVALID_VALUE', '8D record has no section team, only D1 to D8']);
		const kept = (await complaintRow(c.id)).eight_d;
		expect(typeof kept === 'string' ? JSON.parse(kept) : kept).toEqual(eightD);
		// Closed along the normal path.
		await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, {
			root_cause_category: 'process',
			root_cause: '套色系统未校准',
			responsible_department: 'production',
			status: 'action',
		});
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { response_content: '已整改', product_disposition: 'none', status: 'responded' });
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'closed', no_verification_reason: '顾客不再复核', no_action_reason: '偶发,无需措施' });
		const fixed = { ...eightD, d7: '纳入首检规程' };
		const same = await http('quality', 'POST', '/cp/corrections', { collection: 'cp_complaints', item: c.id, field: 'eight_d', value: eightD, reason: 'x' });
		expect(same.code).toBe('CP_INVALID_VALUE');
		await ok('quality', 'POST', '/cp/corrections', { collection: 'cp_complaints', item: c.id, field: 'eight_d', value: fixed, reason: '补写 D7' });
		const stored = (await complaintRow(c.id)).eight_d;
		expect(typeof stored === 'string' ? JSON.parse(stored) : stored).toEqual(fixed);
		const audit = await database()('cp_audit').where({ collection: 'cp_complaints', item: c.id, action: 'correction' }).first();
		const data = typeof audit.data === 'string' ? JSON.parse(audit.data) : audit.data;
		expect([data.from, data.to]).toEqual([eightD, fixed]);
	});
});

describe('CC-4 X-5 satisfaction surveys: Sales enters the answers, an answered survey is evidence', () => {
	async function survey() {
		const c = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('PCS'), name: '满意度调查客户' })).id;
		return ok('sales', 'POST', '/items/cp_communications', { customer: c, type: 'survey', period_key: '2026-Q3' });
	}
	const surveyRow = (id: string) => database()('cp_communications').where('id', id).first();

	it('CC-4 Doc 2 4.6.3: before it is answered, another department cannot enter a survey score; Sales can', async () => {
		const s = await survey();
		const r = await http('production', 'PATCH', `/items/cp_communications/${s.id}`, { score: 95 });
		expect([r.status, r.code]).toEqual([403, 'CP_NOT_DEPARTMENT_MEMBER']);
		expect((await surveyRow(s.id)).survey_status).toBe('due');
		await ok('sales', 'PATCH', `/items/cp_communications/${s.id}`, { score: 80 });
		const row = await surveyRow(s.id);
		expect([row.survey_status, Number(row.score)]).toEqual(['answered', 80]);
		const answered = await database()('cp_audit').where({ collection: 'cp_communications', item: s.id, action: 'transition' }).first();
		expect([answered.from_status, answered.to_status, answered.department]).toEqual(['due', 'answered', 'sales']);
	});

	for (const who of ['quality', 'production', 'sales']) {
		it(`CC-4 X-5 an answered survey's score (a KPI) is not rewritten by ${who} on any write path; a correction by Sales is recorded`, async () => {
			const s = await survey();
			await ok('sales', 'PATCH', `/items/cp_communications/${s.id}`, { score: 70 });
			for (const path of UPDATE_PATHS) {
				const r = await updateVia(path, who, 'cp_communications', [s.id], { score: 99 });
				expect(r.ok, `${path}: ${r.status} ${r.code}`).toBe(false);
				const row = await surveyRow(s.id);
				expect([row.survey_status, Number(row.score)], path).toEqual(['answered', 70]);
			}
			if (who === 'production') {
				const c = await http(who, 'POST', '/cp/corrections', { collection: 'cp_communications', item: s.id, field: 'score', value: 99, reason: 'x' });
				expect(c.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
			}
		});
	}

	it('CC-4 X-5 Sales corrects an answered score through /cp/corrections; the original stays in the audit trail', async () => {
		const s = await survey();
		await ok('sales', 'PATCH', `/items/cp_communications/${s.id}`, { score: 70 });
		// The corrected value passes the entry's checks: a score stays 0-100.
		const off = await http('sales', 'POST', '/cp/corrections', { collection: 'cp_communications', item: s.id, field: 'score', value: 150, reason: '抄错' });
		expect([off.status, off.code]).toEqual([400, 'CP_INVALID_VALUE']);
		expect(Number((await surveyRow(s.id)).score)).toBe(70);
		await ok('sales', 'POST', '/cp/corrections', { collection: 'cp_communications', item: s.id, field: 'score', value: 75, reason: '纸质问卷合计抄错' });
		expect(Number((await surveyRow(s.id)).score)).toBe(75);
		const audit = await database()('cp_audit').where({ collection: 'cp_communications', item: s.id, action: 'correction' }).first();
		const data = typeof audit.data === 'string' ? JSON.parse(audit.data) : audit.data;
		expect([Number(data.from), data.to, data.reason]).toEqual([70, 75, '纸质问卷合计抄错']);
	});
});

describe('X-5 every write path: one record at a time, or each item its own checked outcome', () => {
	for (const path of BATCH_PATHS) {
		it(`X-5 CP-2 a status change of two complaints at once through ${path} is refused or checked per complaint, never shared`, async () => {
			const a = await intake();
			const b = await intake();
			const r = await updateVia(path, 'quality', 'cp_complaints', [a.id, b.id], { status: 'investigating' });
			if (SHARED_PATHS.includes(path)) expect(r.code, path).toBe('CP_ONE_AT_A_TIME');
			const rows = await database()('cp_complaints').whereIn('id', [a.id, b.id]).select('status');
			const audit = await database()('cp_audit')
				.where({ collection: 'cp_complaints', action: 'transition' })
				.whereIn('item', [a.id, b.id])
				.select('item', 'from_status', 'to_status', 'id', 'at');
			if (!r.ok) {
				expect(rows.map((x: any) => x.status)).toEqual(['received', 'received']);
				expect(audit).toHaveLength(0);
			} else {
				// Each item went through its own transition, recorded on its own.
				expect(rows.map((x: any) => x.status)).toEqual(['investigating', 'investigating']);
				expect(new Set(audit.map((t: any) => t.item)).size, JSON.stringify(audit)).toBe(2);
				expect(audit.every((t: any) => t.to_status === 'investigating')).toBe(true);
			}
		});
	}

	for (const path of ['rest-array', 'import'] as const) {
		it(`X-5 CP-3 a batch of two actions through ${path} whose second item is illegal changes neither`, async () => {
			const c = await intake();
			const first = await action(c.id, '首检规程修订');
			const second = await action(c.id, '操作工培训');
			// First: open -> done (legal). Second: open -> verified (not done yet: illegal).
			const items = [
				{ id: first.id, status: 'done' },
				{ id: second.id, status: 'verified' },
			];
			const r = path === 'rest-array' ? await http('quality', 'PATCH', '/items/cp_actions', items) : await importFile('quality', 'cp_actions', items);
			expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
			const [x, y] = [await actionRow(first.id), await actionRow(second.id)];
			expect([x.status, x.done_at, y.status]).toEqual(['open', null, 'open']);
			expect(await database()('cp_audit').where({ collection: 'cp_actions', action: 'transition' }).whereIn('item', [first.id, second.id])).toHaveLength(0);
		});
	}

	it('X-5 CP-3 a new deadline for several actions at once is refused (each restarts its own reminders)', async () => {
		const c = await intake();
		const a = await action(c.id, '更换油墨');
		const b = await action(c.id, '复核色标卡');
		const r = await updateVia('rest-keys', 'quality', 'cp_actions', [a.id, b.id], { due_at: iso(Date.now() + 5 * 24 * H) });
		expect(r.code).toBe('CP_ONE_AT_A_TIME');
		const owner = await updateVia('rest-keys', 'quality', 'cp_actions', [a.id, b.id], { department: 'quality' });
		expect(owner.ok, owner.code).toBe(true);
	});

	it('CP-3 X-5 a verified corrective action is evidence', async () => {
		const c = await intake();
		const a = await action(c.id);
		await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
		await ok('quality', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'verified' });
		for (const data of [{ title: '改写' }, { status: 'open' }, { due_at: iso(Date.now() + 9 * 24 * H) }]) {
			const r = await http('quality', 'PATCH', `/items/cp_actions/${a.id}`, data);
			expect(r.code, JSON.stringify(data)).toBe('CP_RECORD_FROZEN');
		}
		expect((await actionRow(a.id)).status).toBe('verified');
	});
});

describe('CR-15 CR-16 samples per their transition table', () => {
	it('CR-15 the inspection is Quality’s and fixed once inspected; the parameters are fixed once inspected; CR-16 the checked estimate is fixed', async () => {
		const s = await ok('sales', 'POST', '/items/cp_samples', { code: uid('YP'), kind: 'sample', customer, parameters: '纸板 K=A' });
		await ok('sales', 'PATCH', `/items/cp_samples/${s.id}`, { status: 'in_progress' });
		await ok('quality', 'PATCH', `/items/cp_samples/${s.id}`, { status: 'inspected', inspection_result: 'pass', inspection_report: '边压 7.4 kN/m 合格' });
		for (const [who, data] of [
			['quality', { inspection_result: 'fail' }],
			['quality', { inspection_report: '改写' }],
			['sales', { parameters: '改写参数' }],
		] as const) {
			const r = await http(who, 'PATCH', `/items/cp_samples/${s.id}`, data);
			expect(r.code, JSON.stringify(data)).toBe('CP_CHANGE_NOT_ALLOWED');
		}
		const row = await database()('cp_samples').where('id', s.id).first();
		expect([row.inspection_result, row.inspection_report, row.parameters]).toEqual(['pass', '边压 7.4 kN/m 合格', '纸板 K=A']);
		const kind = await http('admin', 'PATCH', `/items/cp_samples/${s.id}`, { kind: 'tooling' });
		expect(kind.code).toBe('CP_CHANGE_NOT_ALLOWED');
		const stamp = await http('admin', 'PATCH', `/items/cp_samples/${s.id}`, { approved_by: cp().users.gm.id });
		expect(stamp.code).toBe('CP_SYSTEM_ONLY');

		const t = await ok('sales', 'POST', '/items/cp_samples', { code: uid('MJ'), kind: 'tooling', customer });
		await ok('sales', 'PATCH', `/items/cp_samples/${t.id}`, { status: 'in_progress', tooling_estimate: 36000 });
		const raised = await http('sales', 'PATCH', `/items/cp_samples/${t.id}`, { tooling_estimate: 12000 });
		expect(raised.code).toBe('CP_CHANGE_NOT_ALLOWED');
		expect(Number((await database()('cp_samples').where('id', t.id).first()).tooling_estimate)).toBe(36000);
	});
});

const asDate = (v: unknown) => (v instanceof Date ? v : typeof v === 'number' || /^\d+$/.test(String(v)) ? new Date(Number(v)) : new Date(String(v)));
