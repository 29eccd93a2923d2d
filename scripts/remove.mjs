// Removal of the bundle's data (issue 13): `directus-extension-customer-processes remove`.
//
//   remove --export <dir>                 exports every cp_ collection (JSON and CSV, all rows), the
//                                         cp_migrations ledger, the evidence pack of all time and a
//                                         manifest; changes nothing.
//   remove --export <dir> --drop --yes    exports the same, then deletes the cp_ collections, the
//                                         ledger, the department roles and policies (their
//                                         permissions and access), the presets of cp_ collections,
//                                         the Insights dashboard and our module-bar entry.
//
// Nothing else is deleted or changed: no company collection, field or relation, no other role,
// policy, preset, flow or dashboard, the company's module bar otherwise as it is. Everything is
// checked before the first write (preflight): a refusal is one line with the fix and nothing changed.
// The running bundle protects its audit trail (cp_audit, X-3) from deletion, so --drop runs with
// the bundle disabled (Settings > Extensions, or its folder removed) and Directus restarted; the
// evidence pack comes from the bundle, so it is taken by an export while the bundle still runs.
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InstallError, maybe } from './install.mjs';
import { DEPARTMENTS, STAFF_POLICY } from '../seeds/departments.mjs';
import { DASHBOARD_ID } from '../seeds/dashboard.mjs';
import { LEDGER_TABLE } from './migrations/steps.mjs';

const MODULE = 'customer-processes';
const ROLES = DEPARTMENTS.map((d) => d.role);
const POLICIES = [STAFF_POLICY.id, ...DEPARTMENTS.map((d) => d.policy)];
const ours = (name) => typeof name === 'string' && name.startsWith('cp_');
const PAGE = 1000;

const inList = (ids) => ids.map(encodeURIComponent).join(',');

/** The bundle's own directus_* rows, found by their fixed ids or their cp_ collection. */
async function ownRows(api) {
	const policies = await api.get(`/policies?filter[id][_in]=${inList(POLICIES)}&fields=id&limit=-1`);
	const roles = await api.get(`/roles?filter[id][_in]=${inList(ROLES)}&fields=id&limit=-1`);
	const permissions = await api.get(`/permissions?filter[policy][_in]=${inList(POLICIES)}&fields=id&limit=-1`);
	const access = await api.get(`/access?filter[_or][0][role][_in]=${inList(ROLES)}&filter[_or][1][policy][_in]=${inList(POLICIES)}&fields=id&limit=-1`);
	const presets = await api.get('/presets?filter[collection][_starts_with]=cp_&fields=id&limit=-1');
	const dashboard = await maybe(api, `/dashboards/${DASHBOARD_ID}?fields=id`);
	const panels = await api.get(`/panels?filter[dashboard][_eq]=${DASHBOARD_ID}&fields=id&limit=-1`);
	const ids = (rows) => (rows ?? []).map((r) => r.id);
	return {
		policies: ids(policies),
		roles: ids(roles),
		permissions: ids(permissions),
		access: ids(access),
		presets: ids(presets),
		dashboard: dashboard ? [DASHBOARD_ID] : [],
		panels: ids(panels),
	};
}

/** What the company has that a drop of the cp_ collections would change: each is a refusal. */
function foreignLinks(collections, relations) {
	const found = [];
	for (const r of relations) {
		const oneField = r.meta?.one_field;
		if (!ours(r.collection) && ours(r.related_collection)) found.push(`${r.collection}.${r.field} (links to ${r.related_collection})`);
		if (ours(r.collection) && r.related_collection && !ours(r.related_collection) && oneField)
			found.push(`${r.related_collection}.${oneField} (lists ${r.collection})`);
		if (!ours(r.collection) && (r.meta?.one_allowed_collections ?? []).some(ours)) found.push(`${r.collection}.${r.field} (may link to cp_ collections)`);
	}
	for (const c of collections) if (!ours(c.collection) && ours(c.meta?.group)) found.push(`${c.collection} (in the folder ${c.meta.group})`);
	return found;
}

/** Children first: a collection is dropped once no other remaining one links to it; cp_audit first. */
export function dropOrder(names, relations) {
	const left = new Set(names);
	const order = [];
	while (left.size) {
		const free = [...left].filter((c) => !relations.some((r) => r.related_collection === c && r.collection !== c && left.has(r.collection)));
		const pick = free.includes('cp_audit') ? 'cp_audit' : (free.sort()[0] ?? [...left].sort()[0]);
		order.push(pick);
		left.delete(pick);
	}
	return order;
}

/**
 * Everything checked before the first write. Returns what the removal exports and, with drop,
 * deletes, as lines for a person and the numbers behind them.
 */
export async function planRemoval(api, { dir, drop = false }) {
	const globals = await maybe(api, '/policies/me/globals');
	if (!globals?.admin_access)
		throw new InstallError('the account is not an admin', 'an admin is needed: use the e-mail/password or token of a user with admin access');
	if (!dir) throw new InstallError('no export folder', 'pass --export <folder>: the records are always exported first');
	const target = resolve(dir);
	if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length))
		throw new InstallError(`the export folder '${dir}' exists and is not empty`, 'pass --export with a new or empty folder');
	const collections = await api.get('/collections?limit=-1');
	const names = collections.map((c) => c.collection).filter(ours);
	const present = names.filter((c) => c !== LEDGER_TABLE).sort();
	const ledger = names.includes(LEDGER_TABLE) || (await maybe(api, `/items/${LEDGER_TABLE}?limit=1&fields=id`)) !== null;
	const meta = Object.fromEntries(collections.map((c) => [c.collection, c.meta]));
	const fields = {};
	for (const c of [...present, ...(ledger ? [LEDGER_TABLE] : [])]) {
		const list = await api.get(`/fields/${c}`);
		const columns = list.filter((f) => f.schema);
		fields[c] = {
			columns: columns.map((f) => f.field),
			pk: columns.find((f) => f.schema.is_primary_key)?.field ?? 'id',
			singleton: Boolean(meta[c]?.singleton),
		};
	}
	const info = await maybe(api, '/cp/info');
	const running = Boolean(info?.bundle);
	const lines = [
		`export: ${present.length} cp_ collections${ledger ? ` and ${LEDGER_TABLE}` : ''} as JSON and CSV into ${target}`,
		running ? 'evidence pack: of all time, from the running bundle' : 'evidence pack: not available, the bundle is disabled (taken by an export while it runs)',
	];
	const plan = { dir: target, drop, present, ledger, fields, running, version: info?.version ?? null, lines, own: null, bar: null };
	if (!drop) return plan;

	if (running)
		throw new InstallError(
			'the bundle is still enabled: it keeps its audit trail cp_audit from being deleted',
			`export with 'remove --export <folder>' while it runs (that takes the evidence pack), then disable the bundle (Settings > Extensions, or remove its folder), restart Directus and run 'remove --export <new folder> --drop --yes'`,
		);
	const relations = await api.get('/relations?limit=-1');
	const links = foreignLinks(collections, relations);
	if (links.length)
		throw new InstallError(
			`company data depends on the cp_ collections: ${links.join(', ')}`,
			'remove those fields or folders from the company collections first (Settings > Data model), then run again',
		);
	plan.own = await ownRows(api);
	const users = plan.own.roles.length ? await api.get(`/users?filter[role][_in]=${inList(plan.own.roles)}&fields=email,id&limit=-1`) : [];
	if (users.length)
		throw new InstallError(
			`${users.length} users still have a department role of the bundle (${users
				.slice(0, 3)
				.map((u) => u.email ?? u.id)
				.join(', ')}${users.length > 3 ? ', …' : ''}); Directus would suspend them with the role`,
			'give them another role first (User Directory), then run again',
		);
	const settings = await api.get('/settings?fields=module_bar');
	const bar = Array.isArray(settings?.module_bar) ? settings.module_bar : null;
	if (bar?.some((m) => m.id === MODULE)) plan.bar = bar.filter((m) => m.id !== MODULE);
	plan.order = [...dropOrder(present, relations), ...(ledger ? [LEDGER_TABLE] : [])];
	const o = plan.own;
	lines.push(
		`drop: ${plan.order.length} tables (${plan.order.join(', ')})`,
		`drop: ${o.roles.length} roles, ${o.policies.length} policies, ${o.permissions.length} permissions, ${o.access.length} role/policy links, ${o.presets.length} presets, ${o.dashboard.length} dashboard with ${o.panels.length} panels${plan.bar ? ', our module-bar entry' : ''}`,
	);
	return plan;
}

// ---------------------------------------------------------------- export

const CSV_FORMULA = /^[=+\-@\t\r]/;
function csvCell(v) {
	if (v === null || v === undefined) return '';
	let s = typeof v === 'object' ? JSON.stringify(v) : String(v);
	// Spreadsheets run text starting with = + - @ as a formula (as in the evidence pack); the JSON keeps the value as it is.
	if (typeof v === 'string' && CSV_FORMULA.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns, rows) {
	const lines = [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))];
	// BOM: spreadsheet programs then read the Chinese text as UTF-8.
	return `\uFEFF${lines.join('\r\n')}\r\n`;
}

async function readAll(api, collection, { columns, pk, singleton }) {
	const fields = columns.map(encodeURIComponent).join(',');
	if (singleton) {
		const row = await api.get(`/items/${collection}?fields=${fields}`);
		return row && row[pk] != null ? [row] : [];
	}
	const rows = [];
	for (let offset = 0; ; offset += PAGE) {
		const page = await api.get(`/items/${collection}?fields=${fields}&sort=${encodeURIComponent(pk)}&limit=${PAGE}&offset=${offset}`);
		rows.push(...page);
		if (page.length < PAGE) return rows;
	}
}

const DAY = 24 * 3600e3;
const isoDay = (t) => new Date(t).toISOString().slice(0, 10);

/** All time: from the day before the earliest record to the day after today (any time zone). */
export function allTime(rowsByCollection, now = Date.now()) {
	let first = now;
	for (const rows of Object.values(rowsByCollection))
		for (const r of rows)
			for (const k of ['date_created', 'received_at', 'occurred_at', 'at']) {
				const t = r[k] == null ? NaN : new Date(r[k]).getTime();
				if (t < first) first = t;
			}
	return { from: isoDay(first - DAY), to: isoDay(now + DAY) };
}

export async function exportAll(api, plan, { log = console.log } = {}) {
	mkdirSync(plan.dir, { recursive: true });
	const counts = {};
	const data = {};
	for (const c of [...plan.present, ...(plan.ledger ? [LEDGER_TABLE] : [])]) {
		const spec = plan.fields[c];
		const rows = await readAll(api, c, spec);
		data[c] = rows;
		writeFileSync(join(plan.dir, `${c}.json`), `${JSON.stringify(rows, null, '\t')}\n`);
		writeFileSync(join(plan.dir, `${c}.csv`), toCsv(spec.columns, rows));
		counts[c] = rows.length;
		log(`[remove] ${c}: ${rows.length} rows`);
	}
	let evidence = null;
	const period = allTime(data);
	if (plan.running) {
		const zip = await api.download(`/cp/evidence-pack?from=${period.from}&to=${period.to}`);
		evidence = `evidence-pack_${period.from}_${period.to}.zip`;
		writeFileSync(join(plan.dir, evidence), zip);
		log(`[remove] evidence pack: ${evidence} (${zip.length} bytes)`);
	} else log('[remove] evidence pack: not taken, the bundle is disabled (the export taken while it ran has it)');
	const manifest = {
		bundle: 'directus-extension-customer-processes',
		bundle_version: plan.version,
		directus: api.url,
		exported_at: new Date().toISOString(),
		rows: counts,
		files: Object.keys(counts).flatMap((c) => [`${c}.json`, `${c}.csv`]),
		evidence_pack: evidence ? { file: evidence, ...period } : null,
	};
	writeFileSync(join(plan.dir, 'manifest.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
	log(`[remove] manifest.json: ${Object.values(counts).reduce((a, b) => a + b, 0)} rows in ${Object.keys(counts).length} tables`);
	return manifest;
}

// ---------------------------------------------------------------- drop

async function deleteMany(api, path, ids) {
	for (let i = 0; i < ids.length; i += 100) await api.request('DELETE', path, ids.slice(i, i + 100));
}

/** After exportAll(): deletes what planRemoval() listed, and nothing else. */
export async function dropAll(api, plan, { log = console.log } = {}) {
	for (const c of plan.order) {
		try {
			await api.del(`/collections/${c}`);
		} catch (e) {
			// Disabled without a restart, the bundle's guard of its audit trail still answers (cp_audit is
			// dropped first, so nothing has been deleted yet).
			if (c === 'cp_audit' && JSON.stringify(e.body ?? '').includes('CP_RETAINED'))
				throw new InstallError(
					'Directus still runs the bundle, which keeps cp_audit from being deleted',
					'restart Directus after disabling the bundle, then run again',
				);
			throw e;
		}
		log(`[remove] dropped ${c}`);
	}
	// Re-read: Directus removed the presets and permissions of the dropped collections itself.
	const own = await ownRows(api);
	await deleteMany(api, '/presets', own.presets);
	await deleteMany(api, '/panels', own.panels);
	if (own.dashboard.length) await api.del(`/dashboards/${DASHBOARD_ID}`);
	await deleteMany(api, '/access', own.access);
	await deleteMany(api, '/permissions', own.permissions);
	await deleteMany(api, '/policies', own.policies);
	await deleteMany(api, '/roles', own.roles);
	log(
		`[remove] removed ${plan.own.roles.length} roles, ${plan.own.policies.length} policies and their permissions, ${plan.own.presets.length} presets, ${plan.own.dashboard.length} dashboard`,
	);
	if (plan.bar) {
		// The bar as it is now, without our entry only.
		const settings = await api.get('/settings?fields=module_bar');
		const bar = Array.isArray(settings?.module_bar) ? settings.module_bar : [];
		await api.patch('/settings', { module_bar: bar.filter((m) => m.id !== MODULE) });
		log('[remove] module bar: our entry removed');
	}
}

/** The whole command: preflight, export, and with drop the deletion. */
export async function remove(api, { dir, drop = false }, { log = console.log } = {}) {
	const plan = await planRemoval(api, { dir, drop });
	for (const line of plan.lines) log(`[remove] ${line}`);
	const manifest = await exportAll(api, plan, { log });
	if (!drop) {
		log(`[remove] done: exported to ${plan.dir}; nothing was changed`);
		log(
			`[remove] next: keep the folder; to delete the data, disable the bundle (Settings > Extensions, or remove its folder), restart Directus and run 'remove --export <new folder> --drop --yes'`,
		);
		return { plan, manifest };
	}
	await dropAll(api, plan, { log });
	log(
		`[remove] done: the bundle's data is removed; the export is in ${plan.dir}; files uploaded to the records stay in the file library; remove the bundle from the extensions folder if it is still there`,
	);
	return { plan, manifest };
}
