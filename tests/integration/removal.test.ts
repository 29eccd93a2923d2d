// Issue 13: removal. A vanilla Directus holding a company's data (its customers and orders, a role
// with a policy and permissions, a preset, a dashboard, a flow and its own module bar) gets the
// built bundle in its extensions folder and the packaged installer (dist/cli.mjs), which links our
// customers to the company's collection; a contract and a complaint are recorded. `remove --export`
// writes every cp_ collection as JSON and CSV, the ledger, the evidence pack of all time and a
// manifest, and changes nothing; a bad call is refused in one line with nothing changed. With the
// bundle's folder removed and Directus restarted, `remove --drop --yes` exports again and deletes
// the cp_ tables, the ledger, the department roles and policies, the presets of cp_ collections,
// the Insights dashboard and our module-bar entry, and the company's rows and directus_* rows are
// the same before and after.
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../harness/run';
import type { Knex } from 'knex';
import { ROOT, baseConfig, bootstrap, dbSettings, hostPaths, startDirectus, stopChild, writeConfig } from '../../scripts/lib/host.mjs';
import { connect } from '../../scripts/lib/api.mjs';
import { databaseKnex, freePort } from '../harness/harness.mjs';
import { fingerprint, ourFingerprint, tableNames } from '../harness/fingerprint';
import { unzip } from '../harness/files';
import { DEPARTMENTS, STAFF_POLICY } from '../../seeds/departments.mjs';

const PKG_DIR = join(ROOT, 'extensions/customer-processes');
const ADMIN = { email: 'admin@example.com', password: 'company-admin-2026' };
const host = hostPaths(process.env.CP_HOST_DIR ?? ROOT);
const major = Number(host.version().split('.')[0]);
const DASHBOARD_ID = 'c0ffee00-0000-4000-8000-0000000d0000';
const OUR_IDS = [STAFF_POLICY.id, ...DEPARTMENTS.flatMap((d) => [d.role, d.policy])];

let work: string;
let url: string;
let config: string;
let server: Awaited<ReturnType<typeof startDirectus>>;
let knex: Knex;
let api: Awaited<ReturnType<typeof connect>>;
let cli: string;
let companyBar: any[];
let companyRole: string;
const records: { contract?: any; complaint?: any; customer?: any } = {};

const runCli = (args: string[]) => run(host.node, [cli, ...args], work);
const login = () => ['--url', url, '--email', ADMIN.email, '--password', ADMIN.password];
const removeArgs = (dir: string, ...extra: string[]) => ['remove', ...login(), '--export', join(work, dir), ...extra];
const tables = async () => await tableNames(knex);
const json = (dir: string, file: string) => JSON.parse(readFileSync(join(work, dir, file), 'utf8'));

async function companyData() {
	await api.post('/collections', {
		collection: 'customers',
		meta: { icon: 'people', note: 'our customers' },
		schema: {},
		fields: [
			{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
			{ field: 'name', type: 'string', meta: { interface: 'input', note: 'legal name' }, schema: {} },
		],
	});
	await api.post('/collections', {
		collection: 'orders',
		meta: { icon: 'receipt' },
		schema: {},
		fields: [
			{ field: 'id', type: 'uuid', meta: { hidden: true, special: ['uuid'] }, schema: { is_primary_key: true } },
			{ field: 'customer', type: 'integer', meta: { interface: 'select-dropdown-m2o', special: ['m2o'] }, schema: {} },
			{ field: 'amount', type: 'decimal', meta: {}, schema: { numeric_precision: 10, numeric_scale: 2 } },
		],
	});
	await api.post('/relations', { collection: 'orders', field: 'customer', related_collection: 'customers' });
	const acme = await api.post('/items/customers', { name: 'ACME 上海' });
	await api.post('/items/orders', { customer: acme.id, amount: '1200.50' });
	const policy = await api.post('/policies', { name: 'Company sales', app_access: true, admin_access: false });
	await api.post('/permissions', [
		{ policy: policy.id, collection: 'customers', action: 'read', fields: ['*'], permissions: null },
		{ policy: policy.id, collection: 'orders', action: 'read', fields: ['*'], permissions: null },
	]);
	const role = await api.post('/roles', { name: 'Company sales', icon: 'sell' });
	companyRole = role.id;
	await api.post('/access', { role: role.id, policy: policy.id });
	await api.post('/users', { email: 'clerk@example.com', password: 'clerk-pass-2026', role: role.id });
	await api.post('/presets', { collection: 'orders', layout: 'tabular', layout_query: { tabular: { fields: ['customer', 'amount'] } } });
	await api.post('/dashboards', { name: 'Company sales', icon: 'insights' });
	await api.post('/flows', { name: 'Company notify', trigger: 'manual', status: 'active', options: { collections: ['orders'] } });
	companyBar = [
		{ type: 'module', id: 'content', enabled: true },
		{ type: 'module', id: 'users', enabled: true },
		{ type: 'module', id: 'insights', enabled: true },
		{ type: 'link', id: 'intranet', enabled: true, name: 'Intranet', icon: 'link', url: 'https://intranet.example.com' },
		{ type: 'module', id: 'settings', enabled: true, locked: true },
	];
	await api.patch('/settings', { module_bar: companyBar });
}

async function start() {
	server = await startDirectus(host, config, { url, cwd: work });
	api = await connect({ url, ...ADMIN });
}

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), 'cp-removal-'));
	// The built bundle in the company's extensions folder, as the package unpacks it; the packaged installer beside it.
	const ext = join(work, 'extensions', 'customer-processes');
	mkdirSync(ext, { recursive: true });
	copyFileSync(join(PKG_DIR, 'package.json'), join(ext, 'package.json'));
	cpSync(join(PKG_DIR, 'dist'), join(ext, 'dist'), { recursive: true });
	cli = join(work, 'cli.mjs');
	copyFileSync(join(PKG_DIR, 'dist/cli.mjs'), cli);
	writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'company-directus', private: true }));
	const port = await freePort();
	url = `http://127.0.0.1:${port}`;
	const db = dbSettings('sqlite', { name: 'company', dataDir: work });
	config = writeConfig(join(work, 'directus.env'), {
		...baseConfig({ port, dataDir: work }),
		...db,
		EXTENSIONS_PATH: join(work, 'extensions'),
		ADMIN_EMAIL: ADMIN.email,
		ADMIN_PASSWORD: ADMIN.password,
		PRESSURE_LIMITER_ENABLED: 'false',
		// The complaints tick also opens the quarter's surveys: left to a minute schedule it could add one
		// between the two fingerprints of a run that must change nothing.
		CP_COMPLAINTS_CRON: '0 0 1 1 *',
	});
	bootstrap(host, config, { cwd: work });
	await start();
	knex = databaseKnex(db);
	await companyData();
	const r = await runCli(['install', ...login(), '--customers-collection', 'customers', ...(major >= 12 ? ['--no-app-access'] : [])]);
	expect(r.status, r.stderr).toBe(0);
	records.customer = await api.post('/items/cp_customers', { company_customer: 1 });
	records.contract = await api.post('/items/cp_contracts', {
		title: '纸箱年度合同 Carton supply 2027',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		customer: records.customer.id,
	});
	await api.post('/items/cp_contract_lines', {
		contract: records.contract.id,
		line_no: 1,
		product: 'Corrugated box',
		specification: '600x400x300',
		quantity: 1000,
		unit: 'pcs',
		unit_price: 10,
		delivery_date: '2027-01-15',
	});
	records.complaint = await api.post('/items/cp_complaints', {
		customer: records.customer.id,
		channel: 'phone',
		summary: '纸箱受潮 cartons damp',
		description: '=HYPERLINK("x") 华东仓库',
		received_at: new Date().toISOString(),
	});
}, 300_000);

afterAll(async () => {
	await knex?.destroy();
	if (server) await stopChild(server.child);
	if (work) rmSync(work, { recursive: true, force: true });
});

/** A refusal: exit 1, one line matching `message`, no stack trace. */
async function refused(args: string[], message: RegExp) {
	const r = await runCli(args);
	expect(r.status, r.stdout + r.stderr).toBe(1);
	const lines = r.stderr.trim().split('\n');
	expect(lines, r.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^\[remove\] error: /);
	expect(lines[0]).toMatch(message);
	expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('removal of the bundle (issue 13)', () => {
	it('refuses a non-admin, --drop without --yes, a folder in use and --drop while the bundle runs, in one line with nothing changed (X-3)', async () => {
		const company = await fingerprint(knex);
		const ours = await ourFingerprint(knex);
		const clerk = await connect({ url, email: 'clerk@example.com', password: 'clerk-pass-2026' });
		mkdirSync(join(work, 'used'));
		writeFileSync(join(work, 'used', 'notes.txt'), 'keep');
		await refused(['remove', '--url', url, '--token', String(clerk.token), '--export', join(work, 'clerk')], /not an admin .*an admin is needed/);
		await refused(removeArgs('no-yes', '--drop'), /--drop deletes the cp_ collections .*add --yes/);
		await refused(['remove', ...login()], /no export folder .*--export/);
		await refused(removeArgs('used'), /'.*used' exists and is not empty .*new or empty folder/);
		// The running bundle keeps its audit trail: the drop is refused before anything is exported or deleted.
		await refused(removeArgs('running', '--drop', '--yes'), /bundle is still enabled.*cp_audit .*disable the bundle .*restart Directus/);
		for (const d of ['clerk', 'no-yes', 'running']) expect(existsSync(join(work, d)), d).toBe(false);
		expect(readdirSync(join(work, 'used'))).toEqual(['notes.txt']);
		expect(await fingerprint(knex)).toEqual(company);
		expect(await ourFingerprint(knex)).toEqual(ours);
	});

	it('exports every cp_ collection as JSON and CSV, the ledger, the audit trail and the evidence pack of all time, and changes nothing (X-3, X-2, X-1)', async () => {
		const company = await fingerprint(knex);
		const ours = await ourFingerprint(knex);
		const r = await runCli(removeArgs('export'));
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain('[remove] cp_contracts: 1 rows');
		expect(r.stdout).toContain('[remove] cp_complaints: 1 rows');
		expect(r.stdout).toContain('nothing was changed');
		expect(r.stdout).toMatch(/--drop --yes/);
		expect(await fingerprint(knex)).toEqual(company);
		expect(await ourFingerprint(knex)).toEqual(ours);

		// Every cp_ collection and the ledger, as JSON and CSV, with the manifest's counts.
		const files = readdirSync(join(work, 'export'));
		const cp = (await tables()).filter((t) => t.startsWith('cp_'));
		expect(cp).toContain('cp_migrations');
		for (const t of cp) expect(files, t).toEqual(expect.arrayContaining([`${t}.json`, `${t}.csv`]));
		const manifest = json('export', 'manifest.json');
		for (const t of cp) expect(manifest.rows[t], t).toBe(Number((await knex(t).count({ n: '*' }).first())!.n));

		const contracts = json('export', 'cp_contracts.json');
		expect(contracts).toHaveLength(1);
		expect(contracts[0]).toMatchObject({ id: records.contract.id, code: records.contract.code, title: '纸箱年度合同 Carton supply 2027' });
		expect(json('export', 'cp_contract_lines.json')[0]).toMatchObject({ contract: records.contract.id, product: 'Corrugated box' });
		expect(json('export', 'cp_customers.json')[0]).toMatchObject({ id: records.customer.id, company_customer: 1, name: 'ACME 上海' });
		const complaints = json('export', 'cp_complaints.json');
		expect(complaints[0]).toMatchObject({ code: records.complaint.code, description: '=HYPERLINK("x") 华东仓库' });
		// the audit trail goes with the records: who created the complaint, and when.
		const audit = json('export', 'cp_audit.json');
		expect(audit.some((a: any) => a.collection === 'cp_complaints' && a.item === String(records.complaint.id) && a.action === 'create')).toBe(true);
		expect(json('export', 'cp_migrations.json').map((m: any) => m.id)).toEqual(expect.arrayContaining(['step:0.1.0', 'step:0.2.0', 'step:0.3.0']));

		// The CSV: a header and one line per row, for a spreadsheet (UTF-8 BOM; a formula is quoted).
		const csv = readFileSync(join(work, 'export', 'cp_complaints.csv'), 'utf8');
		expect(csv.startsWith('\uFEFF')).toBe(true);
		const [header, ...rows] = csv.slice(1).trim().split('\r\n');
		expect(header.split(',')).toEqual(expect.arrayContaining(['id', 'code', 'summary', 'received_at']));
		expect(rows).toHaveLength(1);
		expect(rows[0]).toContain(records.complaint.code);
		expect(rows[0]).toContain(`"'=HYPERLINK(""x"") 华东仓库"`);
		expect(readFileSync(join(work, 'export', 'cp_contracts.csv'), 'utf8')).toContain(records.contract.code);

		// the evidence pack of all time, with the complaint's filled form as a PDF.
		expect(manifest.evidence_pack.file).toMatch(/^evidence-pack_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.zip$/);
		const zip = unzip(readFileSync(join(work, 'export', manifest.evidence_pack.file)));
		const pdf = zip.get(`pdf/complaints/${records.complaint.code}.pdf`);
		expect(pdf, [...zip.keys()].join(', ')).toBeTruthy();
		expect(pdf!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(zip.get('complaints.csv')!.toString('utf8')).toContain(records.complaint.code);
	});

	it("with the bundle disabled, --drop --yes deletes the bundle's tables, roles, policies, presets, dashboard and module-bar entry and nothing of the company's (X-3)", async () => {
		// The administrator removes the bundle's folder and restarts Directus.
		await stopChild(server.child);
		rmSync(join(work, 'extensions', 'customer-processes'), { recursive: true });
		await start();

		// A user still in a department role would be suspended with it: refused, nothing changed.
		const sales = DEPARTMENTS.find((d) => d.key === 'sales')!;
		const user = await api.post('/users', { email: 'sales@example.com', password: 'sales-pass-2026', role: sales.role });
		const ours = await ourFingerprint(knex);
		await refused(removeArgs('drop-refused', '--drop', '--yes'), /1 users still have a department role .*sales@example\.com.*another role first/);
		expect(existsSync(join(work, 'drop-refused'))).toBe(false);
		expect(await ourFingerprint(knex)).toEqual(ours);
		await api.patch(`/users/${user.id}`, { role: companyRole });
		// A company field linking to a cp_ collection: Directus would delete it with the collection. Refused.
		await api.post('/fields/orders', { field: 'contract', type: 'uuid', meta: { interface: 'select-dropdown-m2o', special: ['m2o'] }, schema: {} });
		await api.post('/relations', { collection: 'orders', field: 'contract', related_collection: 'cp_contracts' });
		const linked = await fingerprint(knex);
		const linkedOurs = await ourFingerprint(knex);
		await refused(removeArgs('drop-linked', '--drop', '--yes'), /company data depends on the cp_ collections: orders\.contract .*remove those fields/);
		expect(existsSync(join(work, 'drop-linked'))).toBe(false);
		expect(await fingerprint(knex)).toEqual(linked);
		expect(await ourFingerprint(knex)).toEqual(linkedOurs);
		await api.del('/fields/orders/contract');

		const company = await fingerprint(knex);
		const r = await runCli(removeArgs('drop', '--drop', '--yes'));
		expect(r.status, r.stdout + r.stderr).toBe(0);
		expect(r.stdout).toContain('[remove] cp_contracts: 1 rows');
		expect(r.stdout).toContain('[remove] dropped cp_audit');

		// Nothing of the bundle is left.
		expect((await tables()).filter((t) => t.startsWith('cp_'))).toEqual([]);
		for (const t of [
			'directus_roles',
			'directus_policies',
			'directus_access',
			'directus_permissions',
			'directus_presets',
			'directus_dashboards',
			'directus_panels',
		]) {
			const left = (await knex(t).select('*'))
				.map((row: any) => JSON.stringify(row))
				.filter((j: string) => OUR_IDS.some((id) => j.includes(id)) || j.includes(DASHBOARD_ID) || /"cp_/.test(j));
			expect(left, t).toEqual([]);
		}
		expect(await knex('directus_collections').where('collection', 'like', 'cp_%').count({ n: '*' }).first()).toMatchObject({ n: 0 });
		expect(await knex('directus_relations').where('many_collection', 'like', 'cp_%').count({ n: '*' }).first()).toMatchObject({ n: 0 });
		// The company's module bar as it was before the install.
		expect((await api.get('/settings?fields=module_bar')).module_bar).toEqual(companyBar);
		// Every company row and directus_* row is the same: its customers (once linked), orders, role,
		// policy, permissions, users, preset, dashboard, flow, fields and relations.
		expect(await fingerprint(knex)).toEqual(company);
		expect((await knex('customers').select('name')).map((c: any) => c.name)).toEqual(['ACME 上海']);
		expect((await api.get('/users/' + user.id)).status).toBe('active');

		// The drop exported first: the records are in its folder too (the evidence pack came with the export while the bundle ran).
		expect(json('drop', 'cp_contracts.json')[0]).toMatchObject({ id: records.contract.id });
		expect(json('drop', 'manifest.json').evidence_pack).toBeNull();
		expect(existsSync(join(work, 'export', 'manifest.json'))).toBe(true);
	});
});
