// Benchmarks of the bundle on a real Directus (issue 7): write overhead of the hooks, the read
// endpoints against hand-written SQL, the scheduled jobs at two table sizes, concurrent
// sign-offs and intakes, and the Directus process's peak memory. Every figure is a RATIO
// against a baseline measured in the same run, interleaved where both sides can be (the
// machine is shared: noise hits both sides alike). Bounded: fixed request counts, no soak.
//
//   npm run bench -- --db sqlite --scale 0.1
//   npm run bench -- --db postgres --scale 1
//
// Options: --db sqlite|postgres|mysql (default sqlite; mysql = the local MariaDB/MySQL at
// 127.0.0.1:3306, root without password), --scale (default 1), --n writes per side
// (default 200), --reps read repetitions (default 20), --due due items per job run (default 50),
// --job-reps job runs per size (default 8), --conc-ops writes per side and concurrency level
// (default 64), --phases a comma list of jobs,reads,writes,concurrency,memory (default all; e.g.
// --phases jobs,writes,concurrency skips the read endpoints; memory = the write phases again on a
// fresh bundle instance against a fresh Directus without the bundle on the same database),
// --extensions <folder> (another build of the bundle, e.g. an older commit's, for a before/after
// pair in the same conditions: Directus's EXTENSIONS_PATH),
// --reads-only (= --phases reads), --no-doc (print only), --smoke (no result file, no doc: CI's smoke test). Results go to bench/results/<db>-<scale>.json; docs/BENCHMARKS.md is
// rebuilt from every result file there (between its results markers).
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadRuns, renderTargets } from './targets.mjs';
import { DateTime } from 'luxon';
import { startHarness, databaseKnex, freePort } from '../tests/harness/harness.mjs';
import { startDirectus, stopChild, writeConfig } from '../scripts/lib/host.mjs';
import { STAFF_POLICY } from '../seeds/departments.mjs';
import { analyze, generate, reviewFixtures } from './generate.mjs';
import { baselines, endpointCheck, KPI_CHECK_COLUMNS } from './baselines.mjs';
import { ensureIndexes } from '../extensions/customer-processes/src/services/indexes.ts';
import { CATALOGUE } from '../extensions/customer-processes/src/domain/catalogue.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const arg = (name, def) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : def;
};
const DB = arg('db', 'sqlite');
const SCALE = Number(arg('scale', 1));
const N = Number(arg('n', 200));
const REPS = Number(arg('reps', 20));
const DUE = Number(arg('due', 50));
const JOB_REPS = Number(arg('job-reps', 8));
const CONC_OPS = Number(arg('conc-ops', 64));
const EXTENSIONS = arg('extensions', null);
// --reads-only (= --phases reads): load the data (both parts, the backlog worked off as usual), then
// only (b) the reads and the query plans.
const PHASES = new Set(String(process.argv.includes('--reads-only') ? 'reads' : arg('phases', 'jobs,reads,writes,concurrency,memory')).split(','));
// --smoke (CI): the whole run at whatever size, but no result file and no doc: it only has to work.
const SMOKE = process.argv.includes('--smoke');
// --only evidence: seed the whole scale at once and measure only the evidence pack (issue 14);
// prints its table, writes no result file and no doc.
const ONLY = arg('only', null);
// --evidence-modes sync,background,sample and --evidence-periods quarter,year: which runs of (f) (default all).
const EVIDENCE_MODES = new Set(String(arg('evidence-modes', 'sync,background,sample')).split(','));
const EVIDENCE_PERIODS = new Set(String(arg('evidence-periods', 'quarter,year')).split(','));
const WRITE_DOC = !SMOKE && !ONLY && !process.argv.includes('--no-doc');
const COMMAND = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();

const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ------------------------------------------------------------------------- statistics
function pct(values, p) {
	if (!values.length) return null;
	const s = [...values].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const stats = (v) => ({ n: v.length, p50: pct(v, 50), p95: pct(v, 95), mean: v.length ? v.reduce((a, b) => a + b, 0) / v.length : null });
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
const r2 = (x) => (x == null ? null : Math.round(x * 100) / 100);

// ------------------------------------------------------------------------- rendering helpers
function table(head, rows) {
	return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
const ms = (v) => (v == null ? '–' : `${v} ms`);
const x = (v) => (v == null || !Number.isFinite(v) ? '–' : `${v}×`);

// ------------------------------------------------------------------------- HTTP
let BASE = '';
// Phase (g): the twin's writes go to a Directus without the bundle (the same database), the bundle's to the bundle's instance.
let TWIN_BASE = '';
const tokens = {};
async function login(email, password) {
	const res = await fetch(`${BASE}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
	const body = await res.json();
	if (!res.ok) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
	return body.data.access_token;
}
/** One request, timed from send to the parsed body. */
// A sign-off as the procedures require it (CR-3/CR-4): an opinion and each aspect of the line's own
// checklist confirmed (the fixtures' lines carry one aspect); the plain twin gets the same body.
const SIGN_OFF = { decision: 'approved', opinion: '可以满足 Can be met', checklist: [{ key: 'capability', checked: true }] };

async function call(who, method, path, body) {
	const t = performance.now();
	const base = TWIN_BASE && path.includes('/bench_plain_') ? TWIN_BASE : BASE;
	const res = await fetch(`${base}${path}`, {
		method,
		headers: { authorization: `Bearer ${tokens[who]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await res.text();
	const ms = performance.now() - t;
	let json = null;
	try {
		json = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { status: res.status, ms, data: json?.data, code: json?.errors?.[0]?.extensions?.code, message: json?.errors?.[0]?.message };
}
async function ok(who, method, path, body) {
	const r = await call(who, method, path, body);
	if (r.status >= 300) throw new Error(`${method} ${path} as ${who}: ${r.status} ${r.code} ${r.message}`);
	return r;
}
async function timed(fn) {
	const t = performance.now();
	const v = await fn();
	return { ms: performance.now() - t, v };
}

// ------------------------------------------------------------------------- memory of the Directus process
function memory(pid) {
	const s = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
	return { rssMb: r1(kb('VmRSS') / 1024), peakMb: r1(kb('VmHWM') / 1024) };
}
/** MariaDB/MySQL EXPLAIN as text: knex answers [rows, fields]; one line per table read. */
function mysqlPlan(res) {
	const rows = Array.isArray(res?.[0]) ? res[0] : [];
	return rows
		.map((r) => `${r.id} ${r.select_type} ${r.table ?? '-'}: type=${r.type ?? '-'} key=${r.key ?? '-'} rows=${r.rows ?? '-'}${r.Extra ? ` (${r.Extra})` : ''}`)
		.join('\n');
}
/** The plans auto_explain logged for database `db` in a piece of PostgreSQL's log: [{ query, plan }]. */
function autoExplained(text, db) {
	const out = [];
	let cur = null;
	for (const line of text.split('\n')) {
		if (/^\d{4}-\d\d-\d\d /.test(line)) {
			if (cur) out.push(cur);
			cur = line.includes(`@${db} `) && /LOG: {2}duration: [\d.]+ ms {2}plan:/.test(line) ? { query: '', plan: [] } : null;
		} else if (cur && line.startsWith('\t')) {
			const l = line.slice(1);
			if (l.startsWith('Query Text: ')) cur.query = l.slice('Query Text: '.length);
			else cur.plan.push(l);
		}
	}
	if (cur) out.push(cur);
	return out.filter((e) => e.query && e.plan.length).map((e) => ({ query: e.query, plan: e.plan.join('\n') }));
}
/** Resets VmHWM to the current RSS (Linux clear_refs 5), so the next read is the peak of a phase. */
function resetPeak(pid) {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

// ------------------------------------------------------------------------- main
const started = new Date();
const result = {
	db: DB,
	scale: SCALE,
	reps: REPS,
	command: COMMAND,
	date: started.toISOString(),
	// The code measured (a dirty tree is marked, so a result is never taken for a commit's).
	commit: (() => {
		try {
			const sha = execSync('git rev-parse --short HEAD', { cwd: HERE }).toString().trim();
			return execSync('git status --porcelain -- ../extensions ../scripts', { cwd: HERE }).toString().trim() ? `${sha}+changes` : sha;
		} catch {
			return null;
		}
	})(),
	machine: {
		nproc: Number(execSync('nproc').toString().trim()),
		cpu: cpus()[0]?.model ?? 'unknown',
		memoryGb: r1(totalmem() / 2 ** 30),
		loadavg: null,
	},
	versions: { benchNode: process.version },
	rows: {},
	jobs: [],
	explain: [],
	reads: [],
	writes: [],
	concurrency: [],
	memory: {},
	notes: [],
};

const h = await startHarness({
	db: DB,
	freePorts: true,
	// The property check cron would fire in the middle of the job measurements; the job is run
	// on demand here. (The complaints tick has a fixed one-minute cron: its runs are noise both
	// sides share, and job samples it pre-empted are discarded, see below.)
	// Directus's data cache as a production instance runs it (memory here; Redis with several
	// instances): the bundle keeps its settings and proven read access in it (services/cache.ts).
	extraConfig: {
		CP_PROPERTY_CHECKS_CRON: '0 0 1 1 *',
		LOG_LEVEL: 'error',
		CACHE_ENABLED: 'true',
		CACHE_STORE: 'memory',
		CACHE_AUTO_PURGE: 'true',
		CACHE_TTL: '5m',
		...(EXTENSIONS ? { EXTENSIONS_PATH: resolve(EXTENSIONS) } : {}),
	},
	log,
});
const knex = databaseKnex(h.info.dbSettings);
const dialect = DB === 'postgres' ? 'pg' : DB === 'mysql' ? 'mysql' : 'sqlite';
let pid = h.servers[0].child.pid;
let exitCode = 0;
try {
	BASE = h.info.url;
	result.versions.directus = h.info.directusVersion;
	result.versions.directusNode = execSync(`${h.host.node} --version`).toString().trim();
	if (dialect === 'pg') result.versions.postgres = (await knex.raw('SHOW server_version')).rows[0].server_version;
	if (dialect === 'sqlite') result.versions.sqlite = (await knex.raw('select sqlite_version() as v'))[0].v;
	if (dialect === 'mysql') result.versions.mysql = (await knex.raw('select version() as v'))[0][0].v;
	result.phases = [...PHASES];
	result.memory.afterStartup = memory(pid);

	tokens.admin = await login(h.info.admin.email, h.info.admin.password);
	for (const [dept, u] of Object.entries(h.info.users)) tokens[dept] = await login(u.email, u.password);
	const users = Object.fromEntries(Object.entries(h.info.users).map(([d, u]) => [d, u.id]));

	// Upgrade step 0.4.0 as an install runs it (the harness installs only the schema and the roles):
	// the index the review cycle time reads the completions through (issue 14).
	// (An older build given by --extensions has no such job: 404, the run goes on without the index.)
	const step040 = await call('admin', 'POST', '/cp/jobs/review-cycle-columns', {});
	if (step040.status >= 300 && step040.status !== 404) throw new Error(`POST /cp/jobs/review-cycle-columns: ${step040.status} ${step040.message}`);

	// ------------------------------------------------------------------- plain twins (no hooks)
	await createPlainTwin('cp_complaints', 'bench_plain_complaints');
	await ensureIndexes(knex, { only: ['cp_complaints'], as: { cp_complaints: 'bench_plain_complaints' } }); // and cp_complaints's composite indexes
	await createPlainTwin('cp_review_lines', 'bench_plain_review_lines');

	if (ONLY === 'evidence') {
		log(`generating scale ${SCALE}`);
		const g = await timed(() => generate(knex, { scale: SCALE, part: 1, offset: 0, users, now: new Date(), log }));
		await analyze(knex);
		result.generateSeconds = [r1(g.ms / 1000)];
		result.rows = await countRows();
		await measureEvidence();
		result.machine.loadavg = execSync('cat /proc/loadavg').toString().trim();
		console.log(`\n${renderEvidence(result)}\n`);
		console.log(JSON.stringify(result.evidence, null, 2));
		// Its own result file, read by bench/targets.mjs next to the full run of the same size.
		if (!SMOKE) {
			mkdirSync(join(HERE, 'results'), { recursive: true });
			writeFileSync(join(HERE, 'results', `${DB}-${SCALE}-evidence.json`), JSON.stringify(result, null, 2) + '\n');
		}
		throw Object.assign(new Error('done'), { done: true });
	}

	// ------------------------------------------------------------------- (c) jobs, small tables
	const now = new Date();
	log(`generating 20% of scale ${SCALE}`);
	const g1 = await timed(() => generate(knex, { scale: SCALE, part: 0.2, offset: 0, users, now, log }));
	await analyze(knex);
	result.generateSeconds = [r1(g1.ms / 1000)];
	const armed = await chooseArmed();
	await drainJobs('small');
	const small = await countRows();
	resetPeak(pid);
	if (PHASES.has('jobs')) await measureJobs('small', small);
	const jobsSmallMem = memory(pid);

	// ------------------------------------------------------------------- (c) jobs, full tables
	log(`generating the remaining 80%`);
	const g2 = await timed(() => generate(knex, { scale: SCALE, part: 0.8, offset: 0.2, users, now: new Date(), log }));
	await analyze(knex);
	result.generateSeconds.push(r1(g2.ms / 1000));
	await drainJobs('full');
	const full = await countRows();
	result.rows = full;
	resetPeak(pid);
	if (PHASES.has('jobs')) await measureJobs('full', full);
	result.memory.jobs = { small: jobsSmallMem, full: memory(pid) };
	await explainJobs();

	// ------------------------------------------------------------------- (b) reads against SQL
	resetPeak(pid);
	const readScope = PHASES.has('reads') ? await measureReads() : null;
	result.memory.reads = memory(pid);
	if (readScope) await explainIndicators(readScope);

	// ------------------------------------------------------------------- (a) write overhead
	resetPeak(pid);
	if (PHASES.has('writes')) await measureWrites();
	// ------------------------------------------------------------------- (d) concurrency
	if (PHASES.has('concurrency')) await measureConcurrency();
	result.memory.writes = memory(pid);
	// ------------------------------------------------------------------- (g) memory against a plain Directus
	if (PHASES.has('memory') && (PHASES.has('writes') || PHASES.has('concurrency'))) await measureMemory();
	// ------------------------------------------------------------------- plans of the write paths (PostgreSQL)
	if (PHASES.has('writes') && dialect === 'pg' && !SMOKE) await explainWritePaths();
	// ------------------------------------------------------------------- (f) evidence pack (issue 14)
	// Long at full size (a PDF per form): in the smoke run (samples) or when asked (--only evidence).
	if (SMOKE || PHASES.has('evidence')) await measureEvidence();
	result.memory.end = memory(pid);
	result.machine.loadavg = execSync('cat /proc/loadavg').toString().trim();
	result.seconds = Math.round((Date.now() - started.getTime()) / 1000);

	// ------------------------------------------------------------------- output
	const md = renderResult(result);
	console.log(`\n${md}\n`);
	mkdirSync(join(HERE, 'results'), { recursive: true });
	// A run of some phases only is not a result of the whole benchmark: its own file name.
	const fullRun = ['jobs', 'reads', 'writes', 'concurrency'].every((p) => PHASES.has(p));
	const file = join(HERE, 'results', `${DB}-${SCALE}${fullRun ? '' : `-${[...PHASES].sort().join('-')}`}.json`);
	if (!SMOKE) {
		writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
		log(`wrote ${file}`);
	}
	if (WRITE_DOC && fullRun) writeDoc();

	// ===================================================================== phases
	/**
	 * (f) The evidence pack as Quality, for the last full quarter and the four quarters before
	 * now: the direct download (GET) and the background export into the file library (POST,
	 * polled until done), each with the time, the zip's size and the Directus process's peak RSS
	 * (VmHWM reset before each). Then a sample (10 per kind). --smoke: samples only (cheap).
	 */
	async function measureEvidence() {
		const settings = await knex('cp_settings').first('calendar');
		const zone = (typeof settings?.calendar === 'string' ? JSON.parse(settings.calendar) : settings?.calendar)?.zone ?? 'Asia/Shanghai';
		const q0 = DateTime.now().setZone(zone).startOf('quarter');
		const day = (d) => d.toISODate();
		const periods = [
			{ name: 'quarter', from: day(q0.minus({ months: 3 })), to: day(q0.minus({ days: 1 })) },
			{ name: 'year', from: day(q0.minus({ months: 12 })), to: day(q0.minus({ days: 1 })) },
		];
		const runs = [];
		for (const p of periods) {
			if (SMOKE) runs.push({ ...p, mode: 'sync', sample: 5 }, { ...p, mode: 'background', sample: 5 });
			else runs.push({ ...p, mode: 'sync', sample: null }, { ...p, mode: 'background', sample: null }, { ...p, mode: 'sync', sample: 10 });
		}
		const chosen = runs.filter((r) => EVIDENCE_PERIODS.has(r.name) && EVIDENCE_MODES.has(r.sample && !SMOKE ? 'sample' : r.mode));
		runs.splice(0, runs.length, ...chosen);
		result.evidence = [];
		for (const r of runs) {
			const query = `from=${r.from}&to=${r.to}${r.sample ? `&sample=${r.sample}` : ''}`;
			const before = memory(pid);
			resetPeak(pid);
			const t = performance.now();
			let bytes = 0;
			let records = null;
			if (r.mode === 'sync') {
				const res = await fetch(`${BASE}/cp/evidence-pack?${query}`, { headers: { authorization: `Bearer ${tokens.quality}` } });
				if (res.status !== 200) throw new Error(`evidence pack ${query}: ${res.status} ${(await res.text()).slice(0, 300)}`);
				for await (const chunk of res.body) bytes += chunk.length;
			} else {
				const started = (await ok('quality', 'POST', '/cp/evidence-pack/exports', { from: r.from, to: r.to, sample: r.sample })).data;
				let state = started;
				let told = performance.now();
				while (state.status === 'running') {
					await new Promise((res) => setTimeout(res, 500));
					state = (await ok('quality', 'GET', `/cp/evidence-pack/exports/${started.id}`)).data;
					// A long export's progress in the log (a run stopped early says how far it got).
					if (performance.now() - told > 60_000) {
						told = performance.now();
						log(
							`evidence ${r.name} background: ${state.done}/${state.total} records at ${r1((told - t) / 1000)} s, load ${execSync('cat /proc/loadavg').toString().trim()}`,
						);
					}
				}
				if (state.status !== 'done') throw new Error(`evidence export ${query}: ${state.status} ${state.error}`);
				bytes = state.file_info?.filesize ?? state.bytes ?? 0;
				records = state.done;
				// The zip is not needed after the measurement (disk).
				await call('admin', 'DELETE', `/files/${state.file_info.id}`);
			}
			const secs = (performance.now() - t) / 1000;
			const after = memory(pid);
			const row = {
				period: r.name,
				from: r.from,
				to: r.to,
				mode: r.mode,
				sample: r.sample,
				seconds: r1(secs),
				mb: r1(bytes / 2 ** 20),
				records,
				rssBeforeMb: before.rssMb,
				peakMb: after.peakMb,
				rssAfterMb: after.rssMb,
				loadavg: execSync('cat /proc/loadavg').toString().trim(),
			};
			result.evidence.push(row);
			// --only evidence: each row kept as soon as measured (a long run may be stopped).
			if (ONLY === 'evidence' && !SMOKE) writeFileSync(join(HERE, 'results', `${DB}-${SCALE}-evidence.json`), JSON.stringify(result, null, 2) + '\n');
			log(
				`evidence ${r.name} ${r.mode}${r.sample ? ` sample ${r.sample}` : ''}: ${row.seconds} s, ${row.mb} MB, RSS ${row.rssBeforeMb} -> peak ${row.peakMb} MiB`,
			);
		}
	}

	async function countRows() {
		const out = {};
		for (const t of [
			'cp_customers',
			'cp_contracts',
			'cp_contract_lines',
			'cp_review_lines',
			'cp_task_notices',
			'cp_complaints',
			'cp_actions',
			'cp_communications',
			'cp_property',
			'cp_property_events',
			'cp_audit',
		]) {
			out[t] = Number((await knex(t).count({ n: '*' }).first()).n);
		}
		return out;
	}

	/** The same DUE items are made due again before every job run, at both table sizes. */
	async function chooseArmed() {
		const ids = async (q) => (await q).map((r) => r.id);
		return {
			complaints: await ids(
				knex('cp_complaints').whereIn('status', ['received', 'investigating', 'action']).whereNull('responded_at').orderBy('id').limit(DUE).select('id'),
			),
			actions: await ids(knex('cp_actions').whereIn('status', ['open', 'overdue']).orderBy('id').limit(DUE).select('id')),
			customers: await ids(knex('cp_customers').where('status', 'active').orderBy('id').limit(DUE).select('id')),
			property: await ids(knex('cp_property').whereIn('status', ['in_store', 'in_use']).orderBy('id').limit(DUE).select('id')),
		};
	}

	async function currentQuarter(t = new Date()) {
		const settings = await knex('cp_settings').first('calendar');
		const zone = (typeof settings?.calendar === 'string' ? JSON.parse(settings.calendar) : settings?.calendar)?.zone ?? 'Asia/Shanghai';
		const dt = DateTime.fromJSDate(t, { zone });
		return `${dt.year}-Q${Math.floor((dt.month - 1) / 3) + 1}`;
	}

	async function arm(job) {
		const t = new Date();
		if (job === 'complaints-tick') {
			await knex('cp_complaints')
				.whereIn('id', armed.complaints)
				.update({ response_due_at: new Date(t.getTime() - 3_600_000), response_breached: false });
			await knex('cp_actions')
				.whereIn('id', armed.actions)
				.update({ status: 'open', due_at: new Date(t.getTime() - 3_600_000), reminded_at: new Date(t.getTime() - 7_200_000), escalated_at: null });
		} else if (job === 'surveys-tick') {
			const period = await currentQuarter(t);
			await knex('cp_communications').whereIn('customer', armed.customers).where({ type: 'survey', period_key: period }).delete();
		} else {
			const y = new Date(t.getTime() - 86_400_000);
			const key = `${y.getFullYear()}-${String(y.getMonth() + 1).padStart(2, '0')}-${String(y.getDate()).padStart(2, '0')}`;
			await knex('cp_property')
				.whereIn('id', armed.property)
				.update({ next_check_due: dialect === 'sqlite' ? new Date(y.getFullYear(), y.getMonth(), y.getDate()) : key, check_notified_for: null });
		}
	}
	function processed(job, d) {
		if (job === 'complaints-tick') return d.response_breached.length + d.resolution_breached.length + d.escalated.length + d.reminded.length;
		return job === 'surveys-tick' ? d.created : d.notified.length;
	}
	function expected(job) {
		if (job === 'complaints-tick') return armed.complaints.length + armed.actions.length;
		return job === 'surveys-tick' ? armed.customers.length : armed.property.length;
	}

	/** The generated backlog (items due right now) is worked off once, as after a deployment. */
	async function drainJobs(size) {
		for (const job of ['complaints-tick', 'surveys-tick', 'property-checks']) {
			const r = await ok('admin', 'POST', `/cp/jobs/${job}`, {});
			result.jobs.push({ size, job, drain: true, ms: r1(r.ms), processed: processed(job, r.data) });
			log(`drain ${size} ${job}: ${r1(r.ms)} ms, ${processed(job, r.data)} items`);
		}
	}

	async function measureJobs(size, rows) {
		const samples = { 'complaints-tick': [], 'surveys-tick': [], 'property-checks': [] };
		const ping = [];
		let discarded = 0;
		for (let rep = 0; rep < JOB_REPS; rep++) {
			for (const job of Object.keys(samples)) {
				await arm(job);
				const r = await ok('admin', 'POST', `/cp/jobs/${job}`, {});
				const n = processed(job, r.data);
				// The one-minute cron may have taken some of the armed items first: not comparable.
				if (n < expected(job)) discarded++;
				else samples[job].push({ ms: r.ms, n });
			}
			ping.push((await call('admin', 'GET', '/server/ping')).ms);
		}
		for (const [job, s] of Object.entries(samples)) {
			const st = stats(s.map((x) => x.ms));
			result.jobs.push({
				size,
				job,
				rows: rows[job === 'property-checks' ? 'cp_property' : job === 'surveys-tick' ? 'cp_customers' : 'cp_complaints'],
				due: expected(job),
				processed: s.map((x) => x.n),
				p50: r1(st.p50),
				p95: r1(st.p95),
				n: st.n,
			});
			log(`jobs ${size} ${job}: p50 ${r1(st.p50)} ms p95 ${r1(st.p95)} ms (${st.n} runs)`);
		}
		result.jobs.push({ size, job: 'control: GET /server/ping', p50: r1(pct(ping, 50)), p95: r1(pct(ping, 95)), n: ping.length });
		if (discarded) result.notes.push(`${size} tables: ${discarded} job run(s) discarded because the one-minute cron had processed armed items first.`);
	}

	/** The jobs' main queries, built exactly as services/complaints.ts and services/property.ts build them. */
	async function explainJobs() {
		const today = new Date();
		const todayParam = dialect === 'sqlite' ? new Date(today.getFullYear(), today.getMonth(), today.getDate()) : today.toISOString().slice(0, 10);
		const notBreached = (f) => (q) => q.where(f, false).orWhereNull(f);
		// The shapes of services/complaints.ts#complaintsTick: the open statuses named, the due time
		// compared on the column (MariaDB: against FROM_UNIXTIME, the exact epoch test beside it).
		const openComplaint = CATALOGUE.cp_complaints.status.map((c) => c[0]).filter((v) => v !== 'closed');
		const openAction = CATALOGUE.cp_actions.status.map((c) => c[0]).filter((v) => !['done', 'verified'].includes(v));
		const due = (q, col, op, at) =>
			dialect === 'pg'
				? q.where(col, op, at)
				: dialect === 'mysql'
					? q
							.whereRaw(`?? ${op} FROM_UNIXTIME(?)`, [col, at.getTime() / 1000 + (op === '<=' ? 7200 : -7200)])
							.whereRaw(`UNIX_TIMESTAMP(??) ${op} ?`, [col, at.getTime() / 1000])
					: q.whereRaw(`(CASE WHEN typeof(??) IN ('integer', 'real') THEN ?? / 1000.0 ELSE (julianday(??) - 2440587.5) * 86400.0 END) ${op} ?`, [
							col,
							col,
							col,
							at.getTime() / 1000,
						]);
		const queries = {
			'complaints-tick: response deadline candidates': due(
				knex('cp_complaints')
					.whereIn('status', openComplaint)
					.whereNotNull('response_due_at')
					.where(notBreached('response_breached'))
					.whereNull('responded_at'),
				'response_due_at',
				'<=',
				today,
			).select('id', 'code', 'response_due_at'),
			'complaints-tick: resolution deadline candidates': due(
				knex('cp_complaints').whereIn('status', openComplaint).whereNotNull('resolution_due_at').where(notBreached('resolution_breached')),
				'resolution_due_at',
				'<=',
				today,
			).select('id', 'code', 'resolution_due_at'),
			'complaints-tick: actions to remind (due within the lead)': due(
				due(knex('cp_actions').whereIn('status', openAction).whereNotNull('due_at').whereNull('reminded_at'), 'due_at', '>=', today),
				'due_at',
				'<=',
				new Date(today.getTime() + 24 * 3_600_000),
			).select('id', 'due_at'),
			'complaints-tick: actions to escalate (past due)': due(
				knex('cp_actions').whereIn('status', openAction).whereNotNull('due_at').whereNull('escalated_at'),
				'due_at',
				'<=',
				today,
			).select('id', 'due_at'),
			"surveys-tick: customers without this period's survey": knex('cp_customers as c')
				.where('c.status', 'active')
				.whereNotExists(
					knex('cp_communications as m')
						.whereRaw('?? = ??', ['m.customer', 'c.id'])
						.where({ 'm.type': 'survey', 'm.period_key': await currentQuarter() })
						.select(knex.raw('1')),
				)
				.select('c.id'),
			'property-checks: checks due, not yet announced': knex('cp_property')
				.whereIn('status', ['received', 'in_store', 'in_use', 'blocked'])
				.whereNotNull('next_check_due')
				.where('next_check_due', '<=', todayParam)
				.where((q) => q.whereNull('check_notified_for').orWhereRaw('?? <> ??', ['check_notified_for', 'next_check_due']))
				.select('id', 'code', 'name', 'kind', 'location', 'next_check_due'),
			// The intake's queries (services/complaints.ts, services/numbering.ts): the number is a counter
			// on the locked settings row; the code range is read once per year, when it has no counter yet.
			'complaint intake: number counter (locked settings row)': knex('cp_settings')
				.where('id', (await knex('cp_settings').first('id'))?.id ?? 0)
				.select('number_counters'),
			'complaint intake: duplicate key': knex('cp_complaints').where('dedupe_key', '0'.repeat(64)).select('id', 'code').limit(1),
			'complaint intake: customer exists': knex('cp_customers')
				.where('id', (await knex('cp_customers').first('id'))?.id ?? 0)
				.select('id')
				.limit(1),
			'complaint intake: first number of a year without counter (once per year)': knex('cp_complaints')
				.where('code', '>=', `KF-${today.getFullYear()}-`)
				.where('code', '<', `KF-${today.getFullYear()}.`)
				.select('code'),
			'/cp/complaints/stats: totals (one pass)': knex('cp_complaints')
				.where('received_at', '>=', new Date(today.getTime() - 365 * 86_400_000))
				.where('received_at', '<', today)
				.select(knex.raw('COUNT(*) AS total'), knex.raw('COUNT(responded_at) AS responded')),
		};
		for (const [label, q] of Object.entries(queries)) {
			const { sql, bindings } = q.toSQL();
			const plan = await explain(sql, bindings);
			result.explain.push({ label, sql, plan });
		}
	}

	async function measureReads() {
		const settings = await knex('cp_settings').first('calendar');
		const zone = (typeof settings?.calendar === 'string' ? JSON.parse(settings.calendar) : settings?.calendar)?.zone ?? 'Asia/Shanghai';
		const t = new Date();
		const local = DateTime.fromJSDate(t, { zone });
		const to = local.toISODate();
		const from = local.minus({ days: 365 }).toISODate();
		const fromInstant = DateTime.fromISO(from, { zone }).startOf('day').toJSDate();
		const toInstant = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
		const lastQuarter = local.minus({ months: 3 });
		const quarter = `${lastQuarter.year}-Q${Math.floor((lastQuarter.month - 1) / 3) + 1}`;
		const base = baselines(knex, {
			dialect,
			now: t,
			fromInstant,
			toInstant,
			today: to,
			in30: local.plus({ days: 30 }).toISODate(),
			quarter,
			quality: { userId: h.info.users.quality.id },
			// The GM may not see personal data and IP items (PR-1): the KPI leaves them out.
			hiddenForGm: ['personal_data', 'intellectual_property'],
		});
		// Which indicators exist on this build (another area may add some).
		const list = await ok('gm', 'GET', '/cp/kpi');
		const kpiKeys = list.data.map((k) => k.key);
		const period = `from=${from}&to=${to}`;
		const endpoints = [
			...kpiKeys.map((k) => ({
				name: `/cp/kpi/${k}`,
				who: 'gm',
				path: `/cp/kpi/${k}?${period}`,
				check: (d) => (KPI_CHECK_COLUMNS[k] ? endpointCheck.kpi(d, KPI_CHECK_COLUMNS[k]) : null),
			})),
			{ name: '/cp/complaints/stats', who: 'gm', path: `/cp/complaints/stats?${period}`, check: endpointCheck['/cp/complaints/stats'] },
			{ name: '/cp/surveys/summary', who: 'gm', path: `/cp/surveys/summary?period=${quarter}`, check: endpointCheck['/cp/surveys/summary'] },
			{ name: '/cp/queue', who: 'quality', path: '/cp/queue', check: endpointCheck['/cp/queue'] },
			{ name: '/cp/property/checks-due', who: 'quality', path: '/cp/property/checks-due', check: endpointCheck['/cp/property/checks-due'] },
		].filter((e) => base[e.name]);
		const samples = new Map(endpoints.map((e) => [e.name, { api: [], sql: [], checkApi: null, checkSql: null }]));
		// Floors measured alongside: the bare HTTP round trip, and an authenticated /cp route that
		// runs no query (the fixed cost of token check, accountability and routing).
		// And Directus's own cheapest authenticated read, GET /items/<collection>?limit=0 (token,
		// accountability, permissions, one query), which the /cp floor is compared with.
		const floors = { ping: [], list: [], items: [] };
		for (let rep = -2; rep < REPS; rep++) {
			const p = await call('gm', 'GET', '/server/ping');
			const l = await call('gm', 'GET', '/cp/kpi');
			const i = await call('gm', 'GET', '/items/cp_complaints?limit=0');
			if (rep >= 0) {
				floors.ping.push(p.ms);
				floors.list.push(l.ms);
				floors.items.push(i.ms);
			}
			for (const e of endpoints) {
				const s = samples.get(e.name);
				const runApi = async () => {
					const r = await ok(e.who, 'GET', e.path);
					if (rep >= 0) s.api.push(r.ms);
					s.checkApi = e.check(r.data);
				};
				const runSql = async () => {
					const r = await timed(() => base[e.name]());
					if (rep >= 0) s.sql.push(r.ms);
					s.checkSql = r.v;
				};
				// Interleaved, alternating which side goes first.
				if (rep % 2) {
					await runApi();
					await runSql();
				} else {
					await runSql();
					await runApi();
				}
			}
		}
		for (const e of endpoints) {
			const s = samples.get(e.name);
			const a = stats(s.api);
			const b = stats(s.sql);
			result.reads.push({
				endpoint: e.name,
				path: e.path,
				api: { p50: r1(a.p50), p95: r1(a.p95) },
				sql: { p50: r1(b.p50), p95: r1(b.p95) },
				ratio50: r2(a.p50 / b.p50),
				ratio95: r2(a.p95 / b.p95),
				overFloor50: r1(a.p50 - pct(floors.list, 50)),
				// The endpoint's own work against the hand SQL (target: at most 1.5x).
				ownRatio50: r2((a.p50 - pct(floors.list, 50)) / b.p50),
				sameAnswer: Number(s.checkApi) === Number(s.checkSql),
				check: [s.checkApi, s.checkSql],
			});
			log(
				`read ${e.name}: api p50 ${r1(a.p50)} p95 ${r1(a.p95)} | sql p50 ${r1(b.p50)} p95 ${r1(b.p95)} | same answer ${Number(s.checkApi) === Number(s.checkSql)} (${s.checkApi}/${s.checkSql})`,
			);
		}
		result.httpFloor = { p50: r1(pct(floors.ping, 50)), p95: r1(pct(floors.ping, 95)) };
		result.endpointFloor = { p50: r1(pct(floors.list, 50)), p95: r1(pct(floors.list, 95)) };
		result.itemsFloor = { p50: r1(pct(floors.items, 50)), p95: r1(pct(floors.items, 95)) };
		log(
			`floors: ping p50 ${result.httpFloor.p50} ms, GET /cp/kpi p50 ${result.endpointFloor.p50} ms, GET /items/cp_complaints?limit=0 p50 ${result.itemsFloor.p50} ms`,
		);
		return { kpiKeys, from, to, fromInstant, toInstant, now: t, today: to, in30Days: local.plus({ days: 30 }).toISODate() };
	}

	/**
	 * EXPLAIN ANALYZE of every query each indicator runs, as the bundle builds it: services/kpi.ts is
	 * compiled on the fly (esbuild, which the test tooling brings) and run here with the GM's
	 * scope on the benchmark's knex, whose query events give the SQL. Skipped if esbuild is missing.
	 */
	async function explainIndicators(scope) {
		let kpi;
		try {
			const { build } = await import('esbuild');
			// Next to the bench, so that its imports (knex, luxon) resolve from the project's node_modules.
			const outfile = join(HERE, `.kpi-${process.pid}.mjs`);
			await build({
				entryPoints: [join(ROOT, 'extensions/customer-processes/src/services/kpi.ts')],
				bundle: true,
				platform: 'node',
				format: 'esm',
				packages: 'external',
				outfile,
				logLevel: 'silent',
			});
			try {
				kpi = await import(pathToFileURL(outfile).href);
			} finally {
				rmSync(outfile, { force: true });
			}
		} catch (e) {
			result.notes.push(`indicator plans skipped: ${e.message}`);
			return;
		}
		for (const key of scope.kpiKeys) {
			const queries = [];
			const listen = (q) => queries.push(q);
			knex.on('query', listen);
			try {
				await kpi.runKpi(knex, key, {
					from: scope.from,
					to: scope.to,
					fromInstant: scope.fromInstant,
					toInstant: scope.toInstant,
					customer: null,
					department: null,
					customerId: null,
					now: scope.now,
					today: scope.today,
					in30Days: scope.in30Days,
					hiddenKinds: ['personal_data', 'intellectual_property'],
				});
			} finally {
				knex.removeListener('query', listen);
			}
			for (const q of queries) {
				// Only the queries: the schema look-ups among them (PRAGMA, SHOW COLUMNS) have no plan.
				if (!/^\s*(select|with)\b/i.test(q.sql)) continue;
				// PostgreSQL's native placeholders ($1, $2, ...) back to knex's, in order.
				const sql = dialect === 'pg' ? q.sql.replace(/\$\d+/g, '?') : q.sql;
				const plan = await explain(sql, q.bindings ?? [], { analyze: true });
				result.explain.push({ label: `/cp/kpi/${key}`, sql, plan });
			}
		}
	}

	/**
	 * (g) Peak RSS against a plain Directus (issue 14): the bundle's instance restarted fresh, and a
	 * second, fresh Directus without any extension on the same database and config. The write and
	 * concurrency phases run again, the bundle's writes on the bundle's instance and the twin's on
	 * the plain one, interleaved as before; each process's peak (VmHWM, reset after a warm-up) is
	 * what it needed for its side's writes. The latencies are kept as a second write comparison
	 * (the twin on a Directus that loads no bundle at all).
	 */
	async function measureMemory() {
		log('memory: restarting the bundle instance and starting a plain Directus on the same database');
		await restartBundleInstance();
		const port = await freePort();
		const emptyExtensions = join(dirname(h.files[0]), 'no-extensions');
		mkdirSync(emptyExtensions, { recursive: true });
		const plainFile = join(dirname(h.files[0]), 'directus-plain.env');
		writeConfig(plainFile, {
			...h.configs[0].settings,
			PORT: String(port),
			PUBLIC_URL: `http://127.0.0.1:${port}`,
			EXTENSIONS_PATH: emptyExtensions,
			TEMP_PATH: join(dirname(h.files[0]), 'tmp-plain'),
		});
		const plainUrl = `http://127.0.0.1:${port}`;
		const plain = await startDirectus(h.host, plainFile, { url: plainUrl });
		h.servers.push(plain); // stopped by the harness's teardown
		const plainPid = plain.child.pid;
		const started = { cp: memory(pid), plain: memory(plainPid) };
		// Both sides accept the same tokens (same SECRET); fresh ones after the restart.
		tokens.admin = await login(h.info.admin.email, h.info.admin.password);
		await loginAll();
		// The plain instance must really be without the bundle.
		const noBundle = await fetch(`${plainUrl}/cp/kpi`, { headers: { authorization: `Bearer ${tokens.quality}` } });
		if (noBundle.status !== 404) throw new Error(`the plain Directus answers /cp/kpi with ${noBundle.status}: it loaded the bundle`);
		TWIN_BASE = plainUrl;
		try {
			// Warm-up on both sides (schema caches, first connections), then the peaks are reset.
			for (let i = 0; i < 5; i++) {
				await call('quality', 'GET', '/items/cp_complaints?limit=1');
				await call('quality', 'GET', '/items/bench_plain_complaints?limit=1');
			}
			resetPeak(pid);
			resetPeak(plainPid);
			const writes = [];
			const concurrency = [];
			if (PHASES.has('writes')) await measureWrites({ out: writes, tag: 'MW' });
			if (PHASES.has('concurrency')) await measureConcurrency({ out: concurrency, tag: 'MC' });
			result.memory.cpWrites = { ...memory(pid), afterStartMb: started.cp.rssMb };
			result.memory.plainWrites = { ...memory(plainPid), afterStartMb: started.plain.rssMb };
			result.plainHost = { writes, concurrency };
			log(
				`memory: bundle instance ${started.cp.rssMb} MiB after start, peak ${result.memory.cpWrites.peakMb} MiB | plain Directus ${started.plain.rssMb} MiB after start, peak ${result.memory.plainWrites.peakMb} MiB`,
			);
		} finally {
			TWIN_BASE = '';
		}
	}

	/**
	 * The plans of every statement one write of each kind runs at full size, as PostgreSQL executed
	 * them: auto_explain (PostgreSQL's contrib module) logs each statement's plan with its real
	 * parameters for this database's new sessions; the bundle's instance is restarted so that its
	 * connections are new, one write of each kind is made, and the server log is read back.
	 */
	async function explainWritePaths() {
		const version = Number(String(result.versions.postgres ?? '').split('.')[0]);
		const file = `/var/log/postgresql/postgresql-${version}-main.log`;
		if (!existsSync(file)) {
			result.notes.push(`Write-path plans: no PostgreSQL server log at ${file} (Debian's place); not listed.`);
			return;
		}
		const db = h.info.dbSettings.DB_DATABASE;
		const setting = async (sql) => knex.raw(sql.replaceAll('DB', `"${db}"`));
		await setting(`ALTER DATABASE DB SET session_preload_libraries = 'auto_explain'`);
		await setting(`ALTER DATABASE DB SET auto_explain.log_min_duration = 0`);
		await setting(`ALTER DATABASE DB SET auto_explain.log_nested_statements = on`);
		try {
			await restartBundleInstance();
			await loginAll();
			const customers = await pickCustomers(5);
			const fixtureLines = await reviewFixtures(knex, {
				count: 1,
				tag: 'XP',
				customers,
				users: Object.fromEntries(Object.entries(h.info.users).map(([d, u]) => [d, u.id])),
			});
			// A first write of each kind warms the instance (schema, settings cache); the second one's plans are kept.
			const writes = [
				[
					'create a complaint',
					(i) =>
						call('sales', 'POST', '/items/cp_complaints', {
							customer: customers[i],
							summary: `Plan ${i}`,
							channel: 'phone',
							received_at: new Date().toISOString(),
							product: 'Valve DN50',
							batch: `XP${i}`,
						}),
				],
				[
					'complaint received → investigating',
					async (i) =>
						call('quality', 'PATCH', `/items/cp_complaints/${(await knex('cp_complaints').where('batch', `XP${i}`).first('id')).id}`, {
							status: 'investigating',
						}),
				],
				['sign a review line', (i) => call(fixtureLines[i].department, 'PATCH', `/items/cp_review_lines/${fixtureLines[i].id}`, SIGN_OFF)],
			];
			for (const [label, write] of writes) {
				for (const i of [0, 1]) {
					await new Promise((r) => setTimeout(r, 300));
					const from = statSync(file).size;
					const r = await write(i);
					await new Promise((r2) => setTimeout(r2, 500));
					if (i === 0) continue;
					if (r.status >= 300) result.notes.push(`Write-path plans: ${label} answered ${r.status} ${r.code}`);
					const text = readFileSync(file).subarray(from).toString('utf8');
					for (const { query, plan } of autoExplained(text, db))
						result.explain.push({ label: `write path, ${label}: ${query.slice(0, 160)}`, sql: query, plan, write: label });
				}
			}
		} finally {
			await setting(`ALTER DATABASE DB RESET session_preload_libraries`);
			await setting(`ALTER DATABASE DB RESET auto_explain.log_min_duration`);
			await setting(`ALTER DATABASE DB RESET auto_explain.log_nested_statements`);
		}
	}

	/** The bundle's instance stopped and started again on its config (new process, new connections). */
	async function restartBundleInstance() {
		await stopChild(h.servers[0].child);
		h.servers[0] = await startDirectus(h.host, h.files[0], { url: h.info.url });
		pid = h.servers[0].child.pid;
	}
	/** A fresh token for every department user (the admin's is kept). */
	async function loginAll() {
		for (const [dept, u] of Object.entries(h.info.users)) tokens[dept] = await login(u.email, u.password);
	}

	/** The plan of one statement in the database's own words (PostgreSQL with ANALYZE when asked). */
	async function explain(sql, bindings, { analyze = false } = {}) {
		if (dialect === 'pg')
			return (await knex.raw(`EXPLAIN (${analyze ? 'ANALYZE, ' : ''}FORMAT TEXT) ${sql}`, bindings)).rows.map((r) => r['QUERY PLAN']).join('\n');
		if (dialect === 'sqlite') return (await knex.raw(`EXPLAIN QUERY PLAN ${sql}`, bindings)).map((r) => r.detail).join('\n');
		return mysqlPlan(await knex.raw(`EXPLAIN ${sql}`, bindings));
	}

	async function createPlainTwin(source, target) {
		const fields = (await ok('admin', 'GET', `/fields/${source}`)).data.filter((f) => f.type !== 'alias' && f.schema);
		const keep = ['is_nullable', 'default_value', 'is_unique', 'is_indexed', 'max_length', 'numeric_precision', 'numeric_scale'];
		await ok('admin', 'POST', '/collections', {
			collection: target,
			meta: { hidden: true, note: 'benchmark twin without hooks' },
			schema: {},
			fields: fields.map((f) => ({
				field: f.field,
				type: f.type,
				meta: {
					special: f.meta?.special ?? null,
					interface: f.meta?.interface ?? null,
					required: f.meta?.required ?? false,
					readonly: f.meta?.readonly ?? false,
					hidden: f.meta?.hidden ?? false,
				},
				schema: f.schema.is_primary_key
					? { is_primary_key: true, has_auto_increment: Boolean(f.schema.has_auto_increment), ...(f.type === 'uuid' ? { length: 36 } : {}) }
					: Object.fromEntries(keep.filter((k) => f.schema[k] !== undefined && f.schema[k] !== null).map((k) => [k, f.schema[k]])),
			})),
		});
		// Same foreign keys as the original.
		const relations = (await ok('admin', 'GET', `/relations/${source}`)).data.filter((r) => r.collection === source);
		for (const r of relations) {
			await ok('admin', 'POST', '/relations', {
				collection: target,
				field: r.field,
				related_collection: r.related_collection,
				schema: { on_delete: r.schema?.on_delete ?? 'SET NULL' },
				meta: {},
			});
		}
		for (const action of ['create', 'read', 'update']) {
			await ok('admin', 'POST', '/permissions', { policy: STAFF_POLICY.id, collection: target, action, fields: ['*'], permissions: {}, validation: {} });
		}
	}

	async function pickCustomers(n) {
		return (await knex('cp_customers').where('status', 'active').orderBy('code').limit(n).select('id')).map((r) => r.id);
	}

	async function measureWrites({ out = result.writes, tag = 'W' } = {}) {
		const customers = await pickCustomers(50);
		const lines = await reviewFixtures(knex, { count: Math.ceil((N + 5) / 6), tag, customers, users });
		const plainLines = await plainTwinLines(lines);
		const t0 = new Date(Date.now() - 60_000).toISOString();
		const sides = {
			create: { cp: [], plain: [], errors: { cp: 0, plain: 0 } },
			transition: { cp: [], plain: [], errors: { cp: 0, plain: 0 } },
			sign: { cp: [], plain: [], errors: { cp: 0, plain: 0 } },
		};
		const complaint = (i, side) => ({
			customer: customers[i % customers.length],
			summary: `Benchmark complaint ${side} ${i}`,
			channel: 'phone',
			received_at: t0,
			product: 'Valve DN50',
			batch: `${tag}${i}`,
			description: 'Measured write',
		});
		const ops = {
			create: {
				cp: (i) => call('sales', 'POST', '/items/cp_complaints', complaint(i, 'cp')),
				plain: (i) =>
					call('sales', 'POST', '/items/bench_plain_complaints', {
						...complaint(i, 'plain'),
						code: `PLAIN-${tag}-${i}`,
						status: 'received',
						dedupe_key: `plain-${tag.toLowerCase()}-${i}`,
					}),
			},
			transition: {
				cp: (i, id) => call('quality', 'PATCH', `/items/cp_complaints/${id}`, { status: 'investigating' }),
				plain: (i, id) => call('quality', 'PATCH', `/items/bench_plain_complaints/${id}`, { status: 'investigating' }),
			},
			sign: {
				cp: (i) => call(lines[i].department, 'PATCH', `/items/cp_review_lines/${lines[i].id}`, SIGN_OFF),
				plain: (i) => call(plainLines[i].department, 'PATCH', `/items/bench_plain_review_lines/${plainLines[i].id}`, SIGN_OFF),
			},
		};
		const record = (kind, side, r) => {
			if (r.status >= 300) {
				sides[kind].errors[side]++;
				if (sides[kind].errors[side] <= 3) log(`write ${kind} ${side}: ${r.status} ${r.code} ${r.message}`);
			} else sides[kind][side].push(r.ms);
			return r;
		};
		for (let i = -5; i < N; i++) {
			const j = i + 5; // warm-up writes use the first entries too
			const order = i % 2 ? ['cp', 'plain'] : ['plain', 'cp'];
			const created = {};
			for (const side of order) {
				const r = await ops.create[side](j);
				created[side] = r.data?.id;
				if (i >= 0) record('create', side, r);
			}
			for (const side of order) {
				if (!created[side]) continue;
				const r = await ops.transition[side](j, created[side]);
				if (i >= 0) record('transition', side, r);
			}
			if (j < lines.length) {
				for (const side of order) {
					const r = await ops.sign[side](j);
					if (i >= 0) record('sign', side, r);
				}
			}
		}
		const labels = {
			create: 'create a complaint (POST /items)',
			transition: 'complaint received → investigating (PATCH /items)',
			sign: 'sign a review line (PATCH /items)',
		};
		for (const [kind, s] of Object.entries(sides)) {
			const a = stats(s.cp);
			const b = stats(s.plain);
			out.push({
				op: labels[kind],
				cp: { p50: r1(a.p50), p95: r1(a.p95), n: a.n },
				plain: { p50: r1(b.p50), p95: r1(b.p95), n: b.n },
				ratio50: r2(a.p50 / b.p50),
				ratio95: r2(a.p95 / b.p95),
				errors: s.errors,
			});
			log(`write ${kind}: cp p50 ${r1(a.p50)} p95 ${r1(a.p95)} | plain p50 ${r1(b.p50)} p95 ${r1(b.p95)} | ratio ${r2(a.p50 / b.p50)}`);
		}
	}

	/** bench_plain_review_lines: one pending twin per fixture line, same contract and department. */
	async function plainTwinLines(lines) {
		const { randomUUID } = await import('node:crypto');
		const rows = lines.map((l) => ({
			id: randomUUID(),
			contract: l.contract,
			round: 1,
			stage: 'review',
			department: l.department,
			decision: 'pending',
			signed_as_admin: false,
			checklist: JSON.stringify([{ key: 'capability', checked: false }]),
			date_created: new Date(),
		}));
		for (let i = 0; i < rows.length; i += 200) await knex('bench_plain_review_lines').insert(rows.slice(i, i + 200));
		return rows.map((r) => ({ id: r.id, department: r.department }));
	}

	async function measureConcurrency({ out = result.concurrency, tag = 'C' } = {}) {
		const customers = await pickCustomers(200);
		const levels = [1, 8, 32];
		const M = CONC_OPS;
		// Department-major order: concurrent clients sign lines of different contracts.
		const contractsNeeded = Math.ceil((levels.length * M) / 6) + 1;
		const fixture = await reviewFixtures(knex, { count: contractsNeeded, tag, customers, users });
		const byDept = [];
		for (let k = 0; k < 6; k++) for (let c = 0; c < contractsNeeded; c++) byDept.push(fixture[c * 6 + k]);
		const plain = await plainTwinLines(byDept);
		let lineAt = 0;
		let plainAt = 0;
		let seq = 0;
		const t0 = new Date(Date.now() - 60_000).toISOString();
		/** `count` writes by `concurrency` clients; latencies, errors and busy time add up over calls. */
		async function pool(concurrency, count, op, acc = { lat: [], errors: {}, secs: 0 }) {
			let next = 0;
			const { lat, errors } = acc;
			const t = performance.now();
			await Promise.all(
				Array.from({ length: concurrency }, async () => {
					for (;;) {
						const i = next++;
						if (i >= count) return;
						const r = await op(i);
						if (r.status >= 300) {
							errors[`${r.status} ${r.code ?? ''}`.trim()] = (errors[`${r.status} ${r.code ?? ''}`.trim()] ?? 0) + 1;
							acc.sample ??= r.message;
						} else lat.push(r.ms);
					}
				}),
			);
			acc.secs += (performance.now() - t) / 1000;
			return acc;
		}
		const summary = (acc) => ({
			ok: acc.lat.length,
			throughput: r1(acc.lat.length / acc.secs),
			p50: r1(pct(acc.lat, 50)),
			p95: r1(pct(acc.lat, 95)),
			errors: acc.errors,
			errorSample: acc.sample ?? null,
		});
		const ops = {
			'sign-off': {
				cp: () => {
					const l = byDept[lineAt++];
					return call(l.department, 'PATCH', `/items/cp_review_lines/${l.id}`, SIGN_OFF);
				},
				plain: () => {
					const l = plain[plainAt++];
					return call(l.department, 'PATCH', `/items/bench_plain_review_lines/${l.id}`, SIGN_OFF);
				},
			},
			'complaint intake': {
				cp: () => {
					const i = seq++;
					return call('sales', 'POST', '/items/cp_complaints', {
						customer: customers[i % customers.length],
						summary: `Concurrent complaint ${i}`,
						channel: 'web',
						received_at: t0,
						product: 'Seal kit',
						batch: `${tag}${i}`,
					});
				},
				plain: () => {
					const i = seq++;
					return call('sales', 'POST', '/items/bench_plain_complaints', {
						customer: customers[i % customers.length],
						summary: `Concurrent complaint ${i}`,
						channel: 'web',
						received_at: t0,
						product: 'Seal kit',
						batch: `${tag}${i}`,
						code: `PLAIN-${tag}-${i}`,
						status: 'received',
						dedupe_key: `plain-${tag.toLowerCase()}-${i}`,
					});
				},
			},
		};
		for (const c of levels) {
			for (const [kind, sides] of Object.entries(ops)) {
				// A-B-B-A halves, so that a drift in the machine's load hits both sides alike.
				const acc = { cp: { lat: [], errors: {}, secs: 0 }, plain: { lat: [], errors: {}, secs: 0 } };
				for (const side of ['cp', 'plain', 'plain', 'cp']) await pool(c, M / 2, sides[side], acc[side]);
				const res = { cp: summary(acc.cp), plain: summary(acc.plain) };
				out.push({ clients: c, op: kind, ops: M, cp: res.cp, plain: res.plain, throughputRatio: r2(res.cp.throughput / res.plain.throughput) });
				log(
					`concurrency ${c} ${kind}: cp ${res.cp.throughput}/s p95 ${res.cp.p95} ms errors ${JSON.stringify(res.cp.errors)} | plain ${res.plain.throughput}/s p95 ${res.plain.p95} ms`,
				);
			}
		}
	}
} catch (e) {
	if (!e?.done) {
		// knex puts the whole statement into its messages: keep them readable.
		console.error(String(e?.stack ?? e).slice(0, 3000));
		exitCode = 1;
	}
} finally {
	await knex.destroy().catch(() => undefined);
	await h.teardown();
}
process.exit(exitCode);

// ========================================================================= rendering

export function renderResult(res) {
	const out = [];
	const dbName =
		res.db === 'postgres'
			? `PostgreSQL ${res.versions.postgres ?? ''}`.trim()
			: res.db === 'sqlite'
				? `SQLite ${res.versions.sqlite ?? ''}`.trim()
				: res.db === 'mysql'
					? `${/mariadb/i.test(res.versions.mysql ?? '') ? 'MariaDB' : 'MySQL'} ${res.versions.mysql ?? ''}`.trim()
					: res.db;
	out.push(`### ${dbName}, scale ${res.scale}`);
	out.push('');
	out.push(`- Command: \`${res.command}\``);
	out.push(`- Date: ${res.date.slice(0, 16).replace('T', ' ')} UTC; total ${res.seconds ?? '?'} s (data generation ${res.generateSeconds?.join(' + ')} s)`);
	out.push(
		`- Machine: ${res.machine.nproc} cores (${res.machine.cpu}), ${res.machine.memoryGb} GiB; shared with other engineers' test runs (load average at the end: ${res.machine.loadavg})`,
	);
	out.push(`- Directus ${res.versions.directus} on Node ${res.versions.directusNode}; benchmark client Node ${res.versions.benchNode}`);
	out.push(
		`- Rows: ${Object.entries(res.rows)
			.map(([t, n]) => `${t.replace('cp_', '')} ${n.toLocaleString('en')}`)
			.join(', ')}`,
	);
	out.push('');
	out.push(
		'**(a) Write overhead of the hooks** (REST, as the department users; interleaved with the same write on a `bench_plain_*` twin collection of the same fields and foreign keys, without hooks)',
	);
	out.push('');
	out.push(
		table(
			['write', 'bundle p50', 'bundle p95', 'plain p50', 'plain p95', 'ratio p50', 'ratio p95', 'n', 'errors'],
			res.writes.map((w) => [
				w.op,
				ms(w.cp.p50),
				ms(w.cp.p95),
				ms(w.plain.p50),
				ms(w.plain.p95),
				x(w.ratio50),
				x(w.ratio95),
				w.cp.n,
				`${w.errors.cp}/${w.errors.plain}`,
			]),
		),
	);
	out.push('');
	out.push(
		`**(b) Read endpoints against hand-written SQL** (same database; the endpoint through HTTP as the GM or Quality user, the SQL through knex in the benchmark process; ${res.reps} interleaved repetitions after 2 warm-ups; "same answer" compares a total both must give; floors measured alongside: GET /server/ping p50 ${ms(res.httpFloor?.p50)}, authenticated GET /cp/kpi (no query) p50 ${ms(res.endpointFloor?.p50)}${res.itemsFloor ? `, Directus's GET /items/cp_complaints?limit=0 p50 ${ms(res.itemsFloor.p50)} (/cp floor ${x(r2(res.endpointFloor.p50 / res.itemsFloor.p50))} of it)` : ''}; "API p50 − floor" is the endpoint's own work, "own / SQL" that work against the hand SQL)`,
	);
	out.push('');
	out.push(
		table(
			['endpoint', 'API p50', 'API p95', 'SQL p50', 'SQL p95', 'ratio p50', 'ratio p95', 'API p50 − floor', 'own / SQL', 'same answer'],
			res.reads.map((r) => [
				`\`${r.endpoint}\``,
				ms(r.api.p50),
				ms(r.api.p95),
				ms(r.sql.p50),
				ms(r.sql.p95),
				x(r.ratio50),
				x(r.ratio95),
				ms(r.overFloor50),
				x(r.ownRatio50),
				r.sameAnswer ? 'yes' : `no (${r.check.join(' vs ')})`,
			]),
		),
	);
	out.push('');
	out.push(
		'**(c) Scheduled jobs at two table sizes, same due items** (the same items made due again before each run; "small" is 20% of the rows, "full" all of them; rows = the table the job scans)',
	);
	out.push('');
	const jobNames = ['complaints-tick', 'surveys-tick', 'property-checks', 'control: GET /server/ping'];
	out.push(
		table(
			['job', 'due items per run', 'small: rows', 'small p50', 'small p95', 'full: rows', 'full p50', 'full p95', 'full/small p50'],
			jobNames.map((job) => {
				const s = res.jobs.find((j) => j.size === 'small' && j.job === job && !j.drain);
				const f = res.jobs.find((j) => j.size === 'full' && j.job === job && !j.drain);
				return [
					job,
					s?.due ?? '–',
					s?.rows?.toLocaleString('en') ?? '–',
					ms(s?.p50),
					ms(s?.p95),
					f?.rows?.toLocaleString('en') ?? '–',
					ms(f?.p50),
					ms(f?.p95),
					x(s && f ? r2(f.p50 / s.p50) : null),
				];
			}),
		),
	);
	out.push('');
	const drains = res.jobs.filter((j) => j.drain);
	out.push(
		`Backlog worked off once after each load (items that were due in the generated data): ${drains.map((d) => `${d.size} ${d.job} ${d.processed} items in ${d.ms} ms`).join('; ')}.`,
	);
	out.push('');
	out.push(
		"<details><summary>Query plans of the jobs' and the indicators' main queries, and of every statement of one write of each kind (PostgreSQL, auto_explain)</summary>",
	);
	out.push('');
	for (const e of res.explain) {
		out.push(`${e.label}`);
		out.push('```');
		out.push(e.plan);
		out.push('```');
	}
	out.push('</details>');
	out.push('');
	out.push(`**(d) Concurrent writes** (${res.concurrency[0]?.ops ?? '?'} writes per side and level; throughput in successful writes per second)`);
	out.push('');
	out.push(
		table(
			['clients', 'write', 'bundle /s', 'bundle p95', 'plain /s', 'plain p95', 'throughput ratio', 'bundle errors'],
			res.concurrency.map((c) => [
				c.clients,
				c.op,
				c.cp.throughput,
				ms(c.cp.p95),
				c.plain.throughput,
				ms(c.plain.p95),
				x(c.throughputRatio),
				Object.keys(c.cp.errors).length
					? Object.entries(c.cp.errors)
							.map(([k, v]) => `${v}× ${k}`)
							.join(', ')
					: 'none',
			]),
		),
	);
	out.push('');
	const samples = [...new Set(res.concurrency.flatMap((c) => (c.cp.errorSample ? [`${c.op}: "${c.cp.errorSample}"`] : [])))];
	if (samples.length) out.push('', `Bundle error message${samples.length > 1 ? 's' : ''}: ${samples.join('; ')}`);
	out.push('');
	const m = res.memory;
	out.push('**(e) Memory of the Directus process** (VmHWM from /proc; the peak is reset before each phase)');
	out.push('');
	out.push(
		table(
			['phase', 'peak RSS', 'RSS after'],
			[
				['after start-up and install', `${m.afterStartup?.peakMb} MiB`, `${m.afterStartup?.rssMb} MiB`],
				['jobs, small tables', `${m.jobs?.small?.peakMb} MiB`, `${m.jobs?.small?.rssMb} MiB`],
				['jobs, full tables', `${m.jobs?.full?.peakMb} MiB`, `${m.jobs?.full?.rssMb} MiB`],
				['read endpoints (KPIs, queue, stats)', `${m.reads?.peakMb} MiB`, `${m.reads?.rssMb} MiB`],
				['writes and concurrency', `${m.writes?.peakMb} MiB`, `${m.writes?.rssMb} MiB`],
			],
		),
	);
	if (m.plainWrites) {
		out.push('');
		out.push(
			"**(g) Peak RSS against a plain Directus** (both processes started fresh on the same database; the write and concurrency phases again, the bundle's writes on the bundle's instance, the twin's on a Directus without extensions; peak reset after a warm-up)",
		);
		out.push('');
		out.push(
			table(
				['process', 'RSS after start', 'peak RSS in the writes', 'ratio'],
				[
					[
						'Directus with the bundle (bundle writes)',
						`${m.cpWrites.afterStartMb} MiB`,
						`${m.cpWrites.peakMb} MiB`,
						x(r2(m.cpWrites.peakMb / m.plainWrites.peakMb)),
					],
					['plain Directus (twin writes)', `${m.plainWrites.afterStartMb} MiB`, `${m.plainWrites.peakMb} MiB`, '1×'],
				],
			),
		);
		const pw = res.plainHost?.writes ?? [];
		if (pw.length) {
			out.push('');
			out.push('The same writes, the twin on the plain Directus (p50):');
			out.push('');
			out.push(
				table(
					['write', 'bundle', 'twin on a plain Directus', 'ratio'],
					pw.map((w) => [w.op, ms(w.cp.p50), ms(w.plain.p50), x(w.ratio50)]),
				),
			);
		}
		const pc = res.plainHost?.concurrency ?? [];
		if (pc.length) {
			out.push('');
			out.push(
				table(
					['clients', 'operation', 'bundle /s', 'twin on a plain Directus /s', 'ratio'],
					pc.map((c) => [c.clients, c.op, c.cp.throughput, c.plain.throughput, x(c.throughputRatio)]),
				),
			);
		}
	}
	if (res.evidence?.length) out.push('', renderEvidence(res));
	if (res.notes.length) {
		out.push('');
		for (const n of res.notes) out.push(`- ${n}`);
	}
	return out.join('\n');
}

/** (f) The evidence pack's table (issue 14). */
export function renderEvidence(res) {
	return [
		`**(f) Evidence pack, as Quality** (${res.db}, scale ${res.scale}; direct download and background export into the file library; peak RSS of the Directus process, reset before each)`,
		'',
		table(
			['period', 'mode', 'time', 'zip', 'RSS before → peak', 'load average after'],
			res.evidence.map((e) => [
				`${e.period} ${e.from} .. ${e.to}`,
				`${e.mode === 'sync' ? 'GET' : 'background'}${e.sample ? `, sample ${e.sample}` : ''}`,
				`${e.seconds} s`,
				`${e.mb} MB`,
				`${e.rssBeforeMb} → ${e.peakMb} MiB`,
				e.loadavg.split(' ').slice(0, 3).join(' '),
			]),
		),
	].join('\n');
}

function writeDoc() {
	const doc = join(ROOT, 'docs/BENCHMARKS.md');
	// Every full run on record, each with its evidence-pack run of the same size if there is one.
	const results = loadRuns(join(HERE, 'results')).sort((a, b) => a.db.localeCompare(b.db) || a.scale - b.scale);
	const body = results.map(renderResult).join('\n\n');
	const START = '<!-- results:start (written by bench/run.mjs) -->';
	const END = '<!-- results:end -->';
	let text = existsSync(doc) ? readFileSync(doc, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
	if (!text.includes(START)) text += `\n${START}\n${END}\n`;
	text = text.slice(0, text.indexOf(START) + START.length) + '\n\n' + body + '\n\n' + text.slice(text.indexOf(END));
	// Issue 14's targets against every full run (bench/targets.mjs), where the doc asks for them.
	const T0 = '<!-- targets:start (written by bench/run.mjs) -->';
	const T1 = '<!-- targets:end -->';
	if (text.includes(T0) && text.includes(T1)) {
		text = text.slice(0, text.indexOf(T0) + T0.length) + '\n\n' + renderTargets(loadRuns(join(HERE, 'results'))) + '\n\n' + text.slice(text.indexOf(T1));
	}
	writeFileSync(doc, text);
	log(`wrote ${doc}`);
}
