// Issue 14's targets, one row each, against every full benchmark run in bench/results/ (one column
// per database and scale). Each cell is what that run measured and whether it meets the target;
// the causes of a miss are written in docs/BENCHMARKS.md next to the table. Used by run.mjs's
// writeDoc() and on its own: `node bench/targets.mjs` prints the table.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const RUN_ORDER = ['sqlite-0.1', 'postgres-0.1', 'postgres-1', 'postgres-3', 'mysql-1'];
const DB_NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MariaDB' };

const x = (v) => (v == null || Number.isNaN(v) ? '–' : `${Math.round(v * 100) / 100}×`);
const ms = (v) => (v == null || Number.isNaN(v) ? '–' : `${Math.round(v * 10) / 10} ms`);
const mark = (ok) => (ok == null ? '' : ok ? ' ✅' : ' ❌');

/** The full runs on record (partial --phases runs have their own file names and are left out). */
export function loadRuns(dir) {
	const runs = [];
	for (const f of readdirSync(dir)) {
		const m = /^(sqlite|postgres|mysql)-([\d.]+)\.json$/.exec(f);
		if (!m) continue;
		const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
		runs.push({ key: `${m[1]}-${m[2]}`, ...r });
	}
	// The evidence pack is measured on its own (--only evidence: hours at full size); its file joins the run of the same size.
	for (const run of runs) {
		const f = join(dir, `${run.key}-evidence.json`);
		if (!run.evidence?.length && existsSync(f)) run.evidence = JSON.parse(readFileSync(f, 'utf8')).evidence;
	}
	return runs.sort((a, b) => RUN_ORDER.indexOf(a.key) - RUN_ORDER.indexOf(b.key));
}

const write = (r, op) => r.writes?.find((w) => w.op.startsWith(op));
const conc = (r, op, clients) => r.concurrency?.find((c) => c.op === op && c.clients === clients);
const fullJob = (r, job) => r.jobs?.find((j) => j.size === 'full' && j.job === job && !j.drain);
const ownRatio = (e, floor) => (e.ownRatio50 != null ? e.ownRatio50 : floor != null ? (e.api.p50 - floor) / e.sql.p50 : null);

/** [target, cell(run)] rows; a cell is [text, met?]. */
const TARGETS = [
	[
		'complaint intake ≤ 1.3× the twin (p50)',
		(r) => {
			const w = write(r, 'create a complaint');
			return w && [`${x(w.ratio50)} (${ms(w.cp.p50)} / ${ms(w.plain.p50)})`, w.ratio50 <= 1.3];
		},
	],
	[
		'intake throughput ≥ 0.8× the twin at 8 / 32 clients',
		(r) => {
			const a = conc(r, 'complaint intake', 8);
			const b = conc(r, 'complaint intake', 32);
			return a && b && [`${x(a.throughputRatio)} / ${x(b.throughputRatio)}`, a.throughputRatio >= 0.8 && b.throughputRatio >= 0.8];
		},
	],
	[
		'intake errors under concurrency (numbers unique)',
		(r) => {
			const rows = (r.concurrency ?? []).filter((c) => c.op === 'complaint intake');
			if (!rows.length) return null;
			const failed = rows.reduce((s, c) => s + (c.ops - c.cp.ok), 0);
			return [failed ? `${failed} refused` : 'none', failed === 0];
		},
	],
	[
		'transition received → investigating ≤ 1.2× (p50)',
		(r) => {
			const w = write(r, 'complaint received');
			return w && [x(w.ratio50), w.ratio50 <= 1.2];
		},
	],
	[
		'sign-off ≤ 1.2× (p50)',
		(r) => {
			const w = write(r, 'sign a review line');
			return w && [x(w.ratio50), w.ratio50 <= 1.2];
		},
	],
	[
		'every indicator, stats, summary, queue, checks-due < 100 ms p95',
		(r) => {
			if (!r.reads?.length) return null;
			const slow = r.reads.filter((e) => e.api.p95 >= 100);
			const worst = r.reads.reduce((a, b) => (b.api.p95 > a.api.p95 ? b : a));
			return [
				slow.length
					? `${r.reads.length - slow.length} of ${r.reads.length}; slowest ${worst.endpoint.replace('/cp/kpi/', '')} ${ms(worst.api.p95)}`
					: `all ${r.reads.length}; slowest ${ms(worst.api.p95)}`,
				slow.length === 0,
			];
		},
	],
	[
		"endpoint's own work ≤ 1.5× the hand SQL (p50)",
		(r) => {
			if (!r.reads?.length) return null;
			const floor = r.endpointFloor?.p50;
			const ratios = r.reads.map((e) => [e, ownRatio(e, floor)]).filter(([, v]) => v != null);
			const over = ratios.filter(([, v]) => v > 1.5);
			return [
				`${ratios.length - over.length} of ${ratios.length} within${over.length ? `; worst ${x(Math.max(...over.map(([, v]) => v)))}` : ''}`,
				over.length === 0,
			];
		},
	],
	[
		'all answers equal to the hand SQL',
		(r) => {
			if (!r.reads?.length) return null;
			const differ = r.reads.filter((e) => !e.sameAnswer);
			return [differ.length ? `differ: ${differ.map((e) => e.endpoint).join(', ')}` : 'yes', differ.length === 0];
		},
	],
	[
		"no-op `/cp` floor ≤ 1.2× Directus's `GET /items?limit=0`",
		(r) => {
			const a = r.endpointFloor?.p50;
			const b = r.itemsFloor?.p50;
			return a != null && b != null && [`${x(a / b)} (${ms(a)} / ${ms(b)})`, a / b <= 1.2];
		},
	],
	[
		'jobs ≤ 5 ms per due item (full tables)',
		(r) => {
			const jobs = ['complaints-tick', 'surveys-tick', 'property-checks'].map((j) => fullJob(r, j)).filter(Boolean);
			if (!jobs.length) return null;
			const per = jobs.map((j) => [j.job, j.p50 / j.due]);
			return [per.map(([j, v]) => `${j.replace('-tick', '').replace('property-checks', 'checks')} ${ms(v)}`).join(', '), per.every(([, v]) => v <= 5)];
		},
	],
	[
		'jobs cost nothing per item not due (full / small tables, p50)',
		(r) => {
			const ratios = ['complaints-tick', 'surveys-tick', 'property-checks']
				.map((j) => [fullJob(r, j), r.jobs?.find((s) => s.size === 'small' && s.job === j && !s.drain)])
				.filter(([a, b]) => a && b)
				.map(([a, b]) => a.p50 / b.p50);
			return ratios.length && [ratios.map(x).join(', '), ratios.every((v) => v <= 1.3)];
		},
	],
	[
		'peak RSS in the write phases ≤ 1.2× a plain Directus',
		(r) => {
			// Fresh processes on both sides when measured (phase g); else the bundle's instance after the other phases.
			const w = r.memory?.cpWrites?.peakMb ?? r.memory?.writes?.peakMb;
			const plain = r.memory?.plainWrites?.peakMb;
			if (w == null) return null;
			return plain != null ? [`${x(w / plain)} (${w} / ${plain} MiB)`, w / plain <= 1.2] : [`${w} MiB (no plain Directus measured)`, null];
		},
	],
	[
		'evidence pack of a quarter: < 1 min, or a background export with flat memory',
		(r) => {
			const q = (r.evidence ?? []).filter((e) => /quarter/i.test(e.period ?? e.name ?? '') && !e.sample);
			if (!q.length) return null;
			return [q.map((e) => `${e.mode} ${e.seconds} s, ${e.mb} MB, peak ${e.peakMb} MiB`).join('; '), q.some((e) => e.seconds < 60 || e.mode === 'background')];
		},
	],
];

export function renderTargets(runs) {
	const head = ['target', ...runs.map((r) => `${DB_NAME[r.db] ?? r.db} ${r.scale}`)];
	const rows = TARGETS.map(([name, cell]) => [
		name,
		...runs.map((r) => {
			const c = cell(r);
			return c ? `${c[0]}${mark(c[1])}` : 'not measured';
		}),
	]);
	rows.push(['load average at the end of the run', ...runs.map((r) => r.machine?.loadavg?.split(' ').slice(0, 3).join(' ') ?? '–')]);
	rows.push([
		'date, commit',
		...runs.map(
			(r) =>
				`${String(r.date ?? '')
					.slice(0, 16)
					.replace('T', ' ')}${r.commit ? `, ${r.commit}` : ''}`,
		),
	]);
	const line = (cells) => `| ${cells.join(' | ')} |`;
	return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
	console.log(renderTargets(loadRuns(join(import.meta.dirname, 'results'))));
}
