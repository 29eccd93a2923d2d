// `npm start`: a full demo of the customer-processes bundle on embedded SQLite (Directus 11).
// Honours the usual Directus settings from the environment (PORT, PUBLIC_URL, ADMIN_EMAIL,
// ADMIN_PASSWORD, DB_CLIENT and the other DB_*, ...): they are merged into the config file that
// this script writes for Directus (.demo/directus.env), since Directus lets its config file
// override the environment.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ROOT, baseConfig, bootstrap, dbSettings, ensureDir, envFromProcess, hostPaths, startDirectus, stopChild, writeConfig } from './lib/host.mjs';
import { connect } from './lib/api.mjs';
import { installSchema, seedRoles } from './install.mjs';
import { demoUsers, ensureUsers } from '../seeds/users.mjs';
import { seedDemo } from '../seeds/demo.mjs';
import { seedContractsDemo } from '../seeds/demo-contracts.mjs';
import { seedComplaintsDemo } from '../seeds/demo-complaints.mjs';
import { seedPropertyDemo } from '../seeds/demo-property.mjs';
import { seedDashboard } from '../seeds/dashboard.mjs';

// CP_DATA_DIR: where the SQLite file, uploads, secret and generated config live (default .demo/).
const dataDir = ensureDir(resolve(process.env.CP_DATA_DIR ?? join(ROOT, '.demo')));
const env = envFromProcess();
const port = Number(env.PORT ?? 8055);
const secretFile = join(dataDir, 'secret');
if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'));

const config = {
	...baseConfig({ port, dataDir }),
	LOG_LEVEL: 'info',
	SECRET: readFileSync(secretFile, 'utf8').trim(),
	...(env.DB_CLIENT ? {} : dbSettings('sqlite', { name: 'demo', dataDir })),
	ADMIN_EMAIL: 'admin@example.com',
	ADMIN_PASSWORD: 'admin-demo-2026',
	...env,
};
const url = config.PUBLIC_URL.replace(/\/$/, '');
const configFile = writeConfig(join(dataDir, 'directus.env'), config);
const host = hostPaths(ROOT);

console.log(`[start] building the bundle ...`);
execFileSync(process.execPath, [join(ROOT, 'node_modules/@directus/extensions-sdk/cli.js'), 'build', '--no-minify'], {
	cwd: join(ROOT, 'extensions/customer-processes'),
	stdio: 'inherit',
});
console.log(`[start] Directus ${host.version()} on ${config.DB_CLIENT}${config.DB_FILENAME ? ` (${config.DB_FILENAME})` : ''}: bootstrapping ...`);
bootstrap(host, configFile);
console.log('[start] starting Directus ...');
const server = await startDirectus(host, configFile, { url, inherit: true });
const stop = async () => {
	await stopChild(server.child);
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

try {
	const api = await connect({ url, email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD });
	await installSchema(api);
	await seedRoles(api);
	await seedDashboard(api);
	const users = await ensureUsers(api, demoUsers());
	if (config.CP_DEMO !== 'false') {
		await seedDemo(api);
		await seedContractsDemo(api, users);
		await seedComplaintsDemo(api);
		await seedPropertyDemo(api);
	}
	console.log(`
  Customer processes demo is running: ${url}
  Admin:        ${config.ADMIN_EMAIL} / ${config.ADMIN_PASSWORD}
  Departments:  (password ${users[0].password})
${users.map((u) => `    ${u.department.padEnd(11)} ${u.email}`).join('\n')}
  Press Ctrl+C to stop.
`);
} catch (e) {
	console.error('[start] setup failed:', e.message);
	if (e.status === 401) {
		console.error(
			`[start] ${config.ADMIN_EMAIL} cannot log in: Directus creates the admin only when it bootstraps an empty database, and ${dataDir} already holds one. Use its admin, another CP_DATA_DIR, or delete ${dataDir} to start over.`,
		);
	}
	await stopChild(server.child);
	process.exit(1);
}
