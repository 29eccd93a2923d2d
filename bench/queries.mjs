// Queries per write (issue 14): starts Directus with the built bundle at LOG_LEVEL=trace (Directus
// logs every SQL statement it runs, the bundle's included), makes each benchmark write a few times
// and prints the statements of the last one, with the hook-free twin's for comparison.
//
//   node bench/queries.mjs --db postgres [--show] [--jobs [--due 20]]     (after npm run build)
//
// --show prints every statement; without it, the counts and the statements in order, shortened.
// --jobs also runs the property-checks job and the complaints tick with --due items due.
import { performance } from 'node:perf_hooks';
import { startHarness, databaseKnex } from '../tests/harness/harness.mjs';
import { STAFF_POLICY } from '../seeds/departments.mjs';
import { generate, reviewFixtures } from './generate.mjs';

const arg = (name, def) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : def;
};
const DB = arg('db', 'sqlite');
const SHOW = process.argv.includes('--show');
const log = () => {};

// Directus's data cache as bench/run.mjs runs it (the bundle keeps its settings and proven read
// access there), so that the statements listed are the ones the timed writes make.
const h = await startHarness({
	db: DB,
	extraConfig: {
		LOG_LEVEL: 'trace',
		LOG_STYLE: 'raw',
		CP_PROPERTY_CHECKS_CRON: '0 0 1 1 *',
		CACHE_ENABLED: 'true',
		CACHE_STORE: 'memory',
		CACHE_AUTO_PURGE: 'true',
		CACHE_TTL: '5m',
	},
	log,
});
const knex = databaseKnex(h.info.dbSettings);
const child = h.servers[0].child;
let buffer = '';
child.stdout.on('data', (d) => (buffer += d.toString()));
child.stderr.on('data', (d) => (buffer += d.toString()));
const BASE = h.info.url;
const tokens = {};
async function login(email, password) {
	const res = await fetch(`${BASE}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
	return (await res.json()).data.access_token;
}
async function call(who, method, path, body) {
	const res = await fetch(`${BASE}${path}`, {
		method,
		headers: { authorization: `Bearer ${tokens[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const json = await res.json().catch(() => null);
	if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
	return json?.data;
}
/** The SQL statements Directus logged while `fn` ran. */
async function statements(fn) {
	await new Promise((r) => setTimeout(r, 150));
	const from = buffer.length;
	const t = performance.now();
	const v = await fn();
	const ms = performance.now() - t;
	await new Promise((r) => setTimeout(r, 150));
	const sql = [];
	for (const line of buffer.slice(from).split('\n')) {
		let msg;
		try {
			msg = JSON.parse(line).msg;
		} catch {
			continue;
		}
		const m = /^\[([\d.?]+)ms\] (.*)$/s.exec(String(msg ?? ''));
		if (m) sql.push({ ms: Number(m[1]), sql: m[2] });
	}
	return { v, ms, sql };
}
function print(label, r) {
	const total = r.sql.reduce((a, s) => a + (Number.isFinite(s.ms) ? s.ms : 0), 0);
	console.log(`\n## ${label}: ${r.sql.length} statements, ${total.toFixed(1)} ms in the database, ${r.ms.toFixed(1)} ms request`);
	for (const s of r.sql) console.log(`  ${String(s.ms).padStart(7)} ms  ${SHOW ? s.sql : s.sql.replace(/\s+/g, ' ').slice(0, 160)}`);
}

try {
	tokens.admin = await login(h.info.admin.email, h.info.admin.password);
	for (const [dept, u] of Object.entries(h.info.users)) tokens[dept] = await login(u.email, u.password);
	const users = Object.fromEntries(Object.entries(h.info.users).map(([d, u]) => [d, u.id]));
	// Twins as bench/run.mjs makes them (same fields, no hooks).
	for (const [source, target] of [
		['cp_complaints', 'bench_plain_complaints'],
		['cp_review_lines', 'bench_plain_review_lines'],
	]) {
		const fields = (await call('admin', 'GET', `/fields/${source}`)).filter((f) => f.type !== 'alias' && f.schema);
		const keep = ['is_nullable', 'default_value', 'is_unique', 'is_indexed', 'max_length'];
		await call('admin', 'POST', '/collections', {
			collection: target,
			meta: { hidden: true },
			schema: {},
			fields: fields.map((f) => ({
				field: f.field,
				type: f.type,
				meta: { special: f.meta?.special ?? null },
				schema: f.schema.is_primary_key
					? { is_primary_key: true, has_auto_increment: Boolean(f.schema.has_auto_increment), ...(f.type === 'uuid' ? { length: 36 } : {}) }
					: Object.fromEntries(keep.filter((k) => f.schema[k] !== undefined && f.schema[k] !== null).map((k) => [k, f.schema[k]])),
			})),
		});
		for (const action of ['create', 'read', 'update'])
			await call('admin', 'POST', '/permissions', { policy: STAFF_POLICY.id, collection: target, action, fields: ['*'], permissions: {}, validation: {} });
	}
	await generate(knex, { scale: 0.01, part: 1, offset: 0, users, now: new Date(), log });
	const customers = (await knex('cp_customers').where('status', 'active').orderBy('code').limit(10).select('id')).map((r) => r.id);
	// One department signs a line of each contract: the printed (last) signature is not that
	// user's first request, so Directus's own permission cache is warm as in the timed runs.
	const all = await reviewFixtures(knex, { count: 4, tag: 'Q', customers, users });
	const lines = all.filter((l) => l.department === all[0].department);
	const { randomUUID } = await import('node:crypto');
	const plain = lines.map((l) => ({
		id: randomUUID(),
		contract: l.contract,
		round: 1,
		stage: 'review',
		department: l.department,
		decision: 'pending',
		checklist: JSON.stringify([{ key: 'capability', checked: false }]),
		date_created: new Date(),
	}));
	await knex('bench_plain_review_lines').insert(plain);
	const t0 = new Date(Date.now() - 60_000).toISOString();
	const complaint = (i) => ({
		customer: customers[i % customers.length],
		summary: `Q ${i}`,
		channel: 'phone',
		received_at: t0,
		product: 'Valve',
		batch: `Q${i}`,
	});
	const SIGN = { decision: 'approved', opinion: 'ok', checklist: [{ key: 'capability', checked: true }] };
	let last = {};
	for (let i = 0; i < 4; i++) {
		const r = {};
		r.create = await statements(() => call('sales', 'POST', '/items/cp_complaints', complaint(i)));
		r.createPlain = await statements(() =>
			call('sales', 'POST', '/items/bench_plain_complaints', { ...complaint(i), code: `P-${i}`, status: 'received', dedupe_key: `p-${i}` }),
		);
		r.transition = await statements(() => call('quality', 'PATCH', `/items/cp_complaints/${r.create.v.id}`, { status: 'investigating' }));
		r.transitionPlain = await statements(() => call('quality', 'PATCH', `/items/bench_plain_complaints/${r.createPlain.v.id}`, { status: 'investigating' }));
		r.sign = await statements(() => call(lines[i].department, 'PATCH', `/items/cp_review_lines/${lines[i].id}`, SIGN));
		r.signPlain = await statements(() => call(plain[i].department, 'PATCH', `/items/bench_plain_review_lines/${plain[i].id}`, SIGN));
		last = r;
	}
	print('create a complaint (cp_complaints)', last.create);
	print('create on the twin', last.createPlain);
	print('received -> investigating (cp_complaints)', last.transition);
	print('transition on the twin', last.transitionPlain);
	print('sign a review line (cp_review_lines)', last.sign);
	print('sign on the twin', last.signPlain);
	if (process.argv.includes('--jobs')) {
		// The generated backlog first, then DUE items of each job made due again (as bench/run.mjs arms them).
		const DUE = Number(arg('due', 20));
		await call('admin', 'POST', '/cp/jobs/property-checks', {});
		await call('admin', 'POST', '/cp/jobs/complaints-tick', {});
		const ids = async (q) => (await q).map((r) => r.id);
		const property = await ids(knex('cp_property').whereIn('status', ['in_store', 'in_use']).orderBy('id').limit(DUE).select('id'));
		const complaints = await ids(
			knex('cp_complaints').whereIn('status', ['received', 'investigating', 'action']).whereNull('responded_at').orderBy('id').limit(DUE).select('id'),
		);
		const actions = await ids(knex('cp_actions').whereIn('status', ['open', 'overdue']).orderBy('id').limit(DUE).select('id'));
		const t = Date.now();
		const y = new Date(t - 86_400_000);
		const key = `${y.getFullYear()}-${String(y.getMonth() + 1).padStart(2, '0')}-${String(y.getDate()).padStart(2, '0')}`;
		await knex('cp_property')
			.whereIn('id', property)
			.update({ next_check_due: DB === 'sqlite' ? new Date(y.getFullYear(), y.getMonth(), y.getDate()) : key, check_notified_for: null });
		await knex('cp_complaints')
			.whereIn('id', complaints)
			.update({ response_due_at: new Date(t - 3_600_000), response_breached: false });
		await knex('cp_actions')
			.whereIn('id', actions)
			.update({ status: 'open', due_at: new Date(t - 3_600_000), reminded_at: new Date(t - 7_200_000), escalated_at: null });
		print(`property-checks job, ${property.length} due`, await statements(() => call('admin', 'POST', '/cp/jobs/property-checks', {})));
		print(`complaints-tick job, ${complaints.length} + ${actions.length} due`, await statements(() => call('admin', 'POST', '/cp/jobs/complaints-tick', {})));
	}
} catch (e) {
	console.error(e);
	process.exitCode = 1;
} finally {
	await knex.destroy().catch(() => undefined);
	await h.teardown();
}
