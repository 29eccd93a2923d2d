// Settings are the administrator's (X-6, CR-17) and the audit trail cannot be forged,
// over HTTP as each department and as the admin, on every write path Directus offers.
import { describe, expect, it } from 'vitest';
import { cp, database, http, ok, uid } from '../harness/client';
import { updateVia } from '../harness/paths';
import { importFile } from '../harness/files';
import { LINE, reviewAll, signContract } from '../harness/fixtures';
import { DEPARTMENTS, STAFF_POLICY } from '../../seeds/departments.mjs';

const dept = (key: string) => DEPARTMENTS.find((d: any) => d.key === key)!;

const settingsRow = () => database()('cp_settings').first();
// Rows of one collection (or up to an id): Directus runs the generic audit of earlier writes as
// action hooks after answering, so the whole table may still grow while a test runs.
const auditCount = async (where: { collection?: string; upTo?: number } = {}) => {
	const q = database()('cp_audit');
	if (where.collection) q.where('collection', where.collection);
	if (where.upTo !== undefined) q.where('id', '<=', where.upTo);
	return Number((await q.count({ n: '*' }).first())?.n ?? 0);
};
const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

const graphql = (who: string, query: string) => http(who, 'POST', '/graphql', { query });

/** A company's mistake: update on cp_settings granted to a department's policy. */
async function withSettingsUpdateGranted<T>(key: string, fn: () => Promise<T>): Promise<T> {
	const granted = await ok('admin', 'POST', '/permissions', { policy: dept(key).policy, collection: 'cp_settings', action: 'update', fields: ['*'] });
	try {
		return await fn();
	} finally {
		await ok('admin', 'DELETE', `/permissions/${granted.id}`);
	}
}

async function regularContractInReview() {
	const customer = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Records test customer' });
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: 'Records test',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		customer: customer.id,
	});
	await ok('sales', 'POST', '/items/cp_contract_lines', { contract: c.id, line_no: 1, ...LINE });
	return c;
}

describe("X-6 settings are the administrator's", () => {
	it('X-6: the General Manager and Sales cannot change cp_settings, even when a policy grants update by mistake; nothing changes', async () => {
		const before = await settingsRow();
		const auditBefore = await auditCount({ collection: 'cp_settings' });
		for (const who of ['gm', 'sales']) {
			const plain = await http(who, 'PATCH', '/items/cp_settings', { retention_years: 10 });
			expect(plain.status, `${who}: ${plain.message}`).toBe(403);
			await withSettingsUpdateGranted(who, async () => {
				const rest = await http(who, 'PATCH', '/items/cp_settings', { retention_years: 10, company_name: 'Taken over' });
				expect(rest.status, `${who}: ${rest.message}`).toBe(403);
				expect(rest.code).toBe('CP_ADMIN_ONLY');
				const gql = await graphql(who, 'mutation { update_cp_settings(data: { retention_years: 10 }) { retention_years } }');
				expect(gql.code).toBe('CP_ADMIN_ONLY');
			});
		}
		expect(await settingsRow()).toEqual(before);
		expect(await auditCount({ collection: 'cp_settings' })).toBe(auditBefore);
	});

	it('X-6, CR-4: the General Manager cannot remap a department to their own role and then sign that department’s review line', async () => {
		const c = await regularContractInReview();
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' })).status).toBe(200);
		const [line] = await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${c.id}&filter[department][_eq]=production`);
		const before = parse((await settingsRow()).departments);
		expect(before.production).toBe(dept('production').role);

		await withSettingsUpdateGranted('gm', async () => {
			const remap = await http('gm', 'PATCH', '/items/cp_settings', { departments: { ...before, production: dept('gm').role } });
			expect(remap.status).toBe(403);
			expect(remap.code).toBe('CP_ADMIN_ONLY');
			expect(parse((await settingsRow()).departments)).toEqual(before);
			const sign = await http('gm', 'PATCH', `/items/cp_review_lines/${line.id}`, { decision: 'approved', opinion: 'Production can make it' });
			expect(sign.status).toBe(403);
			expect(sign.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		});
		const after = await ok('admin', 'GET', `/items/cp_review_lines/${line.id}`);
		expect(after.decision).toBe('pending');
		expect(after.signed_by ?? null).toBeNull();
	});

	it('X-6: a department mapped to a role that does not exist is refused, naming the field', async () => {
		const before = await settingsRow();
		const current = parse(before.departments);
		const r = await http('admin', 'PATCH', '/items/cp_settings', { departments: { ...current, quality: 'c0ffee00-0000-4000-8000-999999999999' } });
		expect(r.status).toBe(400);
		expect(r.code).toBe('CP_INVALID_VALUE');
		expect(r.message).toContain('Departments');
		expect(await settingsRow()).toEqual(before);
	});
});

describe('CR-17 retention: at least the legal three years', () => {
	it('CR-17: the admin cannot set retention_years to 0, -1 or 2.5 (refused naming the field); 3 is accepted', async () => {
		const before = await settingsRow();
		for (const years of [0, -1, 2.5]) {
			const r = await http('admin', 'PATCH', '/items/cp_settings', { retention_years: years });
			expect(r.status, `${years}: ${r.message}`).toBe(400);
			expect(r.code).toBe('CP_INVALID_VALUE');
			expect(r.message).toContain('Retention (years)');
			expect(r.body.errors[0].extensions.field).toBe('retention_years');
		}
		expect(await settingsRow()).toEqual(before);
		expect((await ok('admin', 'PATCH', '/items/cp_settings', { retention_years: 3 })).retention_years).toBe(3);
	});

	it('CR-17: with a refused retention of 0 a complaint inside its three years still cannot be deleted', async () => {
		const { retention_years: saved } = await settingsRow();
		try {
			await http('admin', 'PATCH', '/items/cp_settings', { retention_years: 0 });
			const customer = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Retention floor' });
			const kept = await ok('sales', 'POST', '/items/cp_complaints', {
				code: uid('KF'),
				customer: customer.id,
				summary: 'Kept',
				received_at: new Date().toISOString(),
			});
			const del = await http('admin', 'DELETE', `/items/cp_complaints/${kept.id}`);
			expect(del.status).toBe(403);
			expect(del.code).toBe('CP_RETAINED');
		} finally {
			await database()('cp_settings').update({ retention_years: saved });
		}
	});

	it('CC-4, PR-5: the survey cadence is at most 3 months and the property check interval at most 6', async () => {
		const survey = await http('admin', 'PATCH', '/items/cp_settings', { survey_cadence_months: 4 });
		expect(survey.status).toBe(400);
		expect(survey.message).toContain('Survey cadence (months)');
		const check = await http('admin', 'PATCH', '/items/cp_settings', { check_interval_months: 0 });
		expect(check.status).toBe(400);
		expect(check.message).toContain('Property check interval (months)');
	});
});

describe('X-2 every settings change is audited with previous and new values', () => {
	it('X-2: a valid admin change leaves one audit row naming each changed field, from and to', async () => {
		const before = await settingsRow();
		const lastId = Number((await database()('cp_audit').max({ m: 'id' }).first())?.m ?? 0);
		const name = `Records ${uid('co')}`;
		try {
			await ok('admin', 'PATCH', '/items/cp_settings', { retention_years: 5, company_name: name, refuse_oral_orders: Boolean(before.refuse_oral_orders) });
			const rows = await database()('cp_audit').where('id', '>', lastId).andWhere({ collection: 'cp_settings' });
			expect(rows).toHaveLength(1);
			expect(rows[0].action).toBe('settings_changed');
			expect(rows[0].user).toBe((await ok('admin', 'GET', '/users/me?fields=id')).id);
			expect(Boolean(rows[0].as_admin)).toBe(true);
			expect(parse(rows[0].data).changes).toEqual({
				retention_years: { from: before.retention_years ?? null, to: 5 },
				company_name: { from: before.company_name ?? null, to: name },
			});
			expect((await settingsRow()).retention_years).toBe(5);
		} finally {
			await ok('admin', 'PATCH', '/items/cp_settings', { retention_years: before.retention_years, company_name: before.company_name });
		}
	});
});

describe('X-3, X-5 the audit trail is written by the engine only', () => {
	it('X-5, X-3: no API path creates, changes or deletes cp_audit rows, for the admin either (REST single and batch, GraphQL, import)', async () => {
		const complaint = uid('KF');
		const forged = { collection: 'cp_complaints', item: complaint, action: 'transition', from_status: 'verified', to_status: 'closed', department: 'quality' };
		const [entry] = await database()('cp_audit').orderBy('id', 'desc').limit(1);
		const countBefore = await auditCount({ upTo: entry.id });
		// One after the other, so a loaded machine's pressure limiter does not answer for the hook.
		const attempts: [string, () => Promise<{ status: number; code?: string | undefined; message?: string | undefined }>][] = [];
		const tryIt = (name: string, p: () => Promise<any>) => attempts.push([name, p]);
		tryIt('POST single', () => http('admin', 'POST', '/items/cp_audit', forged));
		tryIt('POST batch', () => http('admin', 'POST', '/items/cp_audit', [forged, forged]));
		tryIt('PATCH single', () => http('admin', 'PATCH', `/items/cp_audit/${entry.id}`, { action: 'forged' }));
		tryIt('PATCH keys', () => http('admin', 'PATCH', '/items/cp_audit', { keys: [entry.id], data: { action: 'forged' } }));
		tryIt('PATCH query', () => http('admin', 'PATCH', '/items/cp_audit', { query: { filter: { id: { _eq: entry.id } } }, data: { action: 'forged' } }));
		tryIt('PATCH array', () => http('admin', 'PATCH', '/items/cp_audit', [{ id: entry.id, action: 'forged' }]));
		tryIt('DELETE single', () => http('admin', 'DELETE', `/items/cp_audit/${entry.id}`));
		tryIt('DELETE batch', () => http('admin', 'DELETE', '/items/cp_audit', [entry.id]));
		tryIt('GraphQL create', () =>
			graphql(
				'admin',
				`mutation { create_cp_audit_item(data: { collection: "cp_complaints", item: "${complaint}", action: "transition", to_status: "closed", department: "quality" }) { id } }`,
			),
		);
		tryIt('GraphQL update', () => graphql('admin', `mutation { update_cp_audit_item(id: ${entry.id}, data: { action: "forged" }) { id } }`));
		tryIt('GraphQL delete', () => graphql('admin', `mutation { delete_cp_audit_item(id: ${entry.id}) { id } }`));
		tryIt('import JSON', () => importFile('admin', 'cp_audit', JSON.stringify([forged]), 'application/json'));
		tryIt('import CSV', () =>
			importFile('admin', 'cp_audit', `collection,item,action,to_status,department\ncp_complaints,${complaint},transition,closed,quality\n`, 'text/csv'),
		);
		tryIt('POST as quality', () => http('quality', 'POST', '/items/cp_audit', forged));
		for (const [name, p] of attempts) {
			const r = await p();
			// GraphQL answers 200 with the error in the body; every other path a 4xx.
			if (name.startsWith('GraphQL')) expect(r.code, `${name}: ${r.message}`).toMatch(/CP_SYSTEM_ONLY|CP_RETAINED/);
			else expect(r.status, `${name}: ${r.code} ${r.message}`).toBe(403);
		}
		// Nothing deleted, nothing added (every forged row names the complaint), nothing changed.
		expect(await auditCount({ upTo: entry.id })).toBe(countBefore);
		expect(await database()('cp_audit').where({ item: complaint })).toEqual([]);
		expect((await database()('cp_audit').where('id', entry.id).first()).action).toBe(entry.action);
	});

	it('X-3: the schema of cp_audit cannot be damaged through the API (field delete, type change, collection delete)', async () => {
		const del = await http('admin', 'DELETE', '/fields/cp_audit/department');
		expect(del.status).toBe(403);
		expect(del.code).toBe('CP_RETAINED');
		expect(del.message).toMatch(/department/);
		const retype = await http('admin', 'PATCH', '/fields/cp_audit/department', { type: 'integer' });
		expect(retype.status).toBe(403);
		expect(retype.code).toBe('CP_RETAINED');
		// On every database, MariaDB included (where a DROP TABLE commits at once): refused at the route.
		const drop = await http('admin', 'DELETE', '/collections/cp_audit');
		expect(drop.status).toBe(403);
		expect(drop.code).toBe('CP_RETAINED');
		const gql = await http('admin', 'POST', '/graphql/system', { query: 'mutation { delete_collections_item(collection: "cp_audit") { collection } }' });
		expect(gql.body.errors?.[0]?.extensions?.code, JSON.stringify(gql.body)).toBe('CP_RETAINED');
		expect(await database().schema.hasTable('cp_audit')).toBe(true);
		const field = await ok('admin', 'GET', '/fields/cp_audit/department');
		expect(field.type).toBe('string');
		expect(await database().schema.hasColumn('cp_audit', 'department')).toBe(true);
		// The same type sent again with the field's own note (what the admin app sends on a meta edit) passes.
		expect((await http('admin', 'PATCH', '/fields/cp_audit/department', { type: 'string', meta: { note: field.meta?.note ?? null } })).status).toBe(200);
		// And the trail still records a transition.
		const c = await regularContractInReview();
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' })).status).toBe(200);
		const recorded = await database()('cp_audit').where({ collection: 'cp_contracts', item: String(c.id), to_status: 'in_review', department: 'sales' });
		expect(recorded.length).toBeGreaterThan(0);
	});

	it('X-2: with the audit table damaged behind Directus (a column missing), a transition answers 503 CP_AUDIT_UNAVAILABLE and nothing changes', async () => {
		const c = await regularContractInReview();
		const trail = () =>
			database()('cp_audit')
				.where({ collection: 'cp_contracts', item: String(c.id) })
				.whereNot('action', 'create');
		// Renamed rather than dropped, so the finally restores it exactly (the database is shared).
		await database().schema.alterTable('cp_audit', (t) => t.renameColumn('department', 'department_moved'));
		try {
			const r = await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' });
			expect(r.status).toBe(503);
			expect(r.code).toBe('CP_AUDIT_UNAVAILABLE');
			expect(r.message).toMatch(/audit trail.*unavailable.*nothing was changed/i);
		} finally {
			await database().schema.alterTable('cp_audit', (t) => t.renameColumn('department_moved', 'department'));
		}
		expect((await ok('admin', 'GET', `/items/cp_contracts/${c.id}`)).status).toBe('draft');
		expect(await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${c.id}`)).toEqual([]);
		expect(await trail()).toEqual([]);
		// Repaired, the same step goes through and is recorded.
		expect((await http('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' })).status).toBe(200);
		expect((await trail()).length).toBeGreaterThan(0);
	});
});

describe('X-6 departments are data: a company adds a department and uses it', () => {
	const MOULD_ROLE = 'c0ffee00-0000-4000-8000-0000000000aa';
	const email = `mould-${uid('u').toLowerCase()}@example.com`;
	const password = 'mould-pass-2026';
	let bearer = '';
	/** As the company's new department's user (not one of the harness's seeded users). */
	const asMould = async (method: string, path: string, body?: unknown) => {
		if (!bearer) {
			const res = await fetch(`${cp().url}/auth/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email, password }),
			});
			bearer = (await res.json()).data.access_token;
		}
		const res = await fetch(`${cp().url}${path}`, {
			method,
			headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const parsed: any = await res.json().catch(() => null);
		return { status: res.status, data: parsed?.data, code: parsed?.errors?.[0]?.extensions?.code, message: parsed?.errors?.[0]?.message };
	};

	it('X-6: 模具车间 (mould_shop) added as a role receives the task notice and investigates complaints once the settings name it; departments not named may not', async () => {
		const before = await settingsRow();
		const map = parse(before.departments);
		// The department exists only once the company adds it: a setting naming it earlier is refused, on every path.
		const early = await http('admin', 'PATCH', '/items/cp_settings', {
			task_notice_departments: ['production', 'purchasing', 'quality', 'warehouse', 'mould_shop'],
		});
		expect([early.status, early.code]).toEqual([400, 'CP_INVALID_VALUE']);
		expect(early.message).toContain('任务通知单接收部门');
		expect(early.message).toContain('mould_shop');
		const earlyGql = await http('admin', 'POST', '/graphql', {
			query: 'mutation ($data: update_cp_settings_input!) { update_cp_settings(data: $data) { id } }',
			variables: { data: { complaint_departments: { investigate: ['mould_shop'] } } },
		});
		expect(earlyGql.code).toBe('CP_INVALID_VALUE');
		expect(parse((await settingsRow()).task_notice_departments) ?? null).toBeNull();

		// The company adds the role, gives it the staff's and Quality's collection rights, and a user.
		if (!(await http('admin', 'GET', `/roles/${MOULD_ROLE}`)).data) await ok('admin', 'POST', '/roles', { id: MOULD_ROLE, name: '模具车间 Mould shop' });
		for (const policy of [STAFF_POLICY.id, dept('quality').policy]) await ok('admin', 'POST', '/access', { role: MOULD_ROLE, policy });
		await ok('admin', 'POST', '/users', { email, password, role: MOULD_ROLE });
		try {
			await ok('admin', 'PATCH', '/items/cp_settings', {
				departments: { ...map, mould_shop: MOULD_ROLE },
				// Doc 1 4.5.2's receivers, and the mould shop that makes the dies.
				task_notice_departments: ['production', 'purchasing', 'quality', 'warehouse', 'mould_shop'],
				complaint_departments: { investigate: ['quality', 'mould_shop'] },
			});

			// CR-13: signing issues the task notice to the new department too; it acknowledges its own, nobody else does.
			const c = await regularContractInReview();
			await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' });
			await reviewAll(c.id, '可以满足 Can be met');
			expect((await signContract(c.id)).status).toBe(200);
			const notices = await ok('admin', 'GET', `/items/cp_task_notices?filter[contract][_eq]=${c.id}&limit=-1`);
			expect(notices.map((n: any) => n.department).sort()).toEqual(['mould_shop', 'production', 'purchasing', 'quality', 'warehouse']);
			const mouldNotice = notices.find((n: any) => n.department === 'mould_shop');
			const byWarehouse = await http('warehouse', 'PATCH', `/items/cp_task_notices/${mouldNotice.id}`, { acknowledged_at: new Date().toISOString() });
			expect(byWarehouse.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
			const ack = await asMould('PATCH', `/items/cp_task_notices/${mouldNotice.id}`, { acknowledged_at: new Date().toISOString() });
			expect(ack.status, ack.message).toBe(200);
			expect((await ok('admin', 'GET', `/items/cp_task_notices/${mouldNotice.id}`)).acknowledged_at).toBeTruthy();

			// CP-2: the mould shop may start the investigation (a single PATCH and GraphQL); Sales, which may edit the form but is not named for this step, may not.
			const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'X-6 complaint customer' })).id;
			const complaint = () =>
				ok('sales', 'POST', '/items/cp_complaints', {
					customer,
					channel: 'phone',
					summary: `模切尺寸偏差 ${uid('s')}`,
					product: '纸箱',
					received_at: new Date(Date.now() - 3_600_000).toISOString(),
				});
			const k1 = await complaint();
			const k2 = await complaint();
			for (const path of ['rest-one', 'graphql-one'] as const) {
				const refused = await updateVia(path, 'sales', 'cp_complaints', [k1.id], { status: 'investigating' });
				expect([refused.ok, refused.code], path).toEqual([false, 'CP_NOT_DEPARTMENT_MEMBER']);
			}
			expect((await ok('admin', 'GET', `/items/cp_complaints/${k1.id}`)).status).toBe('received');
			const moved = await asMould('PATCH', `/items/cp_complaints/${k1.id}`, { status: 'investigating' });
			expect(moved.status, moved.message).toBe(200);
			const gql = await asMould('POST', '/graphql', {
				query: 'mutation ($id: ID!) { update_cp_complaints_item(id: $id, data: { status: "investigating" }) { id status } }',
				variables: { id: k2.id },
			});
			expect(gql.status).toBe(200);
			expect((await ok('admin', 'GET', `/items/cp_complaints/${k2.id}`)).status).toBe('investigating');
		} finally {
			await ok('admin', 'PATCH', '/items/cp_settings', { departments: map, task_notice_departments: null, complaint_departments: null });
		}
	});

	it('X-6: without the setting the procedure decides: the mould shop role, unmapped, is refused the investigation', async () => {
		const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'X-6 default customer' })).id;
		const k = await ok('sales', 'POST', '/items/cp_complaints', {
			customer,
			channel: 'phone',
			summary: `默认 ${uid('s')}`,
			received_at: new Date(Date.now() - 3_600_000).toISOString(),
		});
		const refused = await asMould('PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' });
		expect([refused.status, refused.code]).toEqual([403, 'CP_NOT_DEPARTMENT_MEMBER']);
		expect(refused.message).toMatch(/质量部|Quality/);
	});
});
