// X-5 path matrix: a rule holds on every write path Directus offers, or it does not hold. Each row
// is a rule from the procedures tried through every path, as a department that may not.
import { beforeAll, describe, expect, it } from 'vitest';
import { database, http, ok, uid } from '../harness/client';
import { UPDATE_PATHS, updateVia } from '../harness/paths';

let customer: string;

beforeAll(async () => {
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('PATHC'), name: 'Path matrix customer' })).id;
});

async function draftContract(title: string) {
	const c = await ok('sales', 'POST', '/items/cp_contracts', { code: uid('PATH'), title, kind: 'contract', channel: 'written', class: 'regular', customer });
	await ok('sales', 'POST', '/items/cp_contract_lines', { contract: c.id, line_no: 1, product: 'Carton 5-ply', quantity: 100, unit_price: 2 });
	return c.id as string;
}

describe('X-5 path matrix: a status change goes one record at a time on every batch path', () => {
	for (const path of UPDATE_PATHS.filter((p) => !['rest-one', 'graphql-one'].includes(p))) {
		it(`CR-7 submitting two drafts at once through ${path} is refused and changes neither`, async () => {
			const a = await draftContract('Batch A');
			const b = await draftContract('Batch B');
			const r = await updateVia(path, 'sales', 'cp_contracts', [a, b], { status: 'in_review' });
			if (!['rest-array', 'import'].includes(path)) expect(r.code, path).toBe('CP_ONE_AT_A_TIME');
			// A batch of items runs each item's own checks (one transaction), so it may also succeed
			// record by record; what must never happen is a shared outcome.
			const rows = await database()('cp_contracts').whereIn('id', [a, b]).select('id', 'status', 'review_route');
			if (!r.ok) expect(rows.map((x) => x.status)).toEqual(['draft', 'draft']);
			else for (const x of rows) expect(x.status).toBe('in_review');
			const lines = await database()('cp_review_lines').whereIn('contract', [a, b]).select('contract');
			if (!r.ok) expect(lines).toHaveLength(0);
		});
	}
});

describe('X-5 content versions: promoting a version is an update like any other', () => {
	it('CC-4 a version that rewrites an answered survey’s score cannot be promoted, even by an admin', async () => {
		// Versioning is off for cp_ collections; an admin may switch it on, and the rules still hold.
		await ok('admin', 'PATCH', '/collections/cp_communications', { meta: { versioning: true } });
		try {
			const survey = await ok('sales', 'POST', '/items/cp_communications', {
				customer,
				type: 'survey',
				channel: 'phone',
				summary: 'Quarterly survey',
				answers: { quality: 4, delivery: 4, service: 4, communication: 4, price: 4 },
			});
			expect(survey.survey_status).toBe('answered');
			const version = await ok('admin', 'POST', '/versions', { key: uid('v'), name: 'better score', collection: 'cp_communications', item: survey.id });
			await ok('admin', 'POST', `/versions/${version.id}/save`, { score: 100 });
			const { mainHash } = await ok('admin', 'GET', `/versions/${version.id}/compare`);
			const promoted = await http('admin', 'POST', `/versions/${version.id}/promote`, { mainHash });
			expect([promoted.status, promoted.code]).toEqual([409, 'CP_RECORD_FROZEN']);
			expect(Number((await database()('cp_communications').where('id', survey.id).first('score')).score)).toBe(Number(survey.score));
		} finally {
			await ok('admin', 'PATCH', '/collections/cp_communications', { meta: { versioning: false } });
		}
	});
});

describe('X-5 resending what is stored is no change', () => {
	it('CC-4 an answered survey takes a follow-up sent with its unchanged answers (JSON) and channel, on every update path', async () => {
		const answers = { quality: 5, delivery: 4, service: 4, communication: 5, price: 3 };
		const own = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('PATHS'), name: 'Resend customer' })).id;
		const survey = await ok('sales', 'POST', '/items/cp_communications', { customer: own, type: 'survey', channel: 'phone', summary: 'Q survey', answers });
		for (const path of UPDATE_PATHS.filter((p) => !['rest-keys', 'rest-query', 'graphql-many'].includes(p))) {
			const r = await updateVia(path, 'sales', 'cp_communications', [survey.id], { answers, channel: 'phone', follow_up: `call back (${path})` });
			expect(r.ok, `${path}: ${r.code} ${r.message}`).toBe(true);
		}
		// A changed answer is still refused.
		const changed = await updateVia('rest-one', 'sales', 'cp_communications', [survey.id], { answers: { ...answers, price: 5 } });
		expect(changed.code).toBe('CP_RECORD_FROZEN');
	});
});
