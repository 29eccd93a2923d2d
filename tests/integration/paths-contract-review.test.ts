// X-5 path matrix for contract review (CR-3..CR-7, CR-13, CR-14, X-2): each rule of the procedure
// tried through every write path Directus offers (tests/harness/paths.ts), as a department that may
// not and one that may. The database under the API is read directly: a refusal leaves it exactly
// as it was (the record, what the step would have set in motion, the audit trail), an allowed
// write leaves the procedure's outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database, http, ok, uid, type Who } from '../harness/client';
import { CREATE_PATHS, UPDATE_PATHS, createVia, updateVia, type UpdatePath } from '../harness/paths';
import { approval, signConclusion, signContract } from '../harness/fixtures';

let customer: string;
const userIds: Record<string, string> = {};

beforeAll(async () => {
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('PCR'), name: 'Contract review path customer', is_new: false })).id;
	for (const who of ['sales', 'production', 'purchasing', 'quality', 'warehouse', 'technical', 'deputy_gm'])
		userIds[who] = (await ok(who, 'GET', '/users/me?fields=id')).id;
});

afterAll(async () => {
	await database().destroy();
});

const LINE = { product: 'Corrugated box', specification: '600x400x300', material: 'K=A', quantity: 1000, unit: 'pcs', unit_price: 10 };

async function draft(cls = 'regular', withLine = true): Promise<string> {
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('PCR'),
		title: `Paths ${cls}`,
		kind: 'contract',
		channel: 'written',
		class: cls,
		customer,
		delivery_date: '2027-01-15',
	});
	// A product of its own: a repeat of a reviewed product would take the CR-8 confirmation route.
	if (withLine) await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, product: uid('Carton'), line_no: 1, contract: c.id });
	return c.id;
}

async function reviewLines(contract: string): Promise<Record<string, any>> {
	const c = await database()('cp_contracts').where('id', contract).first('review_round');
	const rows = await database()('cp_review_lines').where({ contract, round: c.review_round });
	return Object.fromEntries(rows.map((r: any) => [r.department, r]));
}

async function inReview(cls = 'regular') {
	const id = await draft(cls);
	await ok('sales', 'PATCH', `/items/cp_contracts/${id}`, { status: 'in_review' });
	return { id, lines: await reviewLines(id) };
}

/** Every line of the round approved by its department (CR-3, CR-4), the conclusion not yet signed. */
async function allLinesSigned(cls = 'regular') {
	const { id, lines } = await inReview(cls);
	for (const [dept, line] of Object.entries(lines)) await ok(dept, 'PATCH', `/items/cp_review_lines/${line.id}`, approval(line, 'OK'));
	return id;
}

/** Reviewed: the lines signed and the sales manager's conclusion (CR-6). */
async function reviewed() {
	const id = await allLinesSigned();
	const r = await signConclusion(id);
	if (r.status !== 200) throw new Error(`conclusion: ${r.code} ${r.message}`);
	return id;
}

async function signedContract() {
	const id = await reviewed();
	const r = await signContract(id);
	if (r.status !== 200) throw new Error(`sign: ${r.code} ${r.message}`);
	const notices = await database()('cp_task_notices').where('contract', id);
	return { id, notices: Object.fromEntries(notices.map((n: any) => [n.department, n])) };
}

async function discrepancy(status: 'open' | 'closed') {
	const { id } = await inReview('regular');
	const d = await ok('purchasing', 'POST', '/items/cp_discrepancies', {
		contract: id,
		clause: '§3 material',
		problem: 'Q890 lead time 12 weeks',
		suggestion: 'Q690',
	});
	if (status === 'closed') {
		await ok('sales', 'PATCH', `/items/cp_discrepancies/${d.id}`, { status: 'resolved', resolution: 'Customer accepts Q690', customer_contact: 'Call 14:00' });
		await ok('purchasing', 'PATCH', `/items/cp_discrepancies/${d.id}`, { status: 'closed' });
	}
	return { id: d.id as string, contract: id };
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** Everything a write on `ids` could touch: the records, the contract they belong to and its round, the audit trail. */
async function state(collection: string, ids: string[], contracts: string[]) {
	const db = database();
	return {
		rows: await db(collection).whereIn('id', ids).orderBy('id'),
		contracts: await db('cp_contracts').whereIn('id', contracts).orderBy('id'),
		reviewLines: await db('cp_review_lines').whereIn('contract', contracts).orderBy('id'),
		notices: await db('cp_task_notices').whereIn('contract', contracts).orderBy('id'),
		// The procedure's own entries (submitted, signed, transition...); the generic record of a
		// plain write is appended after the request commits, so it is left out of the comparison.
		audit: (
			await db('cp_audit')
				.whereIn('item', [...ids, ...contracts])
				.orderBy('id')
				.select('item', 'action', 'data')
		)
			.filter((a: any) => !json(a.data ?? 'null')?.fields)
			.map((a: any) => `${a.item}:${a.action}`),
	};
}

interface Fixture {
	id: string;
	contract: string;
}

interface Rule {
	name: string;
	collection: string;
	data: Record<string, unknown>;
	/** The department that may not, the codes its refusal answers, and the record it tries. */
	mayNot: { who: Who; codes: string[]; fixture: () => Promise<Fixture> };
	/** The department that may, and what the database shows afterwards. */
	may?: { who: Who; fixture: () => Promise<Fixture>; check: (f: Fixture) => Promise<void> };
}

// Directus itself refuses an import to a department without create permission on the collection.
const HOST_REFUSES_IMPORT = 'FORBIDDEN';
const hostRefusals = (path: UpdatePath) => (path === 'import' ? [HOST_REFUSES_IMPORT] : []);

// Doc 1 4.2.2 f and Doc 2 3.6-3.7: the production line's aspects, each confirmed explicitly (CR-3).
const PRODUCTION_ASPECTS = ['capacity', 'load_balance', 'delivery_date', 'outsourcing', 'staffing', 'transport'];
const productionApproval = { decision: 'approved', opinion: 'capacity ok', checklist: PRODUCTION_ASPECTS.map((key) => ({ key, checked: true })) };

const RULES: Rule[] = [
	{
		name: 'CR-7 submitting a draft for review',
		collection: 'cp_contracts',
		data: { status: 'in_review' },
		// Quality only reads contracts: refused by permission (GraphQL offers it no update mutation at all).
		mayNot: {
			who: 'quality',
			codes: ['FORBIDDEN', 'CP_NOT_DEPARTMENT_MEMBER', 'GRAPHQL_VALIDATION'],
			fixture: async () => ({ id: await draft(), contract: '' }),
		},
		may: {
			who: 'sales',
			fixture: async () => ({ id: await draft(), contract: '' }),
			check: async (f) => {
				const c = await database()('cp_contracts').where('id', f.id).first();
				expect(c).toMatchObject({ status: 'in_review', review_route: 'regular' });
				expect(Number(c.review_round)).toBe(1);
				// Doc 3 4.2.2.6: a regular contract is reviewed by production, purchasing and sales.
				expect(Object.keys(await reviewLines(f.id)).sort()).toEqual(['production', 'purchasing', 'sales']);
			},
		},
	},
	{
		name: "CR-4 signing another department's review line",
		collection: 'cp_review_lines',
		data: productionApproval,
		mayNot: {
			who: 'quality',
			codes: ['CP_NOT_DEPARTMENT_MEMBER'],
			fixture: async () => {
				const { id, lines } = await inReview();
				return { id: lines.production.id, contract: id };
			},
		},
		may: {
			who: 'production',
			fixture: async () => {
				const { id, lines } = await inReview();
				return { id: lines.production.id, contract: id };
			},
			check: async (f) => {
				const line = await database()('cp_review_lines').where('id', f.id).first();
				expect(line.decision).toBe('approved');
				expect(line.signed_by).toBe(userIds.production);
				expect(line.signed_at).toBeTruthy();
				// CR-3: the approval confirmed the production aspects (Doc 1 4.2.2 f), on this line's own list.
				expect(json(line.checklist).map((a: any) => [a.key, a.checked])).toEqual(PRODUCTION_ASPECTS.map((k) => [k, true]));
				const trail = await database()('cp_audit').where({ item: f.id, action: 'signed' });
				expect(trail).toHaveLength(1);
				expect(trail[0].department).toBe('production');
			},
		},
	},
	{
		name: 'CR-3 CR-4 approving a review line without confirming its checklist (production, its own line)',
		collection: 'cp_review_lines',
		data: { decision: 'approved', opinion: 'capacity ok' },
		mayNot: {
			who: 'production',
			codes: ['CP_REQUIRED_FIELDS_MISSING'],
			fixture: async () => {
				const { id, lines } = await inReview();
				return { id: lines.production.id, contract: id };
			},
		},
	},
	{
		name: 'CR-4 approving a review line without an opinion (production, every aspect ticked)',
		collection: 'cp_review_lines',
		data: { decision: 'approved', checklist: productionApproval.checklist },
		mayNot: {
			who: 'production',
			codes: ['CP_OPINION_REQUIRED'],
			fixture: async () => {
				const { id, lines } = await inReview();
				return { id: lines.production.id, contract: id };
			},
		},
	},
	{
		name: 'CR-6 signing the review conclusion as a department that is not the sales manager (quality)',
		collection: 'cp_contracts',
		data: { conclusion: '评审通过 Review passed' },
		mayNot: {
			who: 'quality',
			codes: ['FORBIDDEN', 'CP_NOT_DEPARTMENT_MEMBER', 'GRAPHQL_VALIDATION'],
			fixture: async () => ({ id: await allLinesSigned(), contract: '' }),
		},
		may: {
			who: 'sales',
			fixture: async () => ({ id: await allLinesSigned(), contract: '' }),
			check: async (f) => {
				const c = await database()('cp_contracts').where('id', f.id).first();
				// Doc 2 4.3.1: the conclusion, its signer and date; the review is complete with it.
				expect(c).toMatchObject({ status: 'reviewed', conclusion: '评审通过 Review passed', conclusion_signed_by: userIds.sales });
				expect(c.conclusion_signed_at).toBeTruthy();
				expect(await database()('cp_audit').where({ item: f.id, action: 'conclusion_signed' })).toHaveLength(1);
			},
		},
	},
	{
		name: 'CR-6 signing the review conclusion while a line is pending (sales manager)',
		collection: 'cp_contracts',
		data: { conclusion: '评审通过 Review passed' },
		mayNot: { who: 'sales', codes: ['CP_REVIEW_INCOMPLETE'], fixture: async () => ({ id: (await inReview()).id, contract: '' }) },
	},
	{
		name: 'CR-11 signing the contract for the company as Sales (the sales VP signs, Doc 3 4.3.1)',
		collection: 'cp_contracts',
		data: { status: 'signed' },
		mayNot: { who: 'sales', codes: ['CP_NOT_DEPARTMENT_MEMBER'], fixture: async () => ({ id: await reviewed(), contract: '' }) },
		may: {
			who: 'deputy_gm',
			fixture: async () => ({ id: await reviewed(), contract: '' }),
			check: async (f) => {
				const c = await database()('cp_contracts').where('id', f.id).first();
				expect(c).toMatchObject({ status: 'signed', signed_by: userIds.deputy_gm });
				// CR-13: the signature issues the task notice to production, purchasing, quality and warehouse.
				expect((await database()('cp_task_notices').where('contract', f.id)).map((n: any) => n.department).sort()).toEqual([
					'production',
					'purchasing',
					'quality',
					'warehouse',
				]);
			},
		},
	},
	{
		name: 'CR-4 X-5 editing a signed review line (its department may still draft a pending one)',
		collection: 'cp_review_lines',
		data: { opinion: 'changed my mind' },
		mayNot: {
			who: 'production',
			codes: ['CP_LINE_ALREADY_SIGNED'],
			fixture: async () => {
				const { id, lines } = await inReview();
				await ok('production', 'PATCH', `/items/cp_review_lines/${lines.production.id}`, productionApproval);
				return { id: lines.production.id, contract: id };
			},
		},
		may: {
			who: 'production',
			fixture: async () => {
				const { id, lines } = await inReview();
				return { id: lines.production.id, contract: id };
			},
			check: async (f) => {
				const line = await database()('cp_review_lines').where('id', f.id).first();
				expect(line).toMatchObject({ opinion: 'changed my mind', decision: 'pending' });
			},
		},
	},
	{
		name: 'CR-5 X-5 editing a closed discrepancy (the raiser may still edit an open one)',
		collection: 'cp_discrepancies',
		data: { problem: 'nothing wrong after all' },
		mayNot: { who: 'purchasing', codes: ['CP_RECORD_FROZEN'], fixture: () => discrepancy('closed') },
		may: {
			who: 'purchasing',
			fixture: () => discrepancy('open'),
			check: async (f) => expect((await database()('cp_discrepancies').where('id', f.id).first()).problem).toBe('nothing wrong after all'),
		},
	},
	{
		name: "CR-5 rewriting a discrepancy's problem as a department that did not raise it",
		collection: 'cp_discrepancies',
		data: { problem: 'Q890 available, no problem' },
		mayNot: { who: 'production', codes: ['CP_NOT_DEPARTMENT_MEMBER'], fixture: () => discrepancy('open') },
		may: {
			who: 'purchasing',
			fixture: () => discrepancy('open'),
			check: async (f) => expect((await database()('cp_discrepancies').where('id', f.id).first()).problem).toBe('Q890 available, no problem'),
		},
	},
	{
		name: "CR-13 acknowledging another department's task notice",
		collection: 'cp_task_notices',
		data: { acknowledged_at: '2000-01-01T00:00:00Z' },
		mayNot: {
			who: 'warehouse',
			codes: ['CP_NOT_DEPARTMENT_MEMBER'],
			fixture: async () => {
				const s = await signedContract();
				return { id: s.notices.production.id, contract: s.id };
			},
		},
		may: {
			who: 'production',
			fixture: async () => {
				const s = await signedContract();
				return { id: s.notices.production.id, contract: s.id };
			},
			check: async (f) => {
				const n = await database()('cp_task_notices').where('id', f.id).first();
				expect(n.acknowledged_by).toBe(userIds.production);
				// Stamped with the server's clock, not the request's.
				expect(new Date(n.acknowledged_at).getFullYear()).toBeGreaterThan(2020);
			},
		},
	},
];

// CR-14 (Doc 1 4.6): a recorded change is requested; the supervising leader (deputy GM or GM)
// approves it; nobody else, and not out of order.
let signedForChanges: string;
async function requestedChange(): Promise<Fixture> {
	if (!signedForChanges) signedForChanges = (await signedContract()).id;
	const c = await ok('sales', 'POST', '/items/cp_changes', {
		contract: signedForChanges,
		kind: 'quantity',
		description: '+500 boxes',
		customer_consent_at: new Date().toISOString(),
		amendments: { lines: [{ line_no: 1, quantity: 1500 }] },
	});
	expect(c.status).toBe('requested');
	return { id: c.id, contract: signedForChanges };
}
const changeApproved = async (f: Fixture) => {
	const row = await database()('cp_changes').where('id', f.id).first();
	expect(row.status).toBe('approved');
	expect(row.approved_by).toBe(userIds.deputy_gm);
	expect(row.approved_as).toBe('deputy_gm');
};
RULES.push(
	{
		name: 'CR-14 moving a change request out of order (requested to done, before approval and confirmation)',
		collection: 'cp_changes',
		data: { status: 'done' },
		mayNot: { who: 'sales', codes: ['CP_ILLEGAL_TRANSITION'], fixture: requestedChange },
		may: { who: 'deputy_gm', fixture: requestedChange, check: changeApproved },
	},
	{
		name: 'CR-14 approving a change request as a department the table does not name (technical: requested to approved)',
		collection: 'cp_changes',
		data: { status: 'approved' },
		mayNot: { who: 'technical', codes: ['CP_NOT_DEPARTMENT_MEMBER'], fixture: requestedChange },
		may: { who: 'deputy_gm', fixture: requestedChange, check: changeApproved },
	},
);
// The allowed counterpart of the out-of-order rule is the step the table names (the leader's approval).
const allowedData = (rule: Rule) => (rule.collection === 'cp_changes' ? { status: 'approved' } : rule.data);

for (const rule of RULES) {
	describe(rule.name, () => {
		for (const path of UPDATE_PATHS) {
			it(`X-5 ${path}: refused as ${rule.mayNot.who}; the database is unchanged`, async () => {
				const f = await rule.mayNot.fixture();
				const contracts = f.contract ? [f.contract] : [f.id];
				const before = await state(rule.collection, [f.id], contracts);
				const r = await updateVia(path, rule.mayNot.who, rule.collection, [f.id], rule.data);
				expect(r.ok, `${path}: ${r.status} ${r.code} ${r.message}`).toBe(false);
				expect([...rule.mayNot.codes, ...hostRefusals(path)], `${path}: ${r.message}`).toContain(r.code);
				expect(await state(rule.collection, [f.id], contracts)).toEqual(before);
			});
			if (!rule.may) continue;
			const may = rule.may;
			it(`X-5 ${path}: allowed as ${may.who}; the procedure's outcome is written`, async () => {
				const f = await may.fixture();
				const contracts = f.contract ? [f.contract] : [f.id];
				const before = await state(rule.collection, [f.id], contracts);
				const r = await updateVia(path, may.who, rule.collection, [f.id], allowedData(rule));
				if (path === 'import' && r.code === HOST_REFUSES_IMPORT) {
					// The department has no create permission, so Directus refuses its imports outright.
					expect(await state(rule.collection, [f.id], contracts)).toEqual(before);
					return;
				}
				expect(r.ok, `${path}: ${r.status} ${r.code} ${r.message}`).toBe(true);
				await may.check(f);
			});
		}
	});
}

const BATCH_PATHS: UpdatePath[] = ['rest-keys', 'rest-query', 'graphql-many'];

describe('CR-7 X-5 two drafts of different classes in one request', () => {
	for (const path of BATCH_PATHS) {
		it(`X-5 ${path}: refused one-at-a-time; neither draft changes`, async () => {
			const a = await draft('regular');
			const b = await draft('special');
			const before = await state('cp_contracts', [a, b], [a, b]);
			const r = await updateVia(path, 'sales', 'cp_contracts', [a, b], { status: 'in_review' });
			expect(r.code).toBe('CP_ONE_AT_A_TIME');
			expect(await state('cp_contracts', [a, b], [a, b])).toEqual(before);
		});
	}

	for (const path of ['rest-array', 'import'] as const) {
		it(`CR-7 ${path}: each draft gets its own route, round and lines`, async () => {
			// A was submitted once and withdrawn, so its next round is 2; B is new (round 1).
			const a = await draft('regular');
			await ok('sales', 'PATCH', `/items/cp_contracts/${a}`, { status: 'in_review' });
			await ok('sales', 'PATCH', `/items/cp_contracts/${a}`, { status: 'draft' });
			const b = await draft('special');
			const r = await updateVia(path, 'sales', 'cp_contracts', [a, b], { status: 'in_review' });
			expect(r.ok, `${r.code} ${r.message}`).toBe(true);
			const [ca, cb] = await Promise.all([a, b].map((id) => database()('cp_contracts').where('id', id).first()));
			expect([ca.status, ca.review_route, Number(ca.review_round)]).toEqual(['in_review', 'regular', 2]);
			expect([cb.status, cb.review_route, Number(cb.review_round)]).toEqual(['in_review', 'special', 1]);
			// Each contract's current round holds its own lines (Doc 3 4.2.2.6 and 4.2.2.7).
			expect(Object.keys(await reviewLines(a)).sort()).toEqual(['production', 'purchasing', 'sales']);
			expect(Object.keys(await reviewLines(b)).sort()).toEqual(['deputy_gm', 'production', 'purchasing', 'quality', 'sales', 'technical']);
		});

		it(`X-5 ${path}: a refused second item leaves the first unchanged (one transaction)`, async () => {
			const a = await draft('regular');
			const b = await draft('regular', false); // CR-1: no line, cannot be reviewed
			const before = await state('cp_contracts', [a, b], [a, b]);
			const r = await updateVia(path, 'sales', 'cp_contracts', [a, b], { status: 'in_review' });
			expect(r.ok).toBe(false);
			expect(await state('cp_contracts', [a, b], [a, b])).toEqual(before);
		});
	}
});

describe('CR-3 X-5 two review lines approved in one request keep their own checklists', () => {
	const ticked = (line: any) => json(line.checklist).map((a: any) => ({ ...a, checked: true }));

	for (const path of BATCH_PATHS) {
		it(`X-5 ${path}: refused one-at-a-time; neither line changes`, async () => {
			const { id, lines } = await inReview();
			const keys = [lines.production.id, lines.purchasing.id];
			const before = await state('cp_review_lines', keys, [id]);
			const r = await updateVia(path, 'admin', 'cp_review_lines', keys, { decision: 'approved', opinion: 'OK', checklist: ticked(lines.production) });
			expect(r.code).toBe('CP_ONE_AT_A_TIME');
			expect(await state('cp_review_lines', keys, [id])).toEqual(before);
		});
	}

	it('CR-3 rest-array: each line is approved with its own aspects', async () => {
		const { id, lines } = await inReview();
		const r = await http('admin', 'PATCH', '/items/cp_review_lines', [
			{ id: lines.production.id, decision: 'approved', opinion: 'capacity ok', checklist: ticked(lines.production) },
			{ id: lines.purchasing.id, decision: 'approved', opinion: 'material ok', checklist: ticked(lines.purchasing) },
		]);
		expect(r.status, r.message).toBe(200);
		const after = await reviewLines(id);
		// Doc 1 4.2.2 e/f: purchasing confirms material availability and cost, production capacity to outsourcing.
		expect(json(after.production.checklist).map((a: any) => a.key)).toEqual(PRODUCTION_ASPECTS);
		expect(json(after.purchasing.checklist).map((a: any) => a.key)).toEqual(json(lines.purchasing.checklist).map((a: any) => a.key));
		expect(json(after.purchasing.checklist).some((a: any) => a.key === 'capacity')).toBe(false);
		expect([after.production.decision, after.purchasing.decision]).toEqual(['approved', 'approved']);
		expect([after.production.opinion, after.purchasing.opinion]).toEqual(['capacity ok', 'material ok']);
	});

	it("CR-3 rest-array: production's checklist sent for the purchasing line refuses the whole request; the first line stays pending", async () => {
		const { id, lines } = await inReview();
		const keys = [lines.production.id, lines.purchasing.id];
		const before = await state('cp_review_lines', keys, [id]);
		const r = await http('admin', 'PATCH', '/items/cp_review_lines', [
			{ id: lines.production.id, decision: 'approved', opinion: 'capacity ok', checklist: ticked(lines.production) },
			{ id: lines.purchasing.id, decision: 'approved', opinion: 'material ok', checklist: ticked(lines.production) },
		]);
		expect(r.code).toBe('CP_INVALID_VALUE');
		expect(await state('cp_review_lines', keys, [id])).toEqual(before);
	});
});

describe('X-5 what the policy calls batch-safe still goes to several contracts at once', () => {
	for (const path of UPDATE_PATHS.filter((p) => !p.endsWith('-one'))) {
		it(`X-5 ${path}: a note on two contracts (the admin app's multi-select edit) is written on both`, async () => {
			const a = await draft('regular');
			const b = (await inReview('special')).id;
			const note = uid('call back');
			const r = await updateVia(path, 'sales', 'cp_contracts', [a, b], { notes: note });
			expect(r.ok, `${r.code} ${r.message}`).toBe(true);
			const rows = await database()('cp_contracts').whereIn('id', [a, b]).select('notes', 'status');
			expect(rows.map((x: any) => x.notes)).toEqual([note, note]);
			expect(rows.map((x: any) => x.status).sort()).toEqual(['draft', 'in_review']);
		});
	}
});

describe("CR-5 raising a discrepancy in another department's name, on every create path", () => {
	for (const path of CREATE_PATHS) {
		it(`X-5 ${path}: production cannot raise it as quality; purchasing raises its own`, async () => {
			const { id } = await inReview();
			const item = { contract: id, clause: '§5 tolerance', problem: 'tolerance ±0.1 unclear' };
			const refused = await createVia(path, 'production', 'cp_discrepancies', { ...item, raised_by_department: 'quality' });
			expect(refused.ok).toBe(false);
			expect(refused.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
			expect(await database()('cp_discrepancies').where('contract', id)).toHaveLength(0);
			const allowed = await createVia(path, 'purchasing', 'cp_discrepancies', { ...item, raised_by_department: 'purchasing' });
			expect(allowed.ok, `${allowed.code} ${allowed.message}`).toBe(true);
			const rows = await database()('cp_discrepancies').where('contract', id);
			expect(rows.map((d: any) => [d.raised_by_department, d.status, Number(d.round)])).toEqual([['purchasing', 'open', 1]]);
		});
	}
});
