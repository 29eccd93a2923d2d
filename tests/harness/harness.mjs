// Starts a real Directus with the built bundle for the integration suite: a fresh database per
// run (SQLite by default; CP_TEST_DB=postgres|mysql uses the local servers), the additive
// schema install on top of a pre-existing company collection, the roles seed and one user per
// department. CP_HOST_DIR selects another host install (e.g. .hosts/d12 for Directus 12).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { ROOT, baseConfig, bootstrap, dbSettings, hostPaths, startDirectus, stopChild, writeConfig } from '../../scripts/lib/host.mjs';
import { connect } from '../../scripts/lib/api.mjs';
import { installSchema, seedRoles } from '../../scripts/install.mjs';
import { DEPARTMENTS } from '../../seeds/departments.mjs';
import { demoUsers, ensureUsers } from '../../seeds/users.mjs';

export const ADMIN = { email: 'admin@example.org', password: 'admin-test-2026' };

function serverKnex(kind) {
	if (kind === 'postgres') return knexFactory({ client: 'pg', connection: { host: '127.0.0.1', port: 5432, user: process.env.CP_PG_USER ?? 'postgres', database: 'test' } });
	if (kind === 'mysql') return knexFactory({ client: 'mysql2', connection: { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } });
	return null;
}

export async function createDatabase(kind, name) {
	const k = serverKnex(kind);
	if (!k) return;
	try {
		await k.raw(kind === 'postgres' ? `CREATE DATABASE "${name}"` : `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
	} finally {
		await k.destroy();
	}
}

export async function dropDatabase(kind, name) {
	const k = serverKnex(kind);
	if (!k) return;
	try {
		if (kind === 'postgres') await k.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
		else await k.raw(`DROP DATABASE IF EXISTS \`${name}\``);
	} finally {
		await k.destroy();
	}
}

/** A Knex connection to the test database itself, for assertions that look under the API. */
export function databaseKnex(settings) {
	if (settings.DB_CLIENT === 'sqlite3') return knexFactory({ client: 'sqlite3', connection: { filename: settings.DB_FILENAME }, useNullAsDefault: true });
	if (settings.DB_CLIENT === 'pg') return knexFactory({ client: 'pg', connection: { host: settings.DB_HOST, port: Number(settings.DB_PORT), user: settings.DB_USER, database: settings.DB_DATABASE } });
	return knexFactory({ client: 'mysql2', connection: { host: settings.DB_HOST, port: Number(settings.DB_PORT), user: settings.DB_USER, password: '', database: settings.DB_DATABASE } });
}

/** The company's own collection that must survive our install untouched. */
export const COMPANY_CUSTOMERS = [
	{ name: 'ACME Existing Customer', city: 'Shanghai' },
	{ name: '老客户有限公司', city: '郑州' },
];

async function createCompanyCollection(api) {
	await api.post('/collections', {
		collection: 'customers',
		meta: { icon: 'people' },
		schema: {},
		fields: [
			{ field: 'id', type: 'integer', meta: { hidden: true }, schema: { is_primary_key: true, has_auto_increment: true } },
			{ field: 'name', type: 'string', meta: { interface: 'input' }, schema: {} },
			{ field: 'city', type: 'string', meta: { interface: 'input' }, schema: {} },
		],
	});
	for (const c of COMPANY_CUSTOMERS) await api.post('/items/customers', c);
}

export async function startHarness({ db = process.env.CP_TEST_DB ?? 'sqlite', hostDir = process.env.CP_HOST_DIR ?? ROOT, instances = 1, extraConfig = {}, log = console.log } = {}) {
	const host = hostPaths(hostDir);
	const version = host.version();
	const dataDir = mkdtempSync(join(tmpdir(), 'cp-test-'));
	const dbName = `cp_test_${process.pid}_${Date.now().toString(36)}`;
	const dbConf = dbSettings(db, { name: dbName, dataDir });
	await createDatabase(db, dbName);
	const servers = [];
	const teardown = async () => {
		for (const s of servers) await stopChild(s.child);
		await dropDatabase(db, dbName);
		rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		const configs = [];
		for (let i = 0; i < instances; i++) {
			const port = 19000 + ((process.pid * 7 + i * 13) % 900);
			configs.push({
				url: `http://127.0.0.1:${port}`,
				settings: { ...baseConfig({ port, dataDir }), ...dbConf, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...extraConfig },
			});
		}
		const files = configs.map((c, i) => writeConfig(join(dataDir, `directus-${i}.env`), c.settings));
		log(`[harness] Directus ${version} on ${db} (${dbName}): bootstrap`);
		bootstrap(host, files[0]);
		for (let i = 0; i < instances; i++) servers.push(await startDirectus(host, files[i], { url: configs[i].url }));
		const api = await connect({ url: configs[0].url, ...ADMIN });
		await createCompanyCollection(api);
		const major = Number(version.split('.')[0]);
		await installSchema(api, { log });
		// Directus 12 Core counts app-access seats (3): department users there are API users.
		const appAccess = major < 12;
		await seedRoles(api, { appAccess, log });
		const users = await ensureUsers(api, demoUsers('example.org'), { log });
		log(`[harness] ready at ${configs.map((c) => c.url).join(', ')}`);
		return {
			info: {
				urls: configs.map((c) => c.url),
				url: configs[0].url,
				admin: ADMIN,
				users: Object.fromEntries(users.map((u) => [u.department, { email: u.email, password: u.password, id: u.id }])),
				departments: Object.fromEntries(DEPARTMENTS.map((d) => [d.key, d.role])),
				db,
				dbSettings: dbConf,
				directusVersion: version,
				appAccess,
			},
			servers,
			host,
			files,
			teardown,
		};
	} catch (e) {
		await teardown();
		throw e;
	}
}
