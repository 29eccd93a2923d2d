// The permission matrix over HTTP (X-2, CR-17): generated from ONE table, seeds/departments.mjs
// PERMISSIONS (staff policy + the department's letters) via seeds/permission-table.mjs. For every
// department, cp_ collection and action, the department's user is refused by Directus (403
// FORBIDDEN) exactly where the table has no letter. Where it has one, the request passes the
// permission check: it may still be refused by a business rule, with a CP_* code.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database, eventually, http, ok, uid } from '../harness/client';
import { reviewAll } from '../harness/fixtures';
import { DEPARTMENTS } from '../../seeds/departments.mjs';
import { CP_COLLECTIONS, effectiveLetters, permissionCells, permissionTableMarkdown } from '../../seeds/permission-table.mjs';

const SCALE = Boolean(process.env.CP_SCALE);
const SINGLETON = 'cp_settings';
/** One existing record per collection, for update and delete. */
const fixture: Record<string, string> = {};

/** Refused by Directus permissions (a singleton has no create route at all). */
const isDenied = (r: { status: number; code?: string }, singletonCreate = false) =>
	(r.status === 403 && r.code === 'FORBIDDEN') || (singletonCreate && r.status === 404 && r.code === 'ROUTE_NOT_FOUND');

async function freshContractLine() {
	const cust = fixture.cp_customers!;
	const k = await ok('admin', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: 'Permission matrix',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		customer: cust,
	});
	return (await ok('admin', 'POST', '/items/cp_contract_lines', { contract: k.id, product: 'Box', quantity: 1, line_no: 1 })).id as string;
}

describe.skipIf(!SCALE)('permission matrix (seeds/departments.mjs PERMISSIONS)', () => {
	beforeAll(async () => {
		const db = database();
		const now = new Date();
		const cust = await ok('admin', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Matrix customer', is_new: false });
		fixture.cp_customers = cust.id;
		const k = await ok('admin', 'POST', '/items/cp_contracts', {
			code: uid('HT'),
			title: 'Matrix contract',
			kind: 'contract',
			channel: 'written',
			class: 'regular',
			customer: cust.id,
		});
		fixture.cp_contracts = k.id;
		fixture.cp_contract_lines = (await ok('admin', 'POST', '/items/cp_contract_lines', { contract: k.id, product: 'Box', quantity: 5, line_no: 1 })).id;
		await ok('sales', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'in_review' });
		fixture.cp_review_lines = (await db('cp_review_lines').where('contract', k.id).first('id')).id;
		fixture.cp_discrepancies = (await ok('production', 'POST', '/items/cp_discrepancies', { contract: k.id, clause: '交货期', problem: '不明确' })).id;
		// Task notices and changes come from signing and change records; rows under the API suffice here.
		fixture.cp_task_notices = randomUUID();
		await db('cp_task_notices').insert({ id: fixture.cp_task_notices, contract: k.id, department: 'gm', issued_at: now, content: 'matrix', date_created: now });
		fixture.cp_changes = randomUUID();
		await db('cp_changes').insert({ id: fixture.cp_changes, contract: k.id, kind: 'price', description: 'matrix', status: 'approved', date_created: now });
		fixture.cp_samples = (await ok('admin', 'POST', '/items/cp_samples', { code: uid('YP'), kind: 'sample', customer: cust.id })).id;
		fixture.cp_complaints = (
			await ok('sales', 'POST', '/items/cp_complaints', {
				customer: cust.id,
				channel: 'phone',
				summary: uid('矩阵'),
				received_at: new Date(Date.now() - 3600e3).toISOString(),
			})
		).id;
		fixture.cp_actions = (
			await ok('quality', 'POST', '/items/cp_actions', {
				title: 'Matrix action',
				owner: (await db('directus_users').where('email', 'like', 'production@%').first('id')).id,
				due_at: new Date(Date.now() + 86400e3).toISOString(),
			})
		).id;
		fixture.cp_communications = (
			await ok('sales', 'POST', '/items/cp_communications', { customer: cust.id, type: 'inquiry', channel: 'phone', summary: 'Matrix call' })
		).id;
		const p = await ok('warehouse', 'POST', '/items/cp_property', {
			code: uid('CP-M'),
			name: 'Matrix die',
			kind: 'tooling',
			customer: cust.id,
			serial_no: uid('SN'),
			quantity: 1,
			unit: '套',
			scope: 'kept by us',
		});
		fixture.cp_property = p.id;
		fixture.cp_property_events = (await ok('warehouse', 'POST', `/cp/property/${p.id}/events`, { type: 'receipt', quantity: 1, to_location: 'A-01' })).event.id;
		fixture.cp_settings = (await db('cp_settings').first('id')).id;
		fixture.cp_audit = String((await db('cp_audit').orderBy('id', 'desc').first('id')).id);
	});

	it('the table covers every department, collection and action, and renders as Markdown', () => {
		const cells = permissionCells();
		expect(cells).toHaveLength(DEPARTMENTS.length * CP_COLLECTIONS.length * 4);
		const md = permissionTableMarkdown();
		expect(md.split('\n')[0]).toContain('Sales<br>市场部');
		expect(md).toContain(`| \`cp_contract_lines\` | ${effectiveLetters('sales', 'cp_contract_lines')} |`);
		expect(effectiveLetters('sales', 'cp_contract_lines')).toBe('crud');
		expect(effectiveLetters('purchasing', 'cp_contracts')).toBe('r');
	});

	it('a department without update permission cannot move a contract: refused with 403 FORBIDDEN, nothing written (the hook checks before it acts)', async () => {
		const db = database();
		const k = await ok('sales', 'POST', '/items/cp_contracts', {
			code: uid('HT'),
			title: 'Signed',
			kind: 'contract',
			channel: 'written',
			class: 'regular',
			customer: fixture.cp_customers,
		});
		await ok('sales', 'POST', '/items/cp_contract_lines', { contract: k.id, product: 'Box', quantity: 5, line_no: 1 });
		await ok('sales', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'in_review' });
		// CR-3/CR-6/CR-11: lines approved with their checklists, the sales manager's conclusion, the sales VP's signature.
		await reviewAll(k.id, 'OK');
		await ok('deputy_gm', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'signed' });
		const trail = async () => (await db('cp_audit').where({ collection: 'cp_contracts', item: k.id }).count({ n: '*' }).first())!.n;
		// The sales VP's own update is audited twice: the transition ('signed') inside the write, the plain
		// update by an action hook after the response. Wait for the second.
		const signed = (await db('cp_audit').where({ collection: 'cp_contracts', item: k.id, action: 'signed' }).first('id')).id;
		const landed = await eventually(async () =>
			Boolean(await db('cp_audit').where({ collection: 'cp_contracts', item: k.id, action: 'update' }).where('id', '>', signed).first('id')),
		);
		expect(landed).toBe(true);
		const before = await trail();
		for (const d of DEPARTMENTS.filter((x) => !effectiveLetters(x.key, 'cp_contracts').includes('u'))) {
			const r = await http(d.key, 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'in_production' });
			expect([r.status, r.code], d.key).toEqual([403, 'FORBIDDEN']);
			expect((await db('cp_contracts').where('id', k.id).first('status')).status, d.key).toBe('signed');
		}
		expect(await trail()).toEqual(before);
		// Sales, who may update contracts, starts production.
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'in_production' })).status).toBe(200);
	});

	for (const d of DEPARTMENTS) {
		describe(`${d.key} (${d.zh})`, () => {
			for (const collection of CP_COLLECTIONS) {
				const letters = effectiveLetters(d.key, collection);
				it(`${collection}: ${letters || 'none'} — create/read/update/delete allowed exactly per the table`, async () => {
					const path = collection === SINGLETON ? `/items/${collection}` : `/items/${collection}/${fixture[collection]}`;
					const outcome: Record<string, string> = {};
					const expected: Record<string, string> = {};
					const seen: string[] = [];
					const record = (action: string, r: { status: number; code?: string; message?: string }) => {
						seen.push(`${action}: ${r.status} ${r.code} ${r.message}`);
						expect(r.status, `${d.key} ${action} ${collection}: ${r.code} ${r.message}`).toBeLessThan(500);
						outcome[action] = isDenied(r, collection === SINGLETON && action === 'create') ? 'deny' : 'allow';
					};
					for (const [l, action] of [
						['c', 'create'],
						['r', 'read'],
						['u', 'update'],
						['d', 'delete'],
					] as const)
						expected[action] = letters.includes(l) ? 'allow' : 'deny';

					record('create', await http(d.key, 'POST', `/items/${collection}`, {}));
					record('read', await http(d.key, 'GET', collection === SINGLETON ? path : `${path}?fields=id`));
					record('update', await http(d.key, 'PATCH', path, {}));
					// An allowed delete really deletes: give it a record of its own.
					const target = letters.includes('d') && collection === 'cp_contract_lines' ? `/items/${collection}/${await freshContractLine()}` : path;
					// A singleton is deleted by key in the body (without one Directus itself answers 500).
					record('delete', collection === SINGLETON ? await http(d.key, 'DELETE', target, [fixture.cp_settings]) : await http(d.key, 'DELETE', target));
					expect(outcome, seen.join('\n')).toEqual(expected);
				});
			}
		});
	}
});

afterAll(async () => {
	if (SCALE) await database().destroy();
});
