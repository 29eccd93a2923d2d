// Starting a real Directus: used by `npm start` (demo), the snapshot generator, the benchmarks
// and the test harness, so that all of them run the host the same way.
//
// Directus reads the file named by CONFIG_PATH (default ./.env) and its values override the
// process environment, so every process we start gets its own generated config file holding
// the merged settings.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A host prefix is a folder with node_modules/directus and node_modules/node (Node 22). */
export function hostPaths(hostDir = ROOT) {
	const dir = resolve(hostDir);
	return {
		dir,
		node: join(dir, 'node_modules/node/bin/node'),
		cli: join(dir, 'node_modules/directus/cli.js'),
		version: () => JSON.parse(spawnSync('cat', [join(dir, 'node_modules/directus/package.json')]).stdout.toString()).version,
	};
}

/** Settings a Directus user may pass in the environment, honoured by `npm start`. */
const PASSTHROUGH =
	/^(PORT|HOST|PUBLIC_URL|ADMIN_|DB_|CACHE_|REDIS|SYNCHRONIZATION_|SECRET|KEY|LOG_|STORAGE_|EMAIL_|RATE_LIMITER_|TELEMETRY|EXTENSIONS_|WEBSOCKETS_|CORS_|SESSION_|ACCESS_TOKEN_|REFRESH_TOKEN_|CP_)/;

export function envFromProcess(env = process.env) {
	return Object.fromEntries(Object.entries(env).filter(([k]) => PASSTHROUGH.test(k)));
}

/** Connection settings for one of the supported databases, in a fresh database `name`. */
export function dbSettings(kind, { name, dataDir }) {
	switch (kind) {
		case 'sqlite':
			return { DB_CLIENT: 'sqlite3', DB_FILENAME: join(dataDir, `${name}.db`) };
		case 'postgres':
			return { DB_CLIENT: 'pg', DB_HOST: '127.0.0.1', DB_PORT: '5432', DB_DATABASE: name, DB_USER: process.env.CP_PG_USER ?? 'postgres', DB_PASSWORD: '' };
		case 'mysql':
			return { DB_CLIENT: 'mysql', DB_HOST: '127.0.0.1', DB_PORT: '3306', DB_DATABASE: name, DB_USER: 'root', DB_PASSWORD: '' };
		default:
			throw new Error(`unknown database kind ${kind} (sqlite, postgres, mysql)`);
	}
}

export function baseConfig({ port, dataDir }) {
	return {
		HOST: '127.0.0.1',
		PORT: String(port),
		PUBLIC_URL: `http://127.0.0.1:${port}`,
		SECRET: 'customer-processes-local-secret-change-me',
		EXTENSIONS_PATH: join(ROOT, 'extensions'),
		EXTENSIONS_AUTO_RELOAD: 'false',
		STORAGE_LOCATIONS: 'local',
		STORAGE_LOCAL_ROOT: join(dataDir, 'uploads'),
		// Directus writes the app extensions' bundle under TEMP_PATH (default ./node_modules/.directus):
		// node_modules is shared between checkouts, so two instances started side by side would serve
		// each other's bundle. Each instance keeps its own.
		TEMP_PATH: join(dataDir, 'tmp'),
		TELEMETRY: 'false',
		LOG_LEVEL: 'warn',
		LOG_STYLE: 'pretty',
		WEBSOCKETS_ENABLED: 'false',
		RATE_LIMITER_ENABLED: 'false',
		CACHE_ENABLED: 'false',
		ACCESS_TOKEN_TTL: '2h',
		MAX_PAYLOAD_SIZE: '2mb',
	};
}

export function writeConfig(file, config) {
	mkdirSync(dirname(file), { recursive: true });
	if (config.STORAGE_LOCAL_ROOT) mkdirSync(config.STORAGE_LOCAL_ROOT, { recursive: true });
	const quote = (v) => (/[\s#"'=]/.test(String(v)) ? JSON.stringify(String(v)) : String(v));
	writeFileSync(
		file,
		Object.entries(config)
			.map(([k, v]) => `${k}=${quote(v)}`)
			.join('\n') + '\n',
	);
	return file;
}

function runCli(host, args, configFile, opts = {}) {
	const res = spawnSync(host.node, [host.cli, ...args], {
		cwd: opts.cwd ?? ROOT,
		env: { ...process.env, CONFIG_PATH: configFile },
		encoding: 'utf8',
		stdio: opts.stdio ?? 'pipe',
	});
	if (res.status !== 0) throw new Error(`directus ${args.join(' ')} failed (${res.status}):\n${res.stdout ?? ''}\n${res.stderr ?? ''}`);
	return res.stdout;
}

/** Creates the system tables and the first admin in an empty database (idempotent in Directus). */
export function bootstrap(host, configFile, { cwd } = {}) {
	return runCli(host, ['bootstrap'], configFile, { cwd });
}

export async function waitForHealth(url, { timeoutMs = 120_000, child } = {}) {
	const until = Date.now() + timeoutMs;
	let last;
	while (Date.now() < until) {
		if (child && child.exitCode !== null) throw new Error(`Directus exited with ${child.exitCode} before becoming healthy`);
		try {
			// /server/ping answers anonymously on Directus 11 and 12 (12 guards /server/health).
			const res = await fetch(`${url}/server/ping`);
			if (res.ok) return;
			last = res.status;
		} catch (e) {
			last = e.message;
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	throw new Error(`Directus at ${url} not healthy after ${timeoutMs} ms (${last})`);
}

/**
 * Starts `directus start` and resolves when /server/health answers.
 * @param {ReturnType<typeof hostPaths>} host
 * @param {string} configFile
 * @param {{ url: string, inherit?: boolean, cwd?: string }} [opts]
 */
export async function startDirectus(host, configFile, { url, inherit = false, cwd = ROOT } = {}) {
	const child = spawn(host.node, [host.cli, 'start'], {
		cwd,
		env: { ...process.env, CONFIG_PATH: configFile },
		stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
	});
	const output = [];
	if (!inherit) {
		const keep = (d) => {
			output.push(d.toString());
			if (output.length > 400) output.shift();
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
	}
	try {
		await waitForHealth(url, { child });
	} catch (e) {
		child.kill('SIGKILL');
		throw new Error(`${e.message}\n--- Directus output ---\n${output.join('')}`, { cause: e });
	}
	return { child, output, stop: () => stopChild(child) };
}

export function stopChild(child, signal = 'SIGTERM') {
	return new Promise((resolveStop) => {
		if (child.exitCode !== null || child.signalCode) return resolveStop();
		const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
		child.once('exit', () => {
			clearTimeout(t);
			resolveStop();
		});
		child.kill(signal);
	});
}

export function ensureDir(dir) {
	if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
	return dir;
}
