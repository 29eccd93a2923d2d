// Foundation (issue 2): a real Directus with the built bundle, the additive schema install and
// the department roles. Requirement ids: X-2 (attributable changes), X-3 and CR-17 (retention).
import { describe, expect, it } from 'vitest';
import { readItems } from '@directus/sdk';
import { as, cp, database, http, ok, uid } from '../harness/client';
import { connect } from '../../scripts/lib/api.mjs';
import { installSchema, linkCompanyCustomers, seedRoles } from '../../scripts/install.mjs';
import { COMPANY_CUSTOMERS } from '../harness/harness.mjs';
import { eventually } from '../harness/eventually';

const CP_COLLECTIONS = 15;

describe('host and bundle', () => {
	it('serves health and reports the bundle with every cp_ collection present', async () => {
		// Directus 12 answers /server/health to admins only; 11 to everyone.
		const health = await http('admin', 'GET', '/server/health');
		expect(health.status).toBe(200);
		expect(['ok', 'warn']).toContain(health.body.status);
		const info = await ok('admin', 'GET', '/cp/info');
		expect(info.bundle).toBe('directus-extension-customer-processes');
		expect(info.collections).toHaveLength(CP_COLLECTIONS);
		expect(info.schema_complete).toBe(true);
	});

	it('lets every department user log in and see its departments', async () => {
		for (const [dept] of Object.entries(cp().users)) {
			const q = await http(dept, 'GET', '/cp/queue');
			expect(q.status, dept).toBe(200);
			expect(q.body.departments, dept).toEqual([dept]);
		}
	});

	it('refuses the work queue to anonymous callers', async () => {
		const r = await http(null, 'GET', '/cp/queue');
		expect(r.status).toBe(401);
	});
});

describe('additive schema install', () => {
	it('left the pre-existing company collection and its rows untouched', async () => {
		const rows = await ok('admin', 'GET', '/items/customers?sort=id');
		expect(rows.map((r: any) => ({ name: r.name, city: r.city }))).toEqual(COMPANY_CUSTOMERS);
		const fields = await ok('admin', 'GET', '/fields/customers');
		expect(fields.map((f: any) => f.field).sort()).toEqual(['city', 'id', 'name']);
	});

	it('CR-12 seeds the contract ledger as a shared bookmark over the contracts', async () => {
		const presets = await ok('admin', 'GET', '/presets?filter[collection][_eq]=cp_contracts&filter[user][_null]=true&limit=-1');
		const ledger = presets.find((p: any) => p.bookmark === '合同台账 Contract ledger');
		expect(ledger).toBeTruthy();
		expect(ledger.layout_query.tabular.fields).toEqual(expect.arrayContaining(['code', 'customer', 'status', 'signed_at']));
	});

	it('changes nothing when run a second time (schema and roles)', async () => {
		const api = await connect({ url: cp().url, ...cp().admin });
		const logs: string[] = [];
		const counts = await installSchema(api, { log: (m: string) => logs.push(m) });
		expect(counts).toEqual({ collections: 0, fields: 0, relations: 0 });
		const roles = await seedRoles(api, { appAccess: cp().appAccess, log: () => {} });
		expect(roles).toEqual({ created: 0, perms: 0 });
		const [{ count }] = await ok('admin', 'GET', '/items/customers?aggregate[count]=*');
		expect(Number(count)).toBe(COMPANY_CUSTOMERS.length);
	});
});

describe("linking to the company's own customers collection (install setting)", () => {
	it('links cp_customers to the company collection, copies the name, refuses unknown rows, leaves the company rows alone', async () => {
		const api = await connect({ url: cp().url, ...cp().admin });
		const before = await ok('admin', 'GET', '/items/customers?sort=id');
		try {
			expect(await linkCompanyCustomers(api, 'customers', { log: () => {} })).toBe(true);
			expect(await linkCompanyCustomers(api, 'customers', { log: () => {} })).toBe(true); // twice: no new field
			expect((await ok('admin', 'GET', '/fields/cp_customers')).filter((f: any) => f.field === 'company_customer')).toHaveLength(1);
			const acme = before[0];
			// Issue 13: the company row is read with the user's own permissions: Sales may not read it yet.
			const refused = await http('sales', 'POST', '/items/cp_customers', { company_customer: acme.id });
			expect(refused.status).toBe(403);
			expect(refused.code).toBe('CP_READ_FORBIDDEN');
			// Sales reads zh-CN.
			expect(refused.message).toMatch(/无权读取公司顾客档案.*请管理员授予读取权限/);
			expect((await http('sales', 'GET', `/items/customers/${acme.id}`)).status).toBe(403);
			// The installer's option grants it to the departments' staff policy.
			await linkCompanyCustomers(api, 'customers', { log: () => {}, grantRead: true });
			const linked = await ok('sales', 'POST', '/items/cp_customers', { company_customer: acme.id });
			expect(linked.name).toBe(acme.name);
			expect(linked.code).toBe(`customers-${acme.id}`);
			const bad = await http('sales', 'POST', '/items/cp_customers', { company_customer: 999999 });
			expect(bad.status).toBe(400);
			expect(bad.code).toBe('CP_INVALID_VALUE');
			expect(await ok('admin', 'GET', '/items/customers?sort=id')).toEqual(before);

			// Issue 13: a renamed company customer is renamed here too; a linked one is not deleted.
			await ok('admin', 'PATCH', `/items/customers/${acme.id}`, { name: 'ACME Renamed 更名' });
			const renamed = async () => (await ok('admin', 'GET', `/items/cp_customers/${linked.id}`)).name;
			await eventually(async () => (await renamed()) === 'ACME Renamed 更名');
			expect(await renamed()).toBe('ACME Renamed 更名');
			const del = await http('admin', 'DELETE', `/items/customers/${acme.id}`);
			expect(del.status).toBe(409);
			expect(del.code).toBe('CP_IN_USE');
			expect(await database()('customers').where('id', acme.id).first()).toBeTruthy();
			await ok('admin', 'PATCH', `/items/customers/${acme.id}`, { name: before[0].name });
			await ok('admin', 'PATCH', `/items/cp_customers/${linked.id}`, { company_customer: null });
		} finally {
			await ok('admin', 'PATCH', '/items/cp_settings', { customers_collection: 'cp_customers' });
			const perms = await ok('admin', 'GET', '/permissions?filter[collection][_eq]=customers&limit=-1');
			for (const p of perms) await ok('admin', 'DELETE', `/permissions/${p.id}`);
		}
	});
});

describe('audit trail and retention (X-2, X-3, CR-17)', () => {
	it('records who created and changed a record, as which department', async () => {
		const customer = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Audit test customer' });
		await ok('sales', 'PATCH', `/items/cp_customers/${customer.id}`, { phone: '123' });
		const trail = await database()('cp_audit')
			.where({ collection: 'cp_customers', item: String(customer.id) })
			.orderBy('id');
		expect(trail.map((t: any) => t.action)).toEqual(['create', 'update']);
		expect(trail.every((t: any) => t.user === cp().users.sales.id && t.department === 'sales')).toBe(true);
	});

	it('refuses changing or deleting audit entries, for admins too', async () => {
		const [entry] = await database()('cp_audit').orderBy('id', 'desc').limit(1);
		const upd = await http('admin', 'PATCH', `/items/cp_audit/${entry.id}`, { action: 'forged' });
		expect(upd.status).toBe(403);
		expect(upd.code).toBe('CP_RETAINED');
		const del = await http('admin', 'DELETE', `/items/cp_audit/${entry.id}`);
		expect(del.status).toBe(403);
		expect(del.code).toBe('CP_RETAINED');
		const after = await database()('cp_audit').where('id', entry.id).first();
		expect(after.action).toBe(entry.action);
	});

	it('lets an unused draft be deleted but keeps records within retention', async () => {
		const customer = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Retention customer' });
		const draft = await ok('sales', 'POST', '/items/cp_contracts', { code: uid('HT'), title: 'Mistake', customer: customer.id });
		expect((await http('admin', 'DELETE', `/items/cp_contracts/${draft.id}`)).status).toBe(204);

		const kept = await ok('sales', 'POST', '/items/cp_complaints', {
			code: uid('KF'),
			customer: customer.id,
			summary: 'Kept',
			received_at: new Date().toISOString(),
		});
		const del = await http('admin', 'DELETE', `/items/cp_complaints/${kept.id}`);
		expect(del.status).toBe(403);
		expect(del.code).toBe('CP_RETAINED');
		expect(del.message).toMatch(/retained for 3 years/);
		expect(await database()('cp_complaints').where('id', kept.id).first()).toBeTruthy();
		// The customer is now referenced, so it is kept too.
		expect((await http('admin', 'DELETE', `/items/cp_customers/${customer.id}`)).code).toBe('CP_RETAINED');
	});

	it('reads items through @directus/sdk as a department user', async () => {
		const sales = await as('sales');
		const rows = await sales.request(readItems('cp_customers', { limit: 1 }));
		expect(Array.isArray(rows)).toBe(true);
	});
});
