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
import { pathToFileURL } from 'node:url';
import SNAPSHOT from '../snapshots/customer-processes.json' with { type: 'json' };
import BASELINE from './migrations/baseline-0.1.0.json' with { type: 'json' };
import { ACTIONS, ALL_CP, DEPARTMENTS, PERMISSION_FIELDS, PERMISSIONS, STAFF_POLICY } from '../seeds/departments.mjs';
import { DASHBOARD_ID, DASHBOARD_PANELS, mergeModuleBar } from '../seeds/dashboard.mjs';
import { LEDGER_TABLE, MIGRATIONS, SCHEMA_VERSION } from './migrations/steps.mjs';

/** A refusal a person can act on: the cause (message) and the fix. */
export class InstallError extends Error {
	constructor(message, fix) {
		super(message);
		this.fix = fix;
	}
}

/** The package's schema snapshot (a file argument for tests that install another release's). */
export const loadSnapshot = (file) => (file ? JSON.parse(readFileSync(file, 'utf8')) : structuredClone(SNAPSHOT));

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

// ---------------------------------------------------------------- the ledger of what was applied

/** GET that answers null for a missing item (Directus answers 403 for what does not exist). */
export async function maybe(api, path) {
	try {
		return await api.get(path);
	} catch (e) {
		if (e.status === 403 || e.status === 404) return null;
		throw e;
	}
}

/**
 * What this instance has had applied (ids like `field:cp_contracts.code`, `permission:<policy>:<collection>:<action>`,
 * `department:sales`, `step:0.2.0`), kept in cp_migrations. An instance installed before the
 * ledger existed is adopted: what exists counts as applied, and so does what release 0.1.0 added.
 */
export async function openLedger(api, { create = true } = {}) {
	const rows = await maybe(api, `/items/${LEDGER_TABLE}?limit=-1&fields=id`);
	let adopt = false;
	if (rows === null) {
		adopt = (await maybe(api, '/fields/cp_settings')) !== null;
		if (create) {
			// A table without Directus metadata (meta null): not counted by Directus 12's collection limit.
			await api.post('/collections', {
				collection: LEDGER_TABLE,
				meta: null,
				schema: {},
				fields: [
					{ field: 'id', type: 'string', schema: { is_primary_key: true, length: 255 } },
					{ field: 'kind', type: 'string', schema: {} },
					{ field: 'version', type: 'string', schema: {} },
					{ field: 'applied_at', type: 'string', schema: {} },
				],
			});
		}
	}
	const ids = new Set((rows ?? []).map((r) => r.id));
	const pending = new Map();
	return {
		adopt,
		exists: rows !== null,
		has: (id) => ids.has(id) || pending.has(id),
		add(id) {
			if (!ids.has(id)) pending.set(id, { id, kind: id.slice(0, id.indexOf(':')), version: SCHEMA_VERSION, applied_at: new Date().toISOString() });
		},
		async flush() {
			const list = [...pending.values()];
			for (let i = 0; i < list.length; i += 200) await api.post(`/items/${LEDGER_TABLE}`, list.slice(i, i + 200));
			for (const r of list) ids.add(r.id);
			pending.clear();
		},
		/** The last step recorded: the instance's schema version (null before the first install). */
		version: () => MIGRATIONS.map((m) => m.id).findLast((id) => ids.has(`step:${id}`) || pending.has(`step:${id}`)) ?? null,
	};
}

const entryId = (kind, e) => (kind === 'collections' ? `collection:${e.collection}` : `${kind === 'fields' ? 'field' : 'relation'}:${e.collection}.${e.field}`);
const isCreation = (e) => e.diff?.some((d) => !d.path);

// ---------------------------------------------------------------- schema

/**
 * Applies the package's snapshot additively: creates the cp_ collections, fields and relations
 * that are missing; a definition that exists is changed only the first time (never once it is
 * recorded, so a field note or translation the company edited stays), unless a pending step
 * names it in `refresh`.
 */
export async function installSchema(api, { snapshot = loadSnapshot(), log = console.log, ledger } = {}) {
	const own = !ledger;
	ledger ??= await openLedger(api);
	const refresh = new Set(
		MIGRATIONS.filter((m) => !ledger.has(`step:${m.id}`)).flatMap((m) => (m.refresh ?? []).map((f) => (f.startsWith('relation:') ? f : `field:${f}`))),
	);
	// Directus refuses a snapshot from another version or vendor unless forced; the
	// definitions are portable (the suite applies the same file on SQLite, PostgreSQL, MariaDB).
	const result = await api.post('/schema/diff?force=true', snapshot);
	const raw = result?.diff ?? { collections: [], fields: [], relations: [] };
	const created = new Set(['collections', 'fields', 'relations'].flatMap((k) => (raw[k] ?? []).filter(isCreation).map((e) => entryId(k, e))));
	const everything = [
		...(snapshot.collections ?? []).map((c) => `collection:${c.collection}`),
		...(snapshot.fields ?? []).map((f) => `field:${f.collection}.${f.field}`),
		...(snapshot.relations ?? []).map((r) => `relation:${r.collection}.${r.field}`),
	].filter((id) => ours(id.slice(id.indexOf(':') + 1)));
	// Adopting an install from before the ledger: what exists was applied (and maybe edited since).
	if (ledger.adopt) for (const id of everything) if (!created.has(id)) ledger.add(id);
	const additive = additiveDiff(raw);
	const diff = {};
	for (const k of ['collections', 'fields', 'relations'])
		diff[k] = additive[k].filter((e) => isCreation(e) || !ledger.has(entryId(k, e)) || refresh.has(entryId(k, e)));
	diff.systemFields = additive.systemFields;
	const counts = { collections: diff.collections.length, fields: diff.fields.length, relations: diff.relations.length };
	const kept = ['collections', 'fields', 'relations'].reduce((n, k) => n + additive[k].length - diff[k].length, 0);
	if (!counts.collections && !counts.fields && !counts.relations) {
		log(`[install] schema: cp_ collections up to date${kept ? ` (${kept} definitions the instance changed left as they are)` : ''}`);
	} else {
		log(`[install] schema: applying ${counts.collections} collection, ${counts.fields} field, ${counts.relations} relation changes`);
		await api.post('/schema/apply', { hash: result.hash, diff });
	}
	for (const id of everything) ledger.add(id);
	if (own) await ledger.flush();
	return counts;
}

async function exists(api, path) {
	return (await maybe(api, path)) !== null;
}

const permissionKey = (policy, collection, action) => `permission:${policy}:${collection}:${action}`;
const BASELINE_PERMISSIONS = new Set(BASELINE.permissions.map((k) => `permission:${k}`));

async function ensurePolicy(api, ledger, { id, name, description, app_access, icon }) {
	const key = `policy:${id}`;
	if (ledger.has(key)) return false;
	const have = await exists(api, `/policies/${id}`);
	if (!have) await api.post('/policies', { id, name, description, icon, app_access, admin_access: false, enforce_tfa: false });
	ledger.add(key);
	return !have;
}

/** Adds the package's permissions never applied here; one the company removed stays removed. */
async function ensurePermissions(api, ledger, policy, table, fields = {}) {
	const existing = await api.get(`/permissions?filter[policy][_eq]=${policy}&limit=-1&fields=collection,action`);
	const have = new Set(existing.map((p) => permissionKey(policy, p.collection, p.action)));
	const missing = [];
	for (const [collection, letters] of Object.entries(table)) {
		for (const l of letters) {
			const action = ACTIONS[l];
			const key = permissionKey(policy, collection, action);
			if (ledger.has(key)) continue;
			ledger.add(key);
			if (have.has(key) || (ledger.adopt && BASELINE_PERMISSIONS.has(key))) continue;
			missing.push({ policy, collection, action, fields: fields[collection]?.[action] ?? ['*'], permissions: null, validation: null });
		}
	}
	if (missing.length) {
		try {
			await api.post('/permissions', missing);
		} catch (e) {
			// Directus 12 Core takes no field lists ("custom permission rules"): grant the whole
			// collection there; the bundle's hooks keep the fields (users.update: services/self-service.ts).
			if (!(e.status === 403 && JSON.stringify(e.body ?? e.message ?? '').includes('custom_permission_rules'))) throw e;
			await api.post(
				'/permissions',
				missing.map((p) => ({ ...p, fields: ['*'] })),
			);
		}
	}
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

async function ensureDefaultLayouts(api, ledger) {
	let created = 0;
	for (const [collection, fields] of Object.entries(DEFAULT_COLUMNS)) {
		const key = `preset:default:${collection}`;
		if (ledger.has(key)) continue;
		ledger.add(key);
		if (ledger.adopt) continue; // 0.1.0 created it; if it is gone, the company removed it
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
async function ensureLedger(api, ledger) {
	if (ledger.has('preset:ledger')) return 0;
	ledger.add('preset:ledger');
	if (ledger.adopt) return 0;
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

export async function seedRoles(api, { appAccess = true, log = console.log, ledger } = {}) {
	const own = !ledger;
	ledger ??= await openLedger(api);
	let created = 0;
	created += Number(
		await ensurePolicy(api, ledger, {
			id: STAFF_POLICY.id,
			name: `${STAFF_POLICY.zh} ${STAFF_POLICY.en}`,
			description: 'Read the customer processes, sign own review lines, raise items',
			app_access: appAccess,
			icon: 'badge',
		}),
	);
	let perms = await ensurePermissions(api, ledger, STAFF_POLICY.id, PERMISSIONS.staff, PERMISSION_FIELDS.staff);
	for (const d of DEPARTMENTS) {
		created += Number(
			await ensurePolicy(api, ledger, {
				id: d.policy,
				name: `${d.zh} ${d.en}`,
				description: `Customer processes: ${d.en}`,
				app_access: appAccess,
				icon: d.icon,
			}),
		);
		perms += await ensurePermissions(api, ledger, d.policy, PERMISSIONS[d.key] ?? {});
		if (!ledger.has(`role:${d.role}`)) {
			ledger.add(`role:${d.role}`);
			if (!(await exists(api, `/roles/${d.role}`))) {
				await api.post('/roles', { id: d.role, name: `${d.zh} ${d.en}`, icon: d.icon, description: `Department: ${d.en} / ${d.zh}` });
				created++;
			}
		}
		const access = await api.get(`/access?filter[role][_eq]=${d.role}&fields=policy&limit=-1`);
		for (const policy of [STAFF_POLICY.id, d.policy]) {
			const key = `access:${d.role}:${policy}`;
			if (ledger.has(key)) continue;
			ledger.add(key);
			if (!access.some((a) => a.policy === policy) && !ledger.adopt) await api.post('/access', { role: d.role, policy });
		}
	}
	// The department map is data: a key is mapped once; what the company mapped (its own Sales
	// role, say) or added is never overwritten.
	const settings = await api.get('/items/cp_settings');
	const departments = { ...(settings?.departments ?? {}) };
	let mapped = 0;
	for (const d of DEPARTMENTS) {
		const key = `department:${d.key}`;
		if (ledger.has(key)) continue;
		ledger.add(key);
		if (departments[d.key] === undefined && !(ledger.adopt && BASELINE.departments.includes(d.key))) {
			departments[d.key] = d.role;
			mapped++;
		}
	}
	if (mapped || settings?.departments == null) await api.patch('/items/cp_settings', { departments });
	created += await ensureLedger(api, ledger);
	created += await ensureDefaultLayouts(api, ledger);
	if (own) await ledger.flush();
	log(`[install] roles: ${created} roles/policies/presets created, ${perms} permissions added, ${mapped} departments mapped`);
	return { created, perms };
}

/** The Insights dashboard, its panels and the module in the module bar, each added once. */
export async function installDashboard(api, { ledger, log = console.log } = {}) {
	let created = 0;
	const once = async (key, path, create) => {
		if (ledger.has(key)) return;
		ledger.add(key);
		if (ledger.adopt || (await exists(api, path))) return;
		await create();
		created++;
	};
	await once('dashboard', `/dashboards/${DASHBOARD_ID}`, () =>
		api.post('/dashboards', {
			id: DASHBOARD_ID,
			name: '与顾客有关过程 Customer processes KPIs',
			icon: 'handshake',
			note: '合同评审、顾客反馈、满意度与顾客财产的管理指标 Contract review, complaints, satisfaction and customer property indicators',
		}),
	);
	for (const p of DASHBOARD_PANELS) await once(`panel:${p.id}`, `/panels/${p.id}`, () => api.post('/panels', p));
	if (!ledger.has('module_bar:customer-processes')) {
		const settings = await api.get('/settings?fields=module_bar');
		const info = await api.get('/server/info').catch(() => ({}));
		const next = ledger.adopt ? null : mergeModuleBar(settings?.module_bar ?? null, 'customer-processes', info?.version);
		if (next === undefined) log('[install] module bar: unknown Directus version; enable "Customer processes" in Settings > Module bar');
		else {
			if (next) await api.patch('/settings', { module_bar: next });
			ledger.add('module_bar:customer-processes');
		}
	}
	log(`[seed] dashboard: ${created} dashboard/panels created`);
	return created;
}

// ---------------------------------------------------------------- company customers

/**
 * Links our customers to the company's own customers collection (an install setting): every
 * cp_customers row can point at the company's row through `company_customer`, created here
 * with the type of that collection's key, and the bundle copies its name (the
 * process records keep referencing cp_customers, so nothing of the company's is changed).
 * Checked by preflight() before anything is written.
 */
export async function linkCompanyCustomers(api, collection, { log = console.log, change = false, grantRead = false } = {}) {
	if (!collection || collection === 'cp_customers') return false;
	const check = await checkCustomersCollection(api, collection, { change });
	const pk = check.pk;
	const existing = await api.get('/fields/cp_customers');
	if (check.relinking) {
		await api.del('/fields/cp_customers/company_customer');
		log(`[install] customers: unlinked ${check.current}`);
	}
	if (check.relinking || !existing.some((f) => f.field === 'company_customer')) {
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
		await api.post('/relations', { collection: 'cp_customers', field: 'company_customer', related_collection: collection, schema: { on_delete: 'NO ACTION' } });
		log(`[install] customers: cp_customers.company_customer links to ${collection}.${pk.field}`);
	}
	if (check.current !== collection) await api.patch('/items/cp_settings', { customers_collection: collection });
	// The departments pick company customers as themselves: they need read on the company collection.
	if (grantRead) {
		const have = await api.get(
			`/permissions?filter[policy][_eq]=${STAFF_POLICY.id}&filter[collection][_eq]=${encodeURIComponent(collection)}&filter[action][_eq]=read&limit=1`,
		);
		if (!have.length) {
			await api.post('/permissions', { policy: STAFF_POLICY.id, collection, action: 'read', fields: ['*'], permissions: null, validation: null });
			log(`[install] customers: the departments may read ${collection}`);
		}
	}
	return true;
}

/** Read-only checks of --customers-collection; throws an InstallError naming the fix. */
export async function checkCustomersCollection(api, collection, { change = false, collections } = {}) {
	const fields = ours(collection) || collection.startsWith('directus_') ? null : await maybe(api, `/fields/${encodeURIComponent(collection)}`);
	if (!fields || !fields.length) {
		collections ??= await api.get('/collections?limit=-1');
		const names = collections.map((c) => c.collection).filter((c) => !c.startsWith('directus_') && !ours(c) && c !== LEDGER_TABLE);
		throw new InstallError(
			`customers collection '${collection}' not found`,
			names.length ? `pass --customers-collection with one of: ${names.join(', ')}` : 'create the collection first, or leave out --customers-collection',
		);
	}
	const pk = fields.find((f) => f.schema?.is_primary_key);
	if (!pk)
		throw new InstallError(`customers collection '${collection}' has no primary key`, 'give it a primary key field, or leave out --customers-collection');
	const settings = await maybe(api, '/items/cp_settings?fields=customers_collection');
	const current = settings?.customers_collection ?? null;
	const relinking = Boolean(current && current !== 'cp_customers' && current !== collection);
	if (relinking) {
		if (!change)
			throw new InstallError(
				`this instance links its customers to '${current}', not '${collection}'`,
				`run with --customers-collection ${current}, or add --change-customers-collection to move the link (refused while customers are linked)`,
			);
		const linked = await api.get('/items/cp_customers?filter[company_customer][_nnull]=true&aggregate[count]=*');
		const n = Number(linked?.[0]?.count ?? 0);
		if (n)
			throw new InstallError(
				`${n} customers are linked to rows of '${current}'`,
				`unlink them (empty Company customer) before moving the link to '${collection}'`,
			);
	}
	return { pk, current, relinking };
}

// ---------------------------------------------------------------- preflight and install

const HOST_LIMIT_FIX = 'free collections (archive or delete unused ones) or add a Directus licence, then run again';

/**
 * Everything checked before the first write: an admin, the options, the host's collection limit.
 * Returns what the install would do, as lines for a person, and the numbers behind them.
 */
export async function preflight(api, options = {}) {
	const globals = await maybe(api, '/policies/me/globals');
	if (!globals?.admin_access)
		throw new InstallError('the account is not an admin', 'an admin is needed: use the e-mail/password or token of a user with admin access');
	const info = await api.get('/server/info').catch(() => ({}));
	const collections = await api.get('/collections?limit=-1');
	const present = new Set(collections.map((c) => c.collection));
	const missing = ALL_CP.filter((c) => !present.has(c));
	const ledger = await openLedger(api, { create: false });
	const lines = [
		`host: Directus ${info?.version ?? '(version hidden)'}`,
		`schema: installed ${ledger.exists ? (ledger.version() ?? 'none') : present.has('cp_settings') ? '0.1.0 (before the ledger)' : 'none'}, package ${SCHEMA_VERSION}; ${ALL_CP.length - missing.length} of ${ALL_CP.length} collections present`,
	];
	// Directus 12's licence limits active collections (Core: 25); Directus 11 has no /license.
	const license = await maybe(api, '/license').catch(() => null);
	let limit = null;
	if (license?.entitlements?.collections) {
		const { limit: l, overage, addon } = license.entitlements.collections;
		const hard = l === -1 || overage === -1 || addon === -1 ? -1 : l + (overage ?? 0) + (addon ?? 0);
		const used = Number(license.usage?.collections ?? 0);
		limit = { hard, used };
		if (hard !== -1) {
			lines.push(`collections: needs ${ALL_CP.length}, ${used} of ${hard} in use, ${missing.length} to create`);
			if (options.schema !== false && used + missing.length > hard)
				throw new InstallError(
					`the bundle needs ${ALL_CP.length} collections, ${used} of ${hard} in use and ${missing.length} still to create`,
					HOST_LIMIT_FIX,
				);
		}
	}
	if (options.schema === false && missing.length)
		throw new InstallError(`the cp_ schema is not installed (${missing.length} collections missing)`, 'run without --roles-only first');
	if (options.customersCollection && options.customersCollection !== 'cp_customers') {
		const c = await checkCustomersCollection(api, options.customersCollection, { change: options.changeCustomersCollection, collections });
		lines.push(`customers: ${c.relinking ? `move the link from ${c.current} to` : 'linked to'} ${options.customersCollection}.${c.pk.field}`);
	}
	return { lines, version: info?.version ?? null, missing, total: ALL_CP.length, limit, installed: ledger.version(), package: SCHEMA_VERSION };
}

/**
 * The release steps not yet recorded, in order, each recorded once it ran. A fresh install runs
 * every step too (their runs are written to find nothing to change on a new schema, or, like
 * 0.4.0's indexes, to create what a new schema also needs).
 */
export async function runSteps(api, { ledger, log = console.log } = {}) {
	ledger ??= await openLedger(api);
	for (const step of MIGRATIONS) {
		if (ledger.has(`step:${step.id}`)) continue;
		if (step.run) await step.run(api, { log });
		ledger.add(`step:${step.id}`);
		await ledger.flush();
		log(`[install] step ${step.id}: ${step.description}`);
	}
}

/**
 * The whole install or upgrade, after preflight(): schema, roles, dashboard, customers link, steps.
 * @param {any} api
 * @param {Record<string, any>} [options]
 * @param {{ plan?: any, log?: (m: string) => void }} [opts]
 */
export async function install(api, options = {}, { plan, log = console.log } = {}) {
	if (!plan) await preflight(api, options);
	const ledger = await openLedger(api);
	if (options.schema !== false) {
		await installSchema(api, { ledger, log });
		await ledger.flush();
	}
	if (options.roles !== false) {
		await seedRoles(api, { appAccess: options.appAccess !== false, ledger, log });
		await ledger.flush();
		await installDashboard(api, { ledger, log });
		await ledger.flush();
	}
	if (options.customersCollection)
		await linkCompanyCustomers(api, options.customersCollection, { log, change: options.changeCustomersCollection, grantRead: options.grantCustomersRead });
	if (options.schema !== false && options.roles !== false) await runSteps(api, { ledger, log });
	log(`[install] done: schema version ${ledger.version() ?? 'none'}`);
	return { version: ledger.version() };
}

// `node scripts/install.mjs ...` runs the command line (scripts/cli.mjs).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && /install\.mjs$/.test(process.argv[1])) {
	// Not awaited at the top level: cli.mjs imports this module, which must finish loading first.
	import('./cli.mjs').then(async ({ main }) => {
		process.exitCode = await main();
	});
}
