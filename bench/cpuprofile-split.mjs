// Issue 14: where the Directus process's CPU went during an evidence pack, from a V8 CPU profile
// (run the bench with NODE_OPTIONS="--cpu-prof --cpu-prof-dir=DIR"; Directus inherits it).
// Each sample goes to one bucket by its stack: PDF (layout, or the end: font subset and streams),
// HTML, zlib outside the PDF (the zip's deflate), Directus reads, GC, idle.
//   node bench/cpuprofile-split.mjs DIR/CPU.….cpuprofile
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = p.timeDeltas;
const total = dt.reduce((a, b) => a + b, 0);
// The pack's own window: from the first to the last sample inside the pack's code (start-up and
// the bench's data generation are left out).
const PACK = new Set(['countEvidencePack', 'addCsv', 'formsOf', 'writeEvidencePack', 'renderPdf']);
const stackNames = (id) => {
	const out = [];
	while (id !== undefined) {
		out.push(nodes.get(id).callFrame.functionName);
		id = parent.get(id);
	}
	return out;
};
const inPack = p.samples.map((id) => stackNames(id).some((n) => PACK.has(n)));
const first = inPack.indexOf(true);
const last = inPack.lastIndexOf(true);
let windowUs = 0;
for (let i = first; i <= last; i++) windowUs += dt[i] ?? 0;
const cats = new Map();
const other = new Map();
for (let i = first; i <= last; i++) {
	const t = dt[i] ?? 0;
	let id = p.samples[i];
	const names = [];
	const urls = [];
	while (id !== undefined) {
		const f = nodes.get(id).callFrame;
		names.push(f.functionName);
		urls.push(f.url);
		id = parent.get(id);
	}
	const has = (n) => names.includes(n);
	let c;
	if (names[0] === '(idle)') c = 'idle';
	else if (names[0] === '(garbage collector)') c = 'gc';
	else if (has('renderPdf')) c = has('end') && (has('embed') || has('finalize')) ? 'pdf: end (font subset embed, streams)' : 'pdf: layout';
	else if (names.some((n, j) => urls[j]?.includes('pdfkit'))) c = 'pdf: other';
	else if (has('renderHtml')) c = 'html';
	else if (urls.some((u) => u.includes('zlib'))) c = 'zlib (not in renderPdf)';
	else if (urls.some((u) => u.includes('archiver') || u.includes('zip-stream') || u.includes('compress-commons') || u.includes('crc'))) c = 'zip';
	else if (urls.some((u) => /knex|\/pg\/|pg-protocol|run-ast|services\/items|permissions|get-ast|sanitize|lodash|shared\/|validate/.test(u)))
		c = 'Directus reads (ItemsService, knex, pg)';
	else if (urls.some((u) => u.includes('api.js'))) {
		c = 'bundle other';
		const k = names.slice(0, 4).join('<');
		other.set(k, (other.get(k) ?? 0) + t);
	} else c = 'other';
	cats.set(c, (cats.get(c) ?? 0) + t);
}
console.log('profile', (total / 1e6).toFixed(1), "s; the pack's window", (windowUs / 1e6).toFixed(1), 's');
for (const [k, v] of [...cats].sort((a, b) => b[1] - a[1]))
	console.log((v / 1e6).toFixed(1).padStart(7), 's', ((100 * v) / windowUs).toFixed(1).padStart(5) + '%', k);
if (process.argv[3] === '--other') for (const [k, v] of [...other].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log((v / 1e6).toFixed(2).padStart(7), k);
