#!/usr/bin/env node
// Installs the customer-processes schema and department roles into a running Directus,
// additively: only creations and changes of cp_ collections, fields and relations are applied,
// never a deletion and never a change outside cp_. Running it twice changes nothing.
//
//   node scripts/install.mjs --url http://127.0.0.1:8055 --email admin@example.com --password ...
//   (or DIRECTUS_URL / DIRECTUS_TOKEN / ADMIN_EMAIL / ADMIN_PASSWORD in the environment)
//   --schema-only | --roles-only, --no-app-access (department policies without app access,
//   for hosts whose licence counts app seats), --customers-collection <name> (link our
//   customers to the company's own collection)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect } from './lib/api.mjs';
import { ROOT } from './lib/host.mjs';
import { ACTIONS, DEPARTMENTS, PERMISSION_FIELDS, PERMISSIONS, STAFF_POLICY } from '../seeds/departments.mjs';
import { seedDashboard } from '../seeds/dashboard.mjs';

export const SNAPSHOT_FILE = join(ROOT, 'snapshots/customer-processes.json');

const ours = (name) => typeof name === 'string' && name.startsWith('cp_');
/** A top-level 'D' without a path removes the whole collection/field/relation. */
const isRemoval = (entry) => entry.diff?.some((d) => d.kind === 'D' && !d.path);

/**
 * The snapshot is written on SQLite; other vendors report the same column with another
 * data_type, length or default representation. For a field that exists, apply only what is
 * portable: its metadata (labels, notes, interface) and nullability/uniqueness/index flags.
 */
const PORTABLE_SCHEMA = new Set(['is_nullable', 'is_unique', 'is_indexed']);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
/** True when every key the snapshot sets already has that value on the host (newer hosts add keys). */
const covers = (host, snap) => host && snap && typeof host === 'object' && typeof snap === 'object' && Object.entries(snap).every(([k, v]) => same(host[k], v));
const portableEdits = (entry) => {
	if (entry.diff?.some((d) => !d.path)) return entry; // a creation: take it whole
	const diff = entry.diff.filter(
		(d) =>
			d.kind !== 'D' && // a property only the host knows (a newer Directus's meta key) stays
			!(d.kind === 'E' && covers(d.lhs, d.rhs)) &&
			// Indexes are only ever added: MariaDB indexes every foreign key by itself.
			!(d.path[0] === 'schema' && ['is_indexed', 'is_unique'].includes(d.path[1]) && d.rhs !== true) &&
			// Our primary keys are all `id`; vendors describe them differently and altering one
			// would redefine the key (MariaDB: "Multiple primary key defined").
			(d.path[0] === 'meta' || (d.path[0] === 'schema' && PORTABLE_SCHEMA.has(d.path[1]) && entry.field !== 'id')),
	);
	return diff.length ? { ...entry, diff } : null;
};

/** Keeps only additions and changes of our own collections: what makes the install additive. */
export function additiveDiff(diff) {
	const keep = (list) =>
		(list ?? [])
			.filter((e) => ours(e.collection) && !isRemoval(e))
			.map(portableEdits)
			.filter(Boolean);
	return {
		collections: keep(diff.collections),
		fields: keep(diff.fields),
		systemFields: keep(diff.systemFields),
		relations: keep(diff.relations),
	};
}

export async function installSchema(api, { snapshot = JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')), log = console.log } = {}) {
	// Directus refuses a snapshot from another version or vendor unless forced; the
	// definitions are portable (the suite applies the same file on SQLite, PostgreSQL, MariaDB).
	const result = await api.post('/schema/diff?force=true', snapshot);
	if (!result || !result.diff) {
		log('[install] schema: already up to date');
		return { collections: 0, fields: 0, relations: 0 };
	}
	const diff = additiveDiff(result.diff);
	const counts = { collections: diff.collections.length, fields: diff.fields.length, relations: diff.relations.length };
	const skipped = {
		collections: (result.diff.collections?.length ?? 0) - counts.collections,
		fields: (result.diff.fields?.length ?? 0) - counts.fields,
		relations: (result.diff.relations?.length ?? 0) - counts.relations,
	};
	if (!counts.collections && !counts.fields && !counts.relations) {
		log(`[install] schema: cp_ collections up to date (left ${JSON.stringify(skipped)} outside-cp_/removal entries alone)`);
		return counts;
	}
	log(
		`[install] schema: applying ${counts.collections} collection, ${counts.fields} field, ${counts.relations} relation changes (left ${JSON.stringify(skipped)} alone)`,
	);
	await api.post('/schema/apply', { hash: result.hash, diff });
	return counts;
}

async function exists(api, path) {
	try {
		await api.get(path);
		return true;
	} catch (e) {
		if (e.status === 403 || e.status === 404) return false;
		throw e;
	}
}

async function ensurePolicy(api, { id, name, description, app_access, icon }) {
	if (await exists(api, `/policies/${id}`)) return false;
	await api.post('/policies', { id, name, description, icon, app_access, admin_access: false, enforce_tfa: false });
	return true;
}

async function ensurePermissions(api, policy, table, fields = {}) {
	const existing = await api.get(`/permissions?filter[policy][_eq]=${policy}&limit=-1&fields=collection,action`);
	const have = new Set(existing.map((p) => `${p.collection}:${p.action}`));
	const missing = [];
	for (const [collection, letters] of Object.entries(table)) {
		for (const l of letters) {
			const action = ACTIONS[l];
			if (!have.has(`${collection}:${action}`))
				missing.push({ policy, collection, action, fields: fields[collection]?.[action] ?? ['*'], permissions: null, validation: null });
		}
	}
	if (missing.length) await api.post('/permissions', missing);
	return missing.length;
}

export const LEDGER_BOOKMARK = '合同台账 Contract ledger';

/** The columns everyone sees first in each list (a global default preset, editable per user). */
export const DEFAULT_COLUMNS = {
	cp_contracts: ['code', 'title', 'customer', 'kind', 'class', 'status', 'review_route', 'delivery_date'],
	cp_review_lines: ['contract', 'department', 'round', 'decision', 'opinion', 'signed_by', 'signed_at'],
	cp_discrepancies: ['contract', 'raised_by_department', 'clause', 'problem', 'status', 'resolved_at', 'closed_at'],
	cp_task_notices: ['contract', 'department', 'issued_at', 'due_at', 'acknowledged_by', 'acknowledged_at'],
	cp_changes: ['contract', 'kind', 'description', 'status', 'consequence', 'customer_consent_at'],
	cp_complaints: ['code', 'customer', 'summary', 'status', 'response_due_at', 'responded_at', 'response_breached'],
	cp_actions: ['title', 'owner', 'department', 'due_at', 'status'],
	cp_communications: ['type', 'customer', 'occurred_at', 'summary', 'survey_status', 'score'],
	cp_property: ['code', 'name', 'kind', 'customer', 'status', 'location', 'next_check_due'],
	cp_property_events: ['property', 'type', 'occurred_at', 'result', 'from_location', 'to_location', 'user_created'],
	cp_audit: ['at', 'user', 'department', 'collection', 'item', 'action', 'from_status', 'to_status'],
};

async function ensureDefaultLayouts(api) {
	let created = 0;
	for (const [collection, fields] of Object.entries(DEFAULT_COLUMNS)) {
		const found = await api.get(
			`/presets?filter[collection][_eq]=${collection}&filter[bookmark][_null]=true&filter[user][_null]=true&filter[role][_null]=true&limit=1`,
		);
		if (found.length) continue;
		const sort = collection === 'cp_audit' ? ['-at'] : ['-date_created'];
		await api.post('/presets', {
			collection,
			bookmark: null,
			user: null,
			role: null,
			layout: 'tabular',
			layout_query: { tabular: { fields, sort, limit: 50 } },
		});
		created++;
	}
	return created;
}

/** CR-12: the contract ledger is a shared bookmark (a saved layout) over the contracts. */
async function ensureLedger(api) {
	const found = await api.get(`/presets?filter[bookmark][_eq]=${encodeURIComponent(LEDGER_BOOKMARK)}&filter[collection][_eq]=cp_contracts&limit=1`);
	if (found.length) return 0;
	await api.post('/presets', {
		bookmark: LEDGER_BOOKMARK,
		collection: 'cp_contracts',
		user: null,
		role: null,
		icon: 'menu_book',
		layout: 'tabular',
		layout_query: {
			tabular: {
				fields: ['code', 'title', 'customer', 'kind', 'class', 'status', 'total_amount', 'delivery_date', 'reviewed_at', 'signed_at'],
				sort: ['-date_created'],
				limit: 100,
			},
		},
		layout_options: { tabular: { widths: {} } },
	});
	return 1;
}

export async function seedRoles(api, { appAccess = true, log = console.log } = {}) {
	let created = 0;
	created += Number(
		await ensurePolicy(api, {
			id: STAFF_POLICY.id,
			name: `${STAFF_POLICY.zh} ${STAFF_POLICY.en}`,
			description: 'Read the customer processes, sign own review lines, raise items',
			app_access: appAccess,
			icon: 'badge',
		}),
	);
	let perms = await ensurePermissions(api, STAFF_POLICY.id, PERMISSIONS.staff, PERMISSION_FIELDS.staff);
	for (const d of DEPARTMENTS) {
		created += Number(
			await ensurePolicy(api, { id: d.policy, name: `${d.zh} ${d.en}`, description: `Customer processes: ${d.en}`, app_access: appAccess, icon: d.icon }),
		);
		perms += await ensurePermissions(api, d.policy, PERMISSIONS[d.key] ?? {});
		if (!(await exists(api, `/roles/${d.role}`))) {
			await api.post('/roles', { id: d.role, name: `${d.zh} ${d.en}`, icon: d.icon, description: `Department: ${d.en} / ${d.zh}` });
			created++;
		}
		const access = await api.get(`/access?filter[role][_eq]=${d.role}&fields=policy&limit=-1`);
		for (const policy of [STAFF_POLICY.id, d.policy]) {
			if (!access.some((a) => a.policy === policy)) await api.post('/access', { role: d.role, policy });
		}
	}
	// The department map is data: keep what a company added, refresh our own keys.
	const settings = await api.get('/items/cp_settings');
	const departments = { ...(settings?.departments ?? {}), ...Object.fromEntries(DEPARTMENTS.map((d) => [d.key, d.role])) };
	await api.patch('/items/cp_settings', { departments });
	created += await ensureLedger(api);
	created += await ensureDefaultLayouts(api);
	log(`[install] roles: ${created} roles/policies/presets created, ${perms} permissions added, ${DEPARTMENTS.length} departments mapped`);
	return { created, perms };
}

/**
 * Links our customers to the company's own customers collection (an install setting): every
 * cp_customers row can point at the company's row through `company_customer`, created here
 * with the type of that collection's key, and the bundle copies its name (the
 * process records keep referencing cp_customers, so nothing of the company's is changed).
 */
export async function linkCompanyCustomers(api, collection, { log = console.log } = {}) {
	if (!collection || collection === 'cp_customers') return false;
	const fields = await api.get(`/fields/${encodeURIComponent(collection)}`).catch((e) => {
		throw new Error(`[install] customers collection '${collection}' not found: ${e.message}`);
	});
	const pk = fields.find((f) => f.schema?.is_primary_key);
	if (!pk) throw new Error(`[install] customers collection '${collection}' has no primary key`);
	const existing = await api.get('/fields/cp_customers');
	if (!existing.some((f) => f.field === 'company_customer')) {
		await api.post('/fields/cp_customers', {
			field: 'company_customer',
			type: pk.type,
			meta: {
				interface: 'select-dropdown-m2o',
				special: ['m2o'],
				width: 'half',
				note: `Row of the company's ${collection} collection this customer is / 对应公司 ${collection} 集合中的顾客`,
				translations: [
					{ language: 'en-US', translation: 'Company customer' },
					{ language: 'zh-CN', translation: '公司顾客档案' },
				],
			},
			schema: { is_unique: true },
		});
		await api.post('/relations', { collection: 'cp_customers', field: 'company_customer', related_collection: collection, schema: { on_delete: 'SET NULL' } });
		log(`[install] customers: cp_customers.company_customer links to ${collection}.${pk.field}`);
	}
	await api.patch('/items/cp_settings', { customers_collection: collection });
	return true;
}

function parseArgs(argv) {
	const args = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) continue;
		const key = a.slice(2);
		if (key.startsWith('no-')) args[key.slice(3)] = false;
		else if (argv[i + 1] && !argv[i + 1].startsWith('--')) args[key] = argv[++i];
		else args[key] = true;
	}
	return args;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	const args = parseArgs(process.argv.slice(2));
	const env = process.env;
	const api = await connect({
		url: args.url ?? env.DIRECTUS_URL ?? env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT ?? 8055}`,
		token: args.token ?? env.DIRECTUS_TOKEN,
		email: args.email ?? env.ADMIN_EMAIL,
		password: args.password ?? env.ADMIN_PASSWORD,
	});
	if (!args['roles-only']) await installSchema(api);
	if (!args['schema-only']) {
		await seedRoles(api, { appAccess: args['app-access'] !== false });
		// The KPI dashboard and the work-queue module in the module bar.
		await seedDashboard(api);
	}
	if (args['customers-collection']) await linkCompanyCustomers(api, args['customers-collection']);
}
