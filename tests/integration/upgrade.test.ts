// Issue 13: upgrading keeps what the company changed. A vanilla Directus gets the previous
// release (0.1.0, commit 7e4c2bf, taken from git history and run with its own installer); the
// company then edits a field note, maps the Sales department to its own role, removes a
// permission, takes our module off its bar, edits the ledger bookmark and records data. The
// current installer upgrades it (0.2.0: the ledger of applied steps; 0.3.0: the review rounds'
// submission times filled from the audit trail, the dashboard laid out for 1366 px; 0.4.0: the
// jobs' composite indexes, issue 14) and every change survives;
// a further customisation survives a re-run too, and each step is recorded once.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../harness/run';
import type { Knex } from 'knex';
import { ROOT, baseConfig, bootstrap, dbSettings, hostPaths, startDirectus, stopChild, writeConfig } from '../../scripts/lib/host.mjs';
import { connect } from '../../scripts/lib/api.mjs';
import { databaseKnex, freePort } from '../harness/harness.mjs';
import { fingerprint } from '../harness/fingerprint';
import { DEPARTMENTS, STAFF_POLICY } from '../../seeds/departments.mjs';
import { INDEXES } from '../../extensions/customer-processes/src/services/indexes';

const PREVIOUS_RELEASE = '7e4c2bf';
const ADMIN = { email: 'admin@example.com', password: 'company-admin-2026' };
const host = hostPaths(process.env.CP_HOST_DIR ?? ROOT);
const major = Number(host.version().split('.')[0]);
const LEDGER_BOOKMARK = '合同台账 Contract ledger';
// The bundle's dashboard and two of its panels (fixed ids since 0.1.0: seeds/dashboard.mjs).
const DASHBOARD = 'c0ffee00-0000-4000-8000-0000000d0000';
const PANEL = { openDiscrepancies: 'c0ffee00-0000-4000-8000-0000000d0003', blockedProperty: 'c0ffee00-0000-4000-8000-0000000d0010' };

let work: string;
let url: string;
let server: Awaited<ReturnType<typeof startDirectus>>;
let knex: Knex;
let api: Awaited<ReturnType<typeof connect>>;

function installer(script: string, cwd: string) {
	const args = ['--url', url, '--email', ADMIN.email, '--password', ADMIN.password, ...(major >= 12 ? ['--no-app-access'] : [])];
	return run(host.node, [script, ...args], cwd);
}

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), 'cp-upgrade-'));
	const old = join(work, 'previous-release');
	mkdirSync(old);
	execFileSync('sh', ['-c', `git archive ${PREVIOUS_RELEASE} scripts seeds snapshots extensions/customer-processes/src/domain | tar -x -C ${old}`], {
		cwd: ROOT,
	});
	writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'company-directus', private: true }));
	const port = await freePort();
	url = `http://127.0.0.1:${port}`;
	const db = dbSettings('sqlite', { name: 'company', dataDir: work });
	const config = writeConfig(join(work, 'directus.env'), {
		...baseConfig({ port, dataDir: work }),
		...db,
		ADMIN_EMAIL: ADMIN.email,
		ADMIN_PASSWORD: ADMIN.password,
		PRESSURE_LIMITER_ENABLED: 'false',
		// The complaints tick also opens the quarter's surveys: left to a minute schedule it could add one
		// between the two fingerprints of a run that must change nothing (the other schedules still run).
		CP_COMPLAINTS_CRON: '0 0 1 1 *',
	});
	bootstrap(host, config, { cwd: work });
	server = await startDirectus(host, config, { url, cwd: work });
	api = await connect({ url, ...ADMIN });
	knex = databaseKnex(db);
	const r = await installer(join(old, 'scripts/install.mjs'), old);
	expect(r.status, r.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
	await knex?.destroy();
	if (server) await stopChild(server.child);
	if (work) rmSync(work, { recursive: true, force: true });
});

const sales = DEPARTMENTS.find((d) => d.key === 'sales')!;
const note = async (collection: string, field: string) => (await api.get(`/fields/${collection}/${field}`)).meta?.note;
const staffPermission = async (collection: string, action: string) =>
	(await api.get(`/permissions?filter[policy][_eq]=${STAFF_POLICY.id}&filter[collection][_eq]=${collection}&filter[action][_eq]=${action}`)).length;

describe('upgrade from the previous release keeps the company changes (issue 13)', () => {
	it('upgrades 0.1.0 to 0.4.0 without undoing a field note, the department map, a removed permission, the module bar, a bookmark, a moved dashboard panel or data', async () => {
		// The company's changes after installing 0.1.0.
		await api.patch('/fields/cp_contracts/title', { meta: { note: '客户合同名称（公司规定）' } });
		const ownRole = await api.post('/roles', { name: 'Vertrieb / 我们的销售部', icon: 'sell' });
		const settings = await api.get('/items/cp_settings');
		await api.patch('/items/cp_settings', { departments: { ...settings.departments, sales: ownRole.id } });
		const audit = await api.get(`/permissions?filter[policy][_eq]=${STAFF_POLICY.id}&filter[collection][_eq]=cp_audit&filter[action][_eq]=read`);
		expect(audit).toHaveLength(1);
		await api.del(`/permissions/${audit[0].id}`);
		const { module_bar } = await api.get('/settings?fields=module_bar');
		const bar = [
			...module_bar.filter((m: any) => m.id !== 'customer-processes'),
			{ type: 'link', id: 'wiki', enabled: true, name: 'Wiki', icon: 'link', url: 'https://wiki.example.com' },
		];
		await api.patch('/settings', { module_bar: bar });
		const [ledger] = await api.get(`/presets?filter[bookmark][_eq]=${encodeURIComponent(LEDGER_BOOKMARK)}`);
		await api.patch(`/presets/${ledger.id}`, { layout_query: { tabular: { fields: ['code', 'customer'], sort: ['code'], limit: 25 } } });
		const customer = await api.post('/items/cp_customers', { name: '老客户 Old customer', code: 'OLD-1' });
		// A contract in review, as 0.1.0 recorded it: the round's submission only on the audit trail.
		const inReview = randomUUID();
		const submittedAt = new Date('2026-03-02T01:30:00.000Z');
		await knex('cp_contracts').insert({
			id: inReview,
			code: 'HT-OLD-1',
			title: '老合同 Old contract',
			kind: 'contract',
			channel: 'written',
			class: 'regular',
			customer: customer.id,
			status: 'in_review',
			review_round: 1,
			review_route: 'regular',
		});
		const auditRow = (at: Date, action: string) => ({
			at,
			collection: 'cp_contracts',
			item: inReview,
			action,
			from_status: 'draft',
			to_status: 'in_review',
			data: JSON.stringify({ round: 1, route: 'regular' }),
			date_created: at,
		});
		await knex('cp_audit').insert([auditRow(new Date('2026-03-01T08:00:00.000Z'), 'submitted'), auditRow(submittedAt, 'resubmitted')]);
		// A completion as 0.3.0 records it: the round's hours in its JSON only (0.4.0 gives them columns).
		await knex('cp_audit').insert({
			...auditRow(new Date('2026-03-03T01:30:00.000Z'), 'review_completed'),
			item: randomUUID(),
			data: JSON.stringify({ round: 1, route: 'regular', submitted_at: submittedAt.toISOString(), hours: 48 }),
		});
		// 0.1.0's dashboard is three columns for 1440 px: open discrepancies at the top right (x 37).
		// The company moves the blocked-property panel; it must stay where the company put it.
		expect(await api.get(`/panels/${PANEL.openDiscrepancies}?fields=position_x,position_y`)).toEqual({ position_x: 37, position_y: 1 });
		await api.patch(`/panels/${PANEL.blockedProperty}`, { position_x: 1, position_y: 50, width: 20 });
		const company = await fingerprint(knex);

		const r = await installer(join(ROOT, 'scripts/install.mjs'), work);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain('installed 0.1.0 (before the ledger), package 0.4.0');
		expect(r.stdout).toContain('schema version 0.4.0');
		// 0.4.0 (issue 14): the completion's route and hours in their columns, and the completions index.
		expect(r.stdout).toContain('cp_audit: 1 review completion(s) given their route and hours columns; completions index created');
		const completion = await knex('cp_audit').where({ action: 'review_completed' }).first('review_route', 'cycle_hours');
		expect([completion.review_route, Number(completion.cycle_hours)]).toEqual(['regular', 48]);
		// 0.3.0: the contract's round started with its latest submission (X-4 cycle time).
		expect(r.stdout).toContain('cp_contracts.review_submitted_at filled from the audit trail: 1 contract(s)');
		expect(new Date((await api.get(`/items/cp_contracts/${inReview}?fields=review_submitted_at`)).review_submitted_at).toISOString()).toBe(
			submittedAt.toISOString(),
		);
		expect((await api.get('/fields/cp_audit/action')).schema.is_indexed).toBe(true);
		// X-4 / issue 12: the dashboard fits 1366 px: two columns of 18 units, open discrepancies under
		// reviews waiting (x 1, y 13); the panel the company moved is where it put it.
		expect(await api.get(`/panels/${PANEL.openDiscrepancies}?fields=position_x,position_y,width`)).toEqual({ position_x: 1, position_y: 13, width: 18 });
		expect(await api.get(`/panels/${PANEL.blockedProperty}?fields=position_x,position_y,width`)).toEqual({ position_x: 1, position_y: 50, width: 20 });
		const panels = await api.get(`/panels?filter[dashboard][_eq]=${DASHBOARD}&fields=position_x,width&limit=-1`);
		expect(panels.filter((p: any) => p.position_x + p.width > 37)).toEqual([]);
		expect(r.stdout).toContain('dashboard: 9 panels laid out for 1366 px, 1 left where the company put them');
		// 0.4.0 (issue 14): the jobs' composite indexes, which 0.1.0 did not have, on the upgraded tables.
		// (The completions index among them came with the completions' columns, just before.)
		expect(r.stdout).toContain(`the jobs' indexes: ${INDEXES.length - 1} created, 1 present`);
		for (const ix of INDEXES) {
			const cols = (await knex.raw(`select name from pragma_index_info(?)`, [ix.name])).map((c: any) => c.name);
			expect(cols, ix.name).toEqual([...ix.columns]);
		}

		expect(await note('cp_contracts', 'title')).toBe('客户合同名称（公司规定）');
		expect((await api.get('/items/cp_settings')).departments.sales).toBe(ownRole.id);
		expect(await staffPermission('cp_audit', 'read')).toBe(0);
		expect((await api.get('/settings?fields=module_bar')).module_bar).toEqual(bar);
		expect((await api.get(`/presets/${ledger.id}`)).layout_query.tabular.fields).toEqual(['code', 'customer']);
		expect((await api.get(`/items/cp_customers/${customer.id}`)).name).toBe('老客户 Old customer');
		expect(await fingerprint(knex)).toEqual(company);
		// The department roles of 0.1.0 are still there, the department the company remapped included.
		expect((await api.get(`/roles/${sales.role}`)).id).toBe(sales.role);
		// What 0.2.0 changes in behaviour reaches the upgraded instance: the contract number is no longer
		// typed (numbered automatically), the status moves only by the next steps, the contract page lists
		// its lines, and an e-mail from an unknown sender can wait in triage without a customer.
		const code = (await api.get('/fields/cp_contracts/code')).meta;
		expect(code.required).toBe(false);
		expect((await api.get('/fields/cp_contracts/status')).meta.readonly).toBe(true);
		expect((await api.get('/relations/cp_contract_lines/contract')).meta.one_field).toBe('lines');
		expect((await api.get('/fields/cp_communications/customer')).schema.is_nullable).toBe(true);
	});

	it('re-running the installer after more changes keeps them, and records each step once', async () => {
		await api.patch('/fields/cp_complaints/summary', { meta: { note: '一句话概括' } });
		const before = await staffPermission('cp_review_lines', 'update');
		expect(before).toBe(1);
		const [perm] = await api.get(`/permissions?filter[policy][_eq]=${STAFF_POLICY.id}&filter[collection][_eq]=cp_review_lines&filter[action][_eq]=update`);
		await api.del(`/permissions/${perm.id}`);
		const r = await installer(join(ROOT, 'scripts/install.mjs'), work);
		expect(r.status, r.stderr).toBe(0);
		expect(r.stdout).toContain('installed 0.4.0, package 0.4.0');
		expect(r.stdout).toContain('0 roles/policies/presets created, 0 permissions added, 0 departments mapped');
		expect(await note('cp_complaints', 'summary')).toBe('一句话概括');
		expect(await note('cp_contracts', 'title')).toBe('客户合同名称（公司规定）');
		expect(await staffPermission('cp_review_lines', 'update')).toBe(0);
		const steps = (await knex('cp_migrations').where('id', 'like', 'step:%').select('id')).map((s: any) => s.id).sort();
		expect(steps).toEqual(['step:0.1.0', 'step:0.2.0', 'step:0.3.0', 'step:0.4.0']);
	});
});
