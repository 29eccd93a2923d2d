// The record pages' next-steps panel (issue #12) over HTTP: GET /cp/steps/:collection/:id lists the
// steps each department may take now with what is missing for the others, and taking a step is the
// request it names. Expected values come from the procedures: Sales submits a draft for review
// (Doc 1 4.2.2), each department signs its own review line (CR-4), the review completes by itself
// (CR-6), the receiving department acknowledges its own task notice (CR-13), Quality pauses the
// complaint clock while waiting for the customer (CP-4), the warehouse records the receipt (PR-3).
import { describe, expect, it } from 'vitest';
import { cp, database, http, ok, uid } from '../harness/client';
import { LINE } from '../harness/fixtures';

type Step = {
	key: string;
	allowed: boolean;
	missing?: string;
	code?: string;
	request: { method: string; path: string; body: any };
	target: any;
	inputs?: any[];
};

const steps = async (who: string, collection: string, id: string) => {
	const r = (await ok(who, 'GET', `/cp/steps/${collection}/${id}`)) as { status: string; steps: Step[]; forms: { key: string; href: string }[] };
	// What is missing is said to people: no requirement ids, in the user's language (Sales reads zh-CN, the others English).
	for (const s of r.steps.filter((x) => x.missing)) {
		expect(s.missing, s.key).not.toMatch(/\b(?:CR|CP|PR|CC|X)-\d/);
		if (who !== 'sales' && who !== 'admin') expect(s.missing, s.key).not.toMatch(/ \/ /);
	}
	return r;
};
const find = (list: Step[], key: string) => {
	const s = list.find((x) => x.key === key || x.key.startsWith(`${key}:`));
	expect(s, `step ${key} in ${list.map((x) => x.key).join(', ')}`).toBeDefined();
	return s!;
};
/** Takes a step as the panel does: its request, with the values the user typed. */
const take = (who: string, s: Step, input: Record<string, unknown> = {}) => {
	const body: any = { ...s.request.body, ...input };
	if (body.acknowledged_at === '$NOW') body.acknowledged_at = new Date().toISOString();
	return http(who, s.request.method, s.request.path, body);
};

async function draftContract() {
	const cust = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}`, is_new: false });
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: 'Steps contract',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		customer: cust.id,
		delivery_date: '2027-02-01',
		total_amount: 10000,
	});
	await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, line_no: 1, contract: c.id });
	return c;
}

describe('issue #12 next steps from the transition tables', () => {
	it('CR-2/CR-4/CR-6/CR-13: a contract from draft to acknowledged task notices, each step listed for the department that takes it', async () => {
		const c = await draftContract();

		// Draft: Sales submits; Quality sees the step refused with the reason.
		const salesDraft = await steps('sales', 'cp_contracts', c.id);
		expect(salesDraft.status).toBe('draft');
		expect(find(salesDraft.steps, 'status:in_review').allowed).toBe(true);
		const qualityDraft = await steps('quality', 'cp_contracts', c.id);
		const refused = find(qualityDraft.steps, 'status:in_review');
		expect(refused.allowed).toBe(false);
		// Quality has no write right on contracts at all: said in words, not as a bare 403.
		expect(['CP_NOT_DEPARTMENT_MEMBER', 'FORBIDDEN']).toContain(refused.code);
		expect(refused.missing).toMatch(/部门|department/);
		// Listing changed nothing (the trial is rolled back).
		expect((await ok('admin', 'GET', `/items/cp_contracts/${c.id}`)).status).toBe('draft');
		expect(await database()('cp_review_lines').where({ contract: c.id })).toHaveLength(0);
		expect(salesDraft.forms.map((f) => f.href)).toContain(`/cp/contracts/${c.id}/review-form`);

		expect((await take('sales', find(salesDraft.steps, 'status:in_review'))).status).toBe(200);
		expect((await ok('admin', 'GET', `/items/cp_contracts/${c.id}`)).status).toBe('in_review');
		expect(await database()('cp_audit').where({ item: c.id, to_status: 'in_review' })).not.toHaveLength(0);

		// In review: the regular route's departments (CR-7: production, purchasing, sales) each sign their own line.
		const lines = await database()('cp_review_lines').where({ contract: c.id });
		expect(lines.map((l: any) => l.department).sort()).toEqual(['production', 'purchasing', 'sales']);
		const reviewed = await steps('production', 'cp_contracts', c.id);
		// CR-6: "reviewed" is reached by itself, never by hand.
		const manual = find(reviewed.steps, 'status:reviewed');
		expect(manual.allowed).toBe(false);
		const production = lines.find((l: any) => l.department === 'production');
		const purchasing = lines.find((l: any) => l.department === 'purchasing');
		expect(find(reviewed.steps, `sign:${production.id}`).allowed).toBe(true);
		const foreign = find(reviewed.steps, `sign:${purchasing.id}`);
		expect(foreign.allowed).toBe(false);
		expect(foreign.code).toBe('CP_NOT_DEPARTMENT_MEMBER');

		for (const dept of ['production', 'purchasing', 'sales']) {
			const line = lines.find((l: any) => l.department === dept);
			const s = find((await steps(dept, 'cp_contracts', c.id)).steps, `sign:${line.id}`);
			expect(s.allowed, `${dept}: ${s.missing}`).toBe(true);
			const checklist = s.inputs?.find((i) => i.name === 'checklist')?.value ?? [];
			const r = await take(dept, s, { opinion: `${dept}: can be met`, checklist: checklist.map((a: any) => ({ ...a, checked: true })) });
			expect(r.status, `${dept}: ${r.message}`).toBe(200);
			const after = await database()('cp_review_lines').where({ id: line.id }).first();
			expect(after.decision).toBe('approved');
			expect(after.opinion).toBe(`${dept}: can be met`);
		}
		// CR-6: every line signed is not yet the end of the review: the sales manager signs the conclusion.
		expect((await ok('admin', 'GET', `/items/cp_contracts/${c.id}`)).status).toBe('in_review');
		const byQuality = find((await steps('quality', 'cp_contracts', c.id)).steps, 'conclusion');
		expect(byQuality.allowed).toBe(false);
		const conclusion = find((await steps('sales', 'cp_contracts', c.id)).steps, 'conclusion');
		expect(conclusion.allowed, conclusion.missing).toBe(true);
		expect((await take('sales', conclusion, { conclusion: 'All departments can meet the order; accept it.' })).status).toBe(200);
		const concluded = await ok('admin', 'GET', `/items/cp_contracts/${c.id}`);
		expect(concluded.status).toBe('reviewed');
		expect(concluded.conclusion).toBe('All departments can meet the order; accept it.');
		expect((await steps('sales', 'cp_contracts', c.id)).steps.find((s) => s.key === 'conclusion')).toBeUndefined();

		// CR-11: the sales VP signs the contract for the company (the default signer: the deputy GM), not Sales;
		// signing issues the task notices (CR-13).
		expect(find((await steps('sales', 'cp_contracts', c.id)).steps, 'status:signed').allowed).toBe(false);
		const sign = find((await steps('deputy_gm', 'cp_contracts', c.id)).steps, 'status:signed');
		expect(sign.allowed, sign.missing).toBe(true);
		expect((await take('deputy_gm', sign)).status).toBe(200);
		const notices = await database()('cp_task_notices').where({ contract: c.id });
		expect(notices.length).toBeGreaterThan(0);

		// CR-13: each receiving department acknowledges its own notice, and only its own.
		for (const n of notices) {
			const other = n.department === 'quality' ? 'production' : 'quality';
			const theirs = find((await steps(other, 'cp_task_notices', n.id)).steps, `acknowledge:${n.id}`);
			expect(theirs.allowed).toBe(false);
			const own = find((await steps(n.department, 'cp_contracts', c.id)).steps, `acknowledge:${n.id}`);
			expect(own.allowed, own.missing).toBe(true);
			expect((await take(n.department, own)).status).toBe(200);
			const row = await database()('cp_task_notices').where({ id: n.id }).first();
			expect(row.acknowledged_at).toBeTruthy();
			expect(row.acknowledged_by).toBe(cp().users[n.department].id);
			// Once: the step is gone.
			expect((await steps(n.department, 'cp_contracts', c.id)).steps.find((s) => s.key === `acknowledge:${n.id}`)).toBeUndefined();
		}
		expect(
			await database()('cp_audit')
				.where({ collection: 'cp_task_notices' })
				.whereIn(
					'item',
					notices.map((n: any) => n.id),
				),
		).not.toHaveLength(0);
	});

	it('CP-4: Quality pauses the clock with its reason from the panel and resumes it; Production cannot', async () => {
		const cust = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}` });
		const c = await ok('sales', 'POST', '/items/cp_complaints', {
			customer: cust.id,
			channel: 'phone',
			summary: 'Boxes crushed',
			received_at: new Date(Date.now() - 3600e3).toISOString(),
		});
		const q = await steps('quality', 'cp_complaints', c.id);
		expect(find(q.steps, 'status:investigating').allowed).toBe(true);
		const pause = find(q.steps, 'pause');
		expect(pause.allowed, pause.missing).toBe(true);
		expect(pause.inputs?.map((i) => i.name)).toContain('reason');
		expect(find((await steps('production', 'cp_complaints', c.id)).steps, 'pause').allowed).toBe(false);
		expect(q.forms.map((f) => f.href)).toContain(`/cp/complaints/${c.id}/form`);

		const r = await take('quality', pause, { reason: 'customer_photos', note: 'photos of the crushed boxes' });
		expect(r.status, r.message).toBe(200);
		const row = await database()('cp_complaints').where({ id: c.id }).first();
		const pauses = typeof row.pauses === 'string' ? JSON.parse(row.pauses) : row.pauses;
		expect(pauses).toHaveLength(1);
		expect(pauses[0].reason).toBe('customer_photos');
		const resume = find((await steps('quality', 'cp_complaints', c.id)).steps, 'resume');
		expect(resume.allowed, resume.missing).toBe(true);
		expect((await take('quality', resume)).status).toBe(200);
		expect(await database()('cp_audit').where({ item: c.id }).whereIn('action', ['pause', 'resume'])).toHaveLength(2);
	});

	it('CP-4: the written response is e-mailed to the customer from the complaint page, once it is written, by Sales or Quality', async () => {
		const email = `${uid('buyer')}@customer.example`;
		const cust = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}`, email });
		const c = await ok('sales', 'POST', '/items/cp_complaints', {
			customer: cust.id,
			channel: 'mail',
			summary: '彩盒色差 colour off',
			received_at: new Date(Date.now() - 3600e3).toISOString(),
		});
		expect((await http('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'investigating' })).status).toBe(200);
		// Nothing written yet: the step says so, in the user's language.
		const before = find((await steps('quality', 'cp_complaints', c.id)).steps, 'send_response');
		expect(before.allowed).toBe(false);
		expect(before.missing).toMatch(/Written response/);
		const written = await http('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { response_content: '已重印并于 3 日内补发 reprinted, sent within 3 days' });
		expect(written.status, written.message).toBe(200);
		// Production does not answer the customer.
		expect(find((await steps('production', 'cp_complaints', c.id)).steps, 'send_response').allowed).toBe(false);
		const send = find((await steps('quality', 'cp_complaints', c.id)).steps, 'send_response');
		expect(send.allowed, send.missing).toBe(true);
		expect(send.inputs?.map((i) => i.name)).toEqual(['to']);
		const r = await take('quality', send, { to: '' });
		expect(r.status, r.message).toBe(200);
		// Sent to the customer's address on record and kept in the complaint's contact log.
		const out = await database()('cp_communications').where({ complaint: c.id, type: 'mail_out' });
		expect(out).toHaveLength(1);
		expect(out[0].findings).toContain('已重印');
		const mailed = (await database()('cp_audit').where({ item: c.id, action: 'response_mailed' }).first()).data;
		// JSON text on SQLite and MariaDB, parsed on PostgreSQL.
		expect((typeof mailed === 'string' ? JSON.parse(mailed) : mailed).to).toBe(email);
	});

	it('CP-3: an action is linked by picking its complaint; the complaint page lists it and the action shows the complaint number', async () => {
		const cust = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}` });
		const c = await ok('sales', 'POST', '/items/cp_complaints', {
			customer: cust.id,
			channel: 'phone',
			summary: 'Print smeared',
			received_at: new Date(Date.now() - 3600e3).toISOString(),
		});
		const a = await ok('quality', 'POST', '/items/cp_actions', {
			title: 'Clean the anilox roller every shift',
			complaint: c.id,
			owner: cp().users.production.id,
			department: 'production',
			due_at: new Date(Date.now() + 48 * 3600e3).toISOString(),
		});
		const row = await database()('cp_actions').where({ id: a.id }).first();
		// The rules keep reading the source pair: the picker filled it.
		expect(row.source_collection).toBe('cp_complaints');
		expect(row.source_id).toBe(c.id);
		const page = await ok('quality', 'GET', `/items/cp_complaints/${c.id}?fields=code,actions.title`);
		expect(page.actions.map((x: any) => x.title)).toEqual(['Clean the anilox roller every shift']);
		const listed = await ok('quality', 'GET', `/items/cp_actions/${a.id}?fields=title,complaint.code`);
		expect(listed.complaint.code).toBe(c.code);
		// The action's own step: Production finishes it (lifecycle: open -> done).
		const done = find((await steps('production', 'cp_actions', a.id)).steps, 'status:done');
		expect(done.allowed, done.missing).toBe(true);
		expect((await take('production', done)).status).toBe(200);
		expect((await database()('cp_actions').where({ id: a.id }).first()).status).toBe('done');
	});

	it('PR-3: an expected property item offers the receipt to the warehouse; the step records the event and moves the item', async () => {
		const cust = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}` });
		const p = await ok('sales', 'POST', '/items/cp_property', {
			code: uid('P'),
			name: 'Customer die',
			kind: 'tooling',
			customer: cust.id,
			quantity: 1,
			unit: 'pcs',
			serial_no: 'SN-1',
			scope: 'Die kept and maintained by us, returned at contract end',
		});
		const w = await steps('warehouse', 'cp_property', p.id);
		expect(w.status).toBe('expected');
		const receipt = find(w.steps, 'event:receipt');
		expect(receipt.allowed, receipt.missing).toBe(true);
		// Only the receipt: the other events need the item in the house first (PR-3).
		expect(w.steps.map((s) => s.key)).not.toContain('event:use');
		const r = await take('warehouse', receipt, { quantity: 1, to_location: 'Receiving area A' });
		expect(r.status, r.message).toBe(200);
		expect((await database()('cp_property').where({ id: p.id }).first()).status).toBe('received');
		expect(await database()('cp_property_events').where({ property: p.id, type: 'receipt' })).toHaveLength(1);
		const next = await steps('quality', 'cp_property', p.id);
		expect(find(next.steps, 'event:inspection').allowed).toBe(true);
	});

	it('refuses a collection without steps and an unknown record in words', async () => {
		const r = await http('sales', 'GET', '/cp/steps/cp_audit/1');
		expect(r.status).toBe(404);
		const u = await http('sales', 'GET', '/cp/steps/cp_contracts/00000000-0000-4000-8000-000000000000');
		expect(u.status).toBeGreaterThanOrEqual(400);
		expect((await http(null, 'GET', '/cp/steps/cp_contracts/x')).status).toBe(401);
	});
});
