// Regenerates snapshots/customer-processes.json from scripts/schema/collections.mjs.
// It starts a throwaway Directus on SQLite with no extensions, creates the collections
// through the API, and writes what `GET /schema/snapshot` returns, keeping only cp_ entries.
// Usage: npm run snapshot:generate
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collections } from './schema/collections.mjs';
import { ROOT, baseConfig, bootstrap, dbSettings, hostPaths, startDirectus, writeConfig } from './lib/host.mjs';
import { connect } from './lib/api.mjs';

const dataDir = mkdtempSync(join(tmpdir(), 'cp-snapshot-'));
const port = 18000 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}`;
const host = hostPaths(process.env.CP_HOST_DIR ?? ROOT);
mkdirSync(join(dataDir, 'ext'));
const config = writeConfig(join(dataDir, 'directus.env'), {
	...baseConfig({ port, dataDir }),
	...dbSettings('sqlite', { name: 'snapshot', dataDir }),
	EXTENSIONS_PATH: join(dataDir, 'ext'),
	ADMIN_EMAIL: 'admin@example.com',
	ADMIN_PASSWORD: 'snapshot-admin',
});

console.log(`[snapshot] bootstrapping Directus ${host.version()} in ${dataDir}`);
bootstrap(host, config);
const server = await startDirectus(host, config, { url });
try {
	const api = await connect({ url, email: 'admin@example.com', password: 'snapshot-admin' });
	const relations = [];
	for (const c of collections) {
		const fields = c.fields.map(({ related, on_delete, one_field, ...field }) => {
			if (related) relations.push({ collection: c.collection, field: field.field, related, on_delete, one_field });
			return field;
		});
		await api.post('/collections', { collection: c.collection, meta: c.meta, schema: c.schema, fields });
		console.log(`[snapshot] created ${c.collection} (${fields.length} fields)`);
	}
	for (const r of relations) {
		await api.post('/relations', {
			collection: r.collection,
			field: r.field,
			related_collection: r.related,
			schema: { on_delete: r.on_delete },
			meta: { one_deselect_action: 'nullify', sort_field: null, ...(r.one_field ? { one_field: r.one_field } : {}) },
		});
	}
	console.log(`[snapshot] created ${relations.length} relations`);
	const snapshot = await api.get('/schema/snapshot');
	const mine = (name) => name?.startsWith('cp_');
	snapshot.collections = snapshot.collections.filter((c) => mine(c.collection));
	snapshot.fields = snapshot.fields.filter((f) => mine(f.collection));
	snapshot.relations = snapshot.relations.filter((r) => mine(r.collection));
	snapshot.systemFields = (snapshot.systemFields ?? []).filter((f) => mine(f.collection));
	// SQLite has no decimal column: it reports every decimal as a float without precision, and a
	// float applied on MariaDB is FLOAT(10,5) (nothing from 100,000 up) and on PostgreSQL a
	// 6-digit real. Amounts and quantities keep the declared decimal(p,s) on every vendor.
	const declared = new Map(collections.flatMap((c) => c.fields.filter((x) => x.type === 'decimal').map((x) => [`${c.collection}.${x.field}`, x])));
	for (const field of snapshot.fields) {
		const d = declared.get(`${field.collection}.${field.field}`);
		if (!d) continue;
		field.type = 'decimal';
		Object.assign(field.schema, { data_type: 'decimal', numeric_precision: d.schema.numeric_precision, numeric_scale: d.schema.numeric_scale });
	}
	const out = join(ROOT, 'snapshots/customer-processes.json');
	mkdirSync(join(ROOT, 'snapshots'), { recursive: true });
	writeFileSync(out, JSON.stringify(snapshot, null, '\t') + '\n');
	console.log(
		`[snapshot] wrote ${out}: ${snapshot.collections.length} collections, ${snapshot.fields.length} fields, ${snapshot.relations.length} relations (Directus ${snapshot.directus})`,
	);
} finally {
	await server.stop();
	rmSync(dataDir, { recursive: true, force: true });
}
