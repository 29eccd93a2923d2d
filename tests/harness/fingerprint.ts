// What a company owns on an instance, as one comparable value: every row of its own tables and
// every directus_* row that is not the bundle's (our rows name cp_ collections, carry the fixed
// c0ffee00- ids, or are the settings' module bar, compared on their own). Activity, revisions,
// sessions and the users' last-access stamps change with every login and are left out.
import type { Knex } from 'knex';

const VOLATILE = new Set(['directus_activity', 'directus_revisions', 'directus_sessions', 'directus_migrations', 'directus_extensions']);
const OURS = /cp_|c0ffee00-|customer-processes/;

const omit = (row: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

export async function tableNames(knex: Knex): Promise<string[]> {
	const client = (knex.client as any).config.client;
	if (client === 'sqlite3') {
		const rows = await knex.raw(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'knex_%'`);
		return rows.map((r: any) => r.name).sort();
	}
	if (client === 'pg') {
		const rows = await knex.raw(`select table_name as name from information_schema.tables where table_schema = 'public'`);
		return rows.rows.map((r: any) => r.name).sort();
	}
	const [rows] = await knex.raw(`select table_name as name from information_schema.tables where table_schema = database()`);
	return rows.map((r: any) => r.name ?? r.NAME).sort();
}

/** company tables + directus_* rows that are not ours -> JSON of their rows (sorted). */
export async function fingerprint(knex: Knex): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const t of await tableNames(knex)) {
		if (t.startsWith('cp_') || VOLATILE.has(t)) continue;
		let rows: any[] = await knex(t).select('*');
		if (t === 'directus_users') rows = rows.map((r) => omit(r, ['last_access', 'last_page', 'token']));
		if (t === 'directus_settings') rows = rows.map((r) => omit(r, ['module_bar']));
		out[t] = rows
			.map((r) => JSON.stringify(r))
			.filter((j) => t === 'directus_settings' || !OURS.test(j))
			.sort();
	}
	return out;
}

/** Every row of the bundle's own tables and metadata: what a second install must not change. */
export async function ourFingerprint(knex: Knex): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const t of await tableNames(knex)) {
		if (VOLATILE.has(t) || t === 'directus_users') continue;
		const rows: any[] = await knex(t).select('*');
		out[t] = rows
			.map((r) => JSON.stringify(r))
			.filter((j) => t.startsWith('cp_') || OURS.test(j))
			.sort();
	}
	return out;
}
