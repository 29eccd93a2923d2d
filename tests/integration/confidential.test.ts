// Confidential customer property on every read path (PR-1, X-5). Doc 5: personal data and
// intellectual property of the customer are kept by Sales and seen by Sales and Quality only; any
// other department (here Production) learns nothing of them: no row, no count, no name, not even
// that they exist. Each read of personal data by a person leaves a read entry in the audit trail.
import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { cp, database, http, ok, uid, type HttpResult } from '../harness/client';

let customer: string;
let control: string;
let secret: { id: string; code: string; name: string };
let visible: { id: string; code: string; name: string };
/** The first characters of the secret name: what someone guessing it character by character tries. */
let first: string;
const readers: Record<string, string> = {};

const scope = 'Sales keeps the list; used only for delivery notices (PR-1)';
const readAudits = async (id: string) =>
	Number(
		(
			await database()('cp_audit')
				.where({ collection: 'cp_property', item: String(id), action: 'read' })
				.count({ n: '*' })
				.first()
		)?.n ?? 0,
	);
const enc = encodeURIComponent;

/** HTTP with a token of a user this file creates (a department role plus a history-reading policy). */
async function asReader(who: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
	const res = await fetch(`${cp().url}${path}`, {
		method,
		headers: { authorization: `Bearer ${readers[who]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	let parsed: any = text;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		/* csv */
	}
	const err = parsed?.errors?.[0];
	return { status: res.status, data: parsed?.data, code: err?.extensions?.code, message: err?.message, body: parsed };
}

const graphql = (who: string, query: string) => http(who, 'POST', '/graphql', { query });

beforeAll(async () => {
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `保密测试顾客 ${uid('c')}` })).id;
	control = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `对照顾客 ${uid('c')}` })).id;
	const name = `Qx顾客联系人名单 ${uid('secret')}`;
	first = name.slice(0, 2);
	secret = await ok('sales', 'POST', '/items/cp_property', { code: uid('CP-P'), name, kind: 'personal_data', customer, scope, quantity: 1, unit: '份' });
	await ok('sales', 'POST', `/cp/property/${secret.id}/events`, { type: 'receipt', quantity: 1, to_location: '市场部保密柜 Sales safe' });
	visible = await ok('sales', 'POST', '/items/cp_property', {
		code: uid('CP-M'),
		name: `Ab 包装材料 ${uid('m')}`,
		kind: 'material',
		customer,
		scope,
		quantity: 5,
		unit: 'kg',
	});
	await ok('sales', 'POST', `/cp/property/${visible.id}/events`, { type: 'receipt', quantity: 5, to_location: '顾客财产专区 A-02' });

	// Directus's own history (revisions, activity) is readable by no department in the seed; a
	// company may grant it. Two users with that extra policy: one of Production, one of Sales.
	const policy = await ok('admin', 'POST', '/policies', { name: uid('History readers'), icon: 'history', app_access: false, admin_access: false });
	for (const collection of ['directus_revisions', 'directus_activity']) {
		await ok('admin', 'POST', '/permissions', { policy: policy.id, collection, action: 'read', fields: ['*'], permissions: {} });
	}
	for (const dept of ['production', 'sales']) {
		const email = `${uid(dept)}@history.example.org`.toLowerCase();
		const password = 'history-pass-2026';
		const user = await ok('admin', 'POST', '/users', { email, password, role: cp().departments[dept], status: 'active' });
		await ok('admin', 'POST', '/access', { user: user.id, policy: policy.id });
		const login = await fetch(`${cp().url}/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, password }),
		});
		readers[dept] = (await login.json()).data.access_token;
	}
});

describe('confidential property on every read path (PR-1, X-5)', () => {
	it('PR-1, X-5: a direct read of a hidden line answers like a line that does not exist; Sales reads it and is audited', async () => {
		const hidden = await http('production', 'GET', `/items/cp_property/${secret.id}`);
		const missing = await http('production', 'GET', `/items/cp_property/${randomUUID()}`);
		expect([hidden.status, hidden.code, hidden.message]).toEqual([missing.status, missing.code, missing.message]);
		expect(hidden.status).toBe(403);
		expect(await ok('production', 'GET', `/items/cp_property?filter[customer][_eq]=${customer}&fields=id,name`)).toEqual([
			{ id: visible.id, name: visible.name },
		]);

		const before = await readAudits(secret.id);
		expect((await ok('sales', 'GET', `/items/cp_property/${secret.id}?fields=name`)).name).toBe(secret.name);
		expect(await readAudits(secret.id)).toBe(before + 1);
	});

	it('X-5: $FOLLOW from the customers and the users cannot spell the hidden name', async () => {
		const follow = (op: string, value: string) => `filter[$FOLLOW(cp_property,customer)][name][${op}]=${enc(value)}`;
		const customers = (who: string, q: string) => ok(who, 'GET', `/items/cp_customers?fields=id&filter[id][_in]=${customer},${control}&${q}`);
		// Production: the customer behaves exactly like one without that line.
		expect(await customers('production', follow('_starts_with', first))).toEqual([]);
		expect(await customers('production', follow('_eq', secret.name))).toEqual([]);
		const none = await ok(
			'production',
			'GET',
			`/items/cp_customers?fields=id&filter[id][_in]=${customer},${control}&filter[$FOLLOW(cp_property,customer)][_none][name][_starts_with]=${enc(first)}&sort=code`,
		);
		expect(none.map((c: any) => c.id).sort()).toEqual([customer, control].sort());
		const counted = await http('production', 'GET', `/items/cp_customers?fields=id&${follow('_starts_with', first)}&meta=filter_count`);
		expect(counted.body.meta.filter_count).toBe(0);
		// Sales: the same questions find it.
		expect(await customers('sales', follow('_starts_with', first))).toEqual([{ id: customer }]);
		const users = (who: string) => ok(who, 'GET', `/users?fields=id&filter[$FOLLOW(cp_property,user_created)][name][_eq]=${enc(secret.name)}`);
		expect(await users('production')).toEqual([]);
		expect(await users('sales')).toEqual([{ id: cp().users.sales.id }]);
	});

	it('X-5: a relational filter from the history on property.name finds nothing, nor counts it', async () => {
		const q = `/items/cp_property_events?fields=id,type&filter[property][name][_starts_with]=${enc(first)}&filter[property][customer][_eq]=${customer}&meta=filter_count`;
		const hidden = await http('production', 'GET', q);
		expect(hidden.data).toEqual([]);
		expect(hidden.body.meta.filter_count).toBe(0);
		const seen = await http('sales', 'GET', q);
		expect(seen.data.map((e: any) => e.type)).toEqual(['receipt']);
		expect(seen.body.meta.filter_count).toBe(1);
	});

	it('PR-1, X-5: deep field reads: nothing for Production; for Sales each read of the line is audited', async () => {
		const paths = [
			`/items/cp_property_events?fields=id,property.name&filter[property][customer][_eq]=${customer}`,
			`/items/cp_property_events?fields=id,property.*&filter[property][customer][_eq]=${customer}&deep[property][_filter][kind][_eq]=personal_data`,
			`/items/cp_property_events?fields=*.*&filter[property][customer][_eq]=${customer}`,
		];
		for (const path of paths) {
			const rows = await ok('production', 'GET', path);
			expect(JSON.stringify(rows)).not.toContain(secret.name);
			expect(JSON.stringify(rows)).not.toContain(secret.id);
			const before = await readAudits(secret.id);
			const seen = await ok('sales', 'GET', path);
			expect(JSON.stringify(seen)).toContain(secret.name);
			expect(await readAudits(secret.id), path).toBe(before + 1);
		}
		const entry = await database()('cp_audit')
			.where({ collection: 'cp_property', item: String(secret.id), action: 'read' })
			.orderBy('id', 'desc')
			.first();
		expect(entry).toMatchObject({ user: cp().users.sales.id, department: 'sales' });
		expect(JSON.stringify(entry.data)).toContain('cp_property_events.property');
	});

	it('X-5: sort by the name (own and relational), search and aggregates leave the hidden line out', async () => {
		const sorted = await ok('production', 'GET', `/items/cp_property_events?fields=property&sort=-property.name&filter[property][customer][_eq]=${customer}`);
		expect(sorted.map((e: any) => e.property)).toEqual([visible.id]);
		expect((await ok('production', 'GET', `/items/cp_property?fields=id&sort=name&filter[customer][_eq]=${customer}`)).map((p: any) => p.id)).toEqual([
			visible.id,
		]);
		const word = secret.name.split(' ')[1];
		expect(await ok('production', 'GET', `/items/cp_property?fields=id&search=${enc(word)}`)).toEqual([]);
		expect(await ok('production', 'GET', `/items/cp_property_events?fields=id&search=${secret.id}`)).toEqual([]);
		expect((await ok('sales', 'GET', `/items/cp_property?fields=id&search=${enc(word)}`)).map((p: any) => p.id)).toEqual([secret.id]);

		const groups = async (who: string) =>
			(await ok(who, 'GET', `/items/cp_property?aggregate[count]=*&groupBy[]=kind&filter[customer][_eq]=${customer}`))
				.map((g: any) => `${g.kind}:${Number(g.count)}`)
				.sort();
		expect(await groups('production')).toEqual(['material:1']);
		const before = await readAudits(secret.id);
		expect(await groups('sales')).toEqual(['material:1', 'personal_data:1']);
		// Counting is not reading: no audit entry for an aggregate.
		expect(await readAudits(secret.id)).toBe(before);
		const counted = await ok('production', 'GET', `/items/cp_property_events?aggregate[count]=*&filter[property][customer][_eq]=${customer}`);
		expect(Number(counted[0].count)).toBe(1);
	});

	it('PR-1, X-5: GraphQL reads of the register and of the history', async () => {
		const direct = `{ cp_property(filter: { customer: { id: { _eq: "${customer}" } } }) { id name } }`;
		expect((await graphql('production', direct)).body.data.cp_property).toEqual([{ id: visible.id, name: visible.name }]);
		let before = await readAudits(secret.id);
		expect((await graphql('sales', direct)).body.data.cp_property.map((p: any) => p.name)).toContain(secret.name);
		expect(await readAudits(secret.id)).toBe(before + 1);

		const nested = `{ cp_property_events(filter: { property: { customer: { id: { _eq: "${customer}" } } } }) { type property { name } } }`;
		const hidden = (await graphql('production', nested)).body;
		expect(JSON.stringify(hidden)).not.toContain(secret.name);
		expect(hidden.data.cp_property_events).toEqual([{ type: 'receipt', property: { name: visible.name } }]);
		before = await readAudits(secret.id);
		expect(JSON.stringify((await graphql('sales', nested)).body)).toContain(secret.name);
		expect(await readAudits(secret.id)).toBe(before + 1);

		const byName = `{ cp_property_events(filter: { property: { name: { _starts_with: "${first}" } } }) { id } }`;
		expect((await graphql('production', byName)).body.data.cp_property_events).toEqual([]);
		const grouped = `{ cp_property_aggregated(groupBy: ["kind"], filter: { customer: { id: { _eq: "${customer}" } } }) { group count { id } } }`;
		const groups = (await graphql('production', grouped)).body.data.cp_property_aggregated;
		expect(groups.map((g: any) => g.group.kind)).toEqual(['material']);
	});

	it('PR-1, X-5: a CSV export holds visible lines only; Sales exports it and is audited', async () => {
		const path = `/items/cp_property?export=csv&fields=code,name,kind&filter[customer][_eq]=${customer}`;
		const hidden = await http('production', 'GET', path);
		expect(hidden.status).toBe(200);
		expect(String(hidden.body)).toContain(visible.code);
		expect(String(hidden.body)).not.toContain(secret.code);
		const before = await readAudits(secret.id);
		const seen = await http('sales', 'GET', path);
		expect(String(seen.body)).toContain(secret.name);
		expect(await readAudits(secret.id)).toBe(before + 1);
		const events = await http(
			'production',
			'GET',
			`/items/cp_property_events?export=csv&fields=type,property.name&filter[property][customer][_eq]=${customer}`,
		);
		expect(String(events.body)).not.toContain(secret.name);
	});

	it("X-5: Directus's revisions and activity and our audit trail do not show the hidden line", async () => {
		// Without a history policy nobody below admin reads revisions at all.
		expect((await http('production', 'GET', `/revisions?filter[collection][_eq]=cp_property`)).status).toBe(403);
		const revisions = `/revisions?fields=item,data&limit=-1&filter[collection][_eq]=cp_property&filter[item][_in]=${secret.id},${visible.id}&meta=filter_count`;
		const hidden = await asReader('production', 'GET', revisions);
		expect(hidden.status).toBe(200);
		expect(hidden.data.map((r: any) => r.item)).not.toContain(secret.id);
		expect(hidden.data.map((r: any) => r.item)).toContain(visible.id);
		expect(JSON.stringify(hidden.data)).not.toContain(secret.name);
		expect(hidden.body.meta.filter_count).toBe(hidden.data.length);
		const seen = await asReader('sales', 'GET', revisions);
		expect(seen.data.map((r: any) => r.item)).toContain(secret.id);

		const activity = `/activity?fields=item,revisions.data&limit=-1&filter[collection][_in]=cp_property,cp_property_events`;
		const act = await asReader('production', 'GET', activity);
		expect(act.status).toBe(200);
		expect(act.data.map((a: any) => a.item)).not.toContain(secret.id);
		expect(JSON.stringify(act.data)).not.toContain(secret.name);
		expect((await asReader('sales', 'GET', activity)).data.map((a: any) => a.item)).toContain(secret.id);
		// A revision reached from the other side (revisions.activity) is narrowed the same way.
		const revs = await asReader('production', 'GET', `/revisions?fields=item,activity.item&limit=-1&filter[activity][item][_eq]=${secret.id}`);
		expect(revs.data).toEqual([]);

		const trail = `/items/cp_audit?fields=item&limit=-1&filter[collection][_eq]=cp_property&filter[item][_eq]=${secret.id}`;
		expect(await ok('production', 'GET', trail)).toEqual([]);
		expect((await ok('sales', 'GET', trail)).length).toBeGreaterThan(0);
	});

	it('X-5: a write to a hidden line answers exactly what a nonexistent id answers, on every write path', async () => {
		const row = () => database()('cp_property').where('id', secret.id).first();
		const before = await row();
		const gone = randomUUID();
		const same = (a: HttpResult, b: HttpResult) => {
			expect(a.status).toBe(b.status);
			expect(a.code).toBe(b.code);
			expect(String(a.message).replace(secret.id, '<id>')).toBe(String(b.message).replace(gone, '<id>'));
			expect(a.message ?? '').not.toContain(secret.code);
		};
		same(
			await http('production', 'PATCH', `/items/cp_property/${secret.id}`, { scope: 'x' }),
			await http('production', 'PATCH', `/items/cp_property/${gone}`, { scope: 'x' }),
		);
		same(
			await http('production', 'PATCH', '/items/cp_property', { keys: [secret.id], data: { scope: 'x' } }),
			await http('production', 'PATCH', '/items/cp_property', { keys: [gone], data: { scope: 'x' } }),
		);
		same(
			await http('production', 'PATCH', '/items/cp_property', [{ id: secret.id, scope: 'x' }]),
			await http('production', 'PATCH', '/items/cp_property', [{ id: gone, scope: 'x' }]),
		);
		const gql = (id: string) => graphql('production', `mutation { update_cp_property_item(id: "${id}", data: { scope: "x" }) { id } }`);
		const [g1, g2] = [(await gql(secret.id)).body, (await gql(gone)).body];
		expect(g1.errors?.[0]?.extensions?.code).toBe(g2.errors?.[0]?.extensions?.code);
		expect(String(g1.errors?.[0]?.message).replace(secret.id, '<id>')).toBe(String(g2.errors?.[0]?.message).replace(gone, '<id>'));
		same(
			await http('production', 'POST', `/cp/property/${secret.id}/events`, { type: 'check', result: 'ok' }),
			await http('production', 'POST', `/cp/property/${gone}/events`, { type: 'check', result: 'ok' }),
		);
		// A batch by query simply does not reach it.
		await http('production', 'PATCH', '/items/cp_property', { query: { filter: { id: { _eq: secret.id } } }, data: { scope: 'x' } });
		expect(await row()).toEqual(before);
	});

	it('PR-1: Sales cannot reclassify a personal-data line into an ordinary kind, nor an ordinary line into personal data', async () => {
		const row = (id: string) => database()('cp_property').where('id', id).first();
		const [s0, v0] = [await row(secret.id), await row(visible.id)];
		const out = await http('sales', 'PATCH', `/items/cp_property/${secret.id}`, { kind: 'material' });
		expect([out.status, out.code]).toEqual([409, 'CP_CHANGE_NOT_ALLOWED']);
		// Sales works in zh-CN: the field by its label.
		expect(out.message).toContain('类别');
		const batch = await http('sales', 'PATCH', '/items/cp_property', { keys: [secret.id], data: { kind: 'drawing' } });
		expect(batch.status).toBe(409);
		const gql = await graphql('sales', `mutation { update_cp_property_item(id: "${secret.id}", data: { kind: "part" }) { id } }`);
		expect(gql.body.errors?.[0]?.extensions?.code).toBe('CP_CHANGE_NOT_ALLOWED');
		const into = await http('sales', 'PATCH', `/items/cp_property/${visible.id}`, { kind: 'personal_data' });
		expect([into.status, into.code]).toEqual([409, 'CP_CHANGE_NOT_ALLOWED']);
		expect(await row(secret.id)).toEqual(s0);
		expect(await row(visible.id)).toEqual(v0);
		// An ordinary reclassification stays possible.
		expect((await ok('sales', 'PATCH', `/items/cp_property/${visible.id}`, { kind: 'part' })).kind).toBe('part');
	});
});
