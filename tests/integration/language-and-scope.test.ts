// Errors in the user's language, the app's titles of the error codes, staff setting their own
// language, and the work queue scoped to the user's departments and the user (issue #12).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, database, http, ok, uid } from '../harness/client';
import { LINE } from '../harness/fixtures';
import { ERROR_STATUS } from '../../extensions/customer-processes/src/domain/errors';

const HAN = /[\u4e00-\u9fff]/;
const REQUIREMENT_ID = /\b(?:CR|PR|CP|CC|X)-\d/;

const setLanguage = (who: string, language: string | null) => http(who, 'PATCH', '/users/me', { language });

// The seeded languages (seeds/users.mjs: Sales zh-CN, the others en-US), restored for the other suites.
const seeded: Record<string, string | null> = {};
beforeAll(async () => {
	for (const who of ['sales', 'technical']) seeded[who] = (await database()('directus_users').where('id', cp().users[who].id).first('language')).language;
});
afterAll(async () => {
	for (const who of ['sales', 'technical']) await setLanguage(who, seeded[who] ?? null);
});

describe('staff set their own language', () => {
	it('a department user changes their own language, not another user’s, and no other field of their own', async () => {
		const mine = await setLanguage('technical', 'zh-CN');
		expect(mine.status, mine.message).toBe(200);
		expect((await ok('technical', 'GET', '/users/me?fields=language')).language).toBe('zh-CN');
		const other = await http('technical', 'PATCH', `/users/${cp().users.quality.id}`, { language: 'zh-CN' });
		expect(other.status).toBe(403);
		expect((await database()('directus_users').where('id', cp().users.quality.id).first('language')).language).not.toBe('zh-CN');
		const name = await http('technical', 'PATCH', '/users/me', { first_name: 'Renamed' });
		expect(name.status).toBe(403);
		// Directus 12 Core grants the whole record (no field lists): the rule still keeps the role.
		const qualityRole = (await database()('directus_users').where('id', cp().users.quality.id).first('role')).role;
		const role = await http('technical', 'PATCH', '/users/me', { language: 'en-US', role: qualityRole });
		expect(role.status).toBe(403);
		expect((await database()('directus_users').where('id', cp().users.technical.id).first('language')).language).toBe('zh-CN');
	});
});

describe('errors in the user’s language', () => {
	async function inReview() {
		const customer = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Customer ${uid('n')}`, is_new: false });
		const c = await ok('sales', 'POST', '/items/cp_contracts', {
			code: uid('HT'),
			title: '出口纸箱年度合同',
			kind: 'contract',
			channel: 'written',
			class: 'regular',
			customer: customer.id,
		});
		await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, line_no: 1, contract: c.id });
		await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' });
		return c;
	}

	it('signing before the review lines are signed: a zh-CN user reads Chinese, an English user English; departments by name, no requirement ids', async () => {
		const c = await inReview();
		// Doc 1 4.2.2: a regular contract is reviewed by Production (生产部), Purchasing (采购部) and Sales (市场部).
		expect((await setLanguage('sales', 'zh-CN')).status).toBe(200);
		const zh = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'signed' });
		expect([zh.status, zh.code]).toEqual([409, 'CP_REVIEW_INCOMPLETE']);
		expect(zh.message).toMatch(/生产部/);
		expect(zh.message).toMatch(/采购部/);
		expect(zh.message).toMatch(/签/);
		expect(zh.message).not.toMatch(/Production|Purchasing|review lines|cannot/);
		expect(zh.message).not.toMatch(REQUIREMENT_ID);

		expect((await setLanguage('sales', 'en-US')).status).toBe(200);
		const en = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'signed' });
		expect(en.code).toBe('CP_REVIEW_INCOMPLETE');
		expect(en.message).toMatch(/Production/);
		expect(en.message).toMatch(/Purchasing/);
		expect(en.message).not.toMatch(HAN);
		expect(en.message).not.toMatch(REQUIREMENT_ID);
		expect(en.message).not.toMatch(/\bproduction\b|\bpurchasing\b/);
		// The failures listed in the details are said the same way.
		for (const f of en.body.errors[0].extensions.failures ?? []) expect(f.message).not.toMatch(REQUIREMENT_ID);
	});

	it('a policy refusal names the field by its label in the user’s language, never its key', async () => {
		const c = await inReview();
		// The review route is the process's own (set on submission): a hand edit is refused.
		expect((await setLanguage('sales', 'zh-CN')).status).toBe(200);
		const zh = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { review_route: 'special' });
		expect(zh.status).toBeGreaterThanOrEqual(400);
		expect(zh.message).toMatch(HAN);
		expect(zh.message).not.toMatch(/review_route|CR-\d/);
		await setLanguage('sales', 'en-US');
		const en = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { review_route: 'special' });
		expect(en.message).not.toMatch(HAN);
		expect(en.message).not.toMatch(/review_route|CR-\d/);
	});

	it('every CP_* code has a title the app shows (errors.<code> translation strings), in zh-CN and English', async () => {
		const rows = await ok('admin', 'GET', '/translations?filter[key][_starts_with]=errors.CP_&limit=-1&fields=key,language,value');
		const by = (language: string) => Object.fromEntries(rows.filter((r: any) => r.language === language).map((r: any) => [r.key, r.value]));
		const zh = by('zh-CN');
		const en = by('en-US');
		for (const code of Object.keys(ERROR_STATUS)) {
			expect(zh[`errors.${code}`], code).toMatch(HAN);
			expect(en[`errors.${code}`], code).toMatch(/^[A-Z][a-z]/);
			expect(en[`errors.${code}`], code).not.toContain('CP_');
		}
		expect(zh['errors.CP_REVIEW_INCOMPLETE']).toBe('评审未完成');
		expect(en['errors.CP_REVIEW_INCOMPLETE']).toBe('Review incomplete');
		// Once each, however many instances started.
		expect(rows.filter((r: any) => r.key === 'errors.CP_REVIEW_INCOMPLETE')).toHaveLength(2);
	});
});

describe('the work queue is scoped to the user', () => {
	it('Technical sees no complaint responses, no surveys, only the property it keeps; Sales sees its complaints and surveys', async () => {
		const tech = await ok('technical', 'GET', '/cp/queue');
		const keys = tech.map((e: any) => e.key);
		expect(keys).not.toContain('complaint_responses');
		expect(keys).not.toContain('surveys');
		expect(keys).not.toContain('discrepancies_to_resolve');
		expect(keys).not.toContain('mail_triage');
		expect(keys).toContain('review_lines');
		expect(keys).toContain('my_actions');

		// A drawing is Technical's to check, a mould Production's (Doc 5 1).
		const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Queue scope customer' })).id;
		const item = (code: string, name: string, kind: string) =>
			ok('warehouse', 'POST', '/items/cp_property', {
				code: uid(code),
				name,
				kind,
				customer,
				serial_no: uid('SN'),
				quantity: 1,
				unit: '件',
				scope: '顾客提供,我方保管 Kept by us',
			});
		const drawing = await item('DRW', '纸箱结构图 Box drawing', 'drawing');
		const mould = await item('MLD', '模切版 Die board', 'tooling');
		await database()('cp_property')
			.whereIn('id', [drawing.id, mould.id])
			.update({ status: 'in_store', next_check_due: new Date(Date.now() - 10 * 86400e3).toISOString().slice(0, 10) });
		const techChecks = (await ok('technical', 'GET', '/cp/queue')).find((e: any) => e.key === 'property_checks');
		const prodChecks = (await ok('production', 'GET', '/cp/queue')).find((e: any) => e.key === 'property_checks');
		const kindsOf = async (ids: string[]) => (await database()('cp_property').whereIn('id', ids).select('kind')).map((r: any) => r.kind);
		expect(await kindsOf(techChecks.items.map((i: any) => i.id))).not.toContain('tooling');
		expect(await kindsOf(prodChecks.items.map((i: any) => i.id))).not.toContain('drawing');
		expect(techChecks.link).toContain('kind');

		const sales = (await ok('sales', 'GET', '/cp/queue')).map((e: any) => e.key);
		expect(sales).toEqual(expect.arrayContaining(['complaint_responses', 'surveys', 'discrepancies_to_resolve', 'mail_triage', 'my_actions']));
	});

	it('the filter: only mine, or only my department', async () => {
		const mine = (await ok('sales', 'GET', '/cp/queue?scope=mine')).map((e: any) => e.key);
		expect(mine).toEqual(['my_actions']);
		const dept = (await ok('sales', 'GET', '/cp/queue?scope=department')).map((e: any) => e.key);
		expect(dept).not.toContain('my_actions');
		expect(dept).toContain('complaint_responses');
		const production = await ok('production', 'GET', '/cp/queue?scope=department');
		expect(production.map((e: any) => e.key)).toContain('department_actions');
	});
});
