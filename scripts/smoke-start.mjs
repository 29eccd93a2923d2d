// CI smoke test of `npm start`: runs the demo with another port, admin and data folder taken
// from the environment, waits for it to say it is ready, then checks what a user would:
// the health endpoint, the bundle with all collections, a department login, demo data.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, stopChild } from './lib/host.mjs';
import { connect } from './lib/api.mjs';

const port = 18055;
const url = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'cp-smoke-'));
const env = {
	...process.env,
	PORT: String(port),
	PUBLIC_URL: url,
	ADMIN_EMAIL: 'smoke-admin@example.com',
	ADMIN_PASSWORD: 'smoke-pass-2026',
	CP_DATA_DIR: dataDir,
};
const child = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let out = '';
child.stdout.on('data', (d) => (out += d));
child.stderr.on('data', (d) => (out += d));
const fail = (msg) => {
	console.error(`[smoke] FAILED: ${msg}\n--- npm start output (tail) ---\n${out.slice(-4000)}`);
	return 1;
};
let code = 0;
try {
	const until = Date.now() + 300_000;
	while (!out.includes('demo is running') && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 500));
	if (!out.includes('demo is running')) code = fail('npm start did not report ready within 5 minutes');
	else {
		const health = await fetch(`${url}/server/health`);
		if (health.status !== 200) code = fail(`/server/health answered ${health.status}`);
		const admin = await connect({ url, email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
		const info = await admin.get('/cp/info');
		if (!info.schema_complete) code = fail('not every cp_ collection is present');
		const sales = await connect({ url, email: 'sales@example.com', password: 'demo-pass-2026' });
		const contracts = await sales.get('/items/cp_contracts?fields=code,status&limit=-1');
		const statuses = new Set(contracts.map((c) => c.status));
		for (const s of ['in_production', 'in_review', 'reviewed']) if (!statuses.has(s)) code = fail(`no demo contract in status ${s}`);
		const complaints = await sales.get('/items/cp_complaints?fields=code&limit=-1');
		if (complaints.length < 2) code = fail('demo complaints missing');
		if (!code)
			console.log(
				`[smoke] npm start ok: ${url} healthy, bundle ${info.version}, ${contracts.length} contracts (${[...statuses].join(', ')}), ${complaints.length} complaints, sales login works`,
			);
	}
} catch (e) {
	code = fail(e.message);
} finally {
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {}
	await stopChild(child);
	rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
