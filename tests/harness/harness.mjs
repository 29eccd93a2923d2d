// Starts a real Directus with the built bundle for the integration suite: a fresh database per
// run (SQLite by default; CP_TEST_DB=postgres|mysql uses the local servers), the additive
// schema install on top of a pre-existing company collection, the roles seed, the release steps and one user per
// department. CP_HOST_DIR selects another host install (e.g. hosts/directus-12 for Directus 12).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { ROOT, baseConfig, bootstrap, dbSettings, hostPaths, startDirectus, stopChild, writeConfig } from '../../scripts/lib/host.mjs';
import { connect } from '../../scripts/lib/api.mjs';
import { installSchema, runSteps, seedRoles } from '../../scripts/install.mjs';
import { DEPARTMENTS } from '../../seeds/departments.mjs';
import { demoUsers, ensureUsers } from '../../seeds/users.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

export const ADMIN = { email: 'admin@example.org', password: 'admin-test-2026' };

function serverKnex(kind) {
	if (kind === 'postgres')
		return knexFactory({ client: 'pg', connection: { host: '127.0.0.1', port: 5432, user: process.env.CP_PG_USER ?? 'postgres', database: 'test' } });
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
	if (settings.DB_CLIENT === 'pg')
		return knexFactory({
			client: 'pg',
			connection: { host: settings.DB_HOST, port: Number(settings.DB_PORT), user: settings.DB_USER, database: settings.DB_DATABASE },
		});
	return knexFactory({
		client: 'mysql2',
		connection: { host: settings.DB_HOST, port: Number(settings.DB_PORT), user: settings.DB_USER, password: '', database: settings.DB_DATABASE },
	});
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

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort() {
	return new Promise((resolvePort, reject) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolvePort(port));
		});
	});
}

const REDIS_URL = process.env.CP_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisClient(url) {
	// ioredis comes with Directus (its Redis stores use it).
	const { Redis } = await import('ioredis');
	const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
	client.on('error', () => undefined);
	await client.connect();
	return client;
}

/** True when a Redis server answers PING at CP_REDIS_URL (default 127.0.0.1:6379). */
export async function redisAvailable(url = REDIS_URL) {
	try {
		const c = await redisClient(url);
		try {
			return (await c.ping()) === 'PONG';
		} finally {
			c.disconnect();
		}
	} catch {
		return false;
	}
}

/**
 * Claims an empty Redis database index for this run (1..15; 0 is left to the demo) with a
 * SET NX claim key, so concurrent runs never share one; release() flushes it.
 */
export async function claimRedisDb({ url = REDIS_URL } = {}) {
	const start = process.pid % 15;
	for (let i = 0; i < 15; i++) {
		const db = 1 + ((start + i) % 15);
		const c = await redisClient(`${url}/${db}`);
		try {
			if ((await c.dbsize()) !== 0) continue;
			if ((await c.set('cp-test:claim', String(process.pid), 'NX')) !== 'OK') continue;
		} finally {
			c.disconnect();
		}
		const release = async () => {
			const r = await redisClient(`${url}/${db}`).catch(() => null);
			await r?.flushdb().catch(() => undefined);
			r?.disconnect();
		};
		return { db, url: `${url}/${db}`, release };
	}
	throw new Error('no empty Redis database (1..15) to run on');
}

/**
 * Directus 11 settings for several instances sharing one Redis: cron jobs synchronised
 * (SYNCHRONIZATION_STORE), the data cache in Redis purged on writes, the bus through Redis.
 */
export function redisSettings(redisUrl) {
	return {
		REDIS: redisUrl,
		SYNCHRONIZATION_STORE: 'redis',
		CACHE_ENABLED: 'true',
		CACHE_STORE: 'redis',
		CACHE_AUTO_PURGE: 'true',
		CACHE_TTL: '5m',
		RATE_LIMITER_STORE: 'redis',
	};
}

export async function startHarness({
	db = process.env.CP_TEST_DB ?? 'sqlite',
	hostDir = process.env.CP_HOST_DIR ?? ROOT,
	instances = 1,
	extraConfig = {},
	redis = false,
	log = console.log,
} = {}) {
	const host = hostPaths(hostDir);
	const version = host.version();
	const dataDir = mkdtempSync(join(tmpdir(), 'cp-test-'));
	const dbName = `cp_test_${process.pid}_${Date.now().toString(36)}`;
	const dbConf = dbSettings(db, { name: dbName, dataDir });
	await createDatabase(db, dbName);
	const servers = [];
	// redis: true claims an empty Redis database for this run and shares it between the instances.
	const redisDb = redis ? await claimRedisDb() : null;
	// Tests run the jobs through /cp/jobs/* (CP_COMPLAINTS_CRON yearly): a background tick would
	// otherwise create surveys between a test's reads. Every mail Directus sends lands in mailLog (one JSON line each): reminders, escalations.
	const mailLog = join(dataDir, 'mail.jsonl');
	const smtp = await startSmtpSink(mailLog);
	const mailConfig = {
		EMAIL_TRANSPORT: 'smtp',
		EMAIL_SMTP_HOST: '127.0.0.1',
		EMAIL_SMTP_PORT: String(smtp.port),
		EMAIL_SMTP_SECURE: 'false',
		EMAIL_SMTP_IGNORE_TLS: 'true',
		EMAIL_FROM: 'qms@example.org',
		EMAIL_VERIFY_SETUP: 'false',
	};
	const teardown = async () => {
		for (const s of servers) await stopChild(s.child);
		await smtp.close();
		await dropDatabase(db, dbName);
		await redisDb?.release();
		rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		const configs = [];
		for (let i = 0; i < instances; i++) {
			// Asked of the OS: CI runs several suites side by side.
			const port = await freePort();
			configs.push({
				url: `http://127.0.0.1:${port}`,
				settings: {
					...baseConfig({ port, dataDir }),
					...dbConf,
					ADMIN_EMAIL: ADMIN.email,
					ADMIN_PASSWORD: ADMIN.password,
					CP_COMPLAINTS_CRON: '0 0 1 1 *',
					// Tests move the server's clock through /cp/test/clock instead of sleeping (services/clock.ts).
					CP_TEST_CLOCK: 'true',
					// Two cores run the whole suite: Directus's load shedding would answer 503 to a burst.
					PRESSURE_LIMITER_ENABLED: 'false',
					// The test client (127.0.0.1) stands for a proxy, so tests choose their client address with
					// X-Forwarded-For; a request from another loopback address (127.0.0.2) is a client that is not.
					CP_TRUSTED_PROXIES: '127.0.0.1',
					...mailConfig,
					...(redisDb ? redisSettings(redisDb.url) : {}),
					...extraConfig,
				},
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
		// The release steps, as a fresh install runs them (0.4.0: the jobs' composite indexes).
		await runSteps(api, { log });
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
				redis: redisDb ? { db: redisDb.db, url: redisDb.url } : null,
				mailLog,
				directusVersion: version,
				appAccess,
			},
			servers,
			host,
			files,
			configs,
			teardown,
		};
	} catch (e) {
		await teardown();
		throw e;
	}
}
