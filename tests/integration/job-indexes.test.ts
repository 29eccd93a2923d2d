// Issue 14: the scheduled jobs read only what is due. Their composite indexes
// (services/indexes.ts), which the schema declaration cannot state, exist after an install (step
// 0.4.0, run by the harness as by a fresh install) on whichever database CP_TEST_DB names, with
// their columns in the declared order; `POST /cp/jobs/indexes` is the administrator's and a re-run
// creates nothing.
import { describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { database, http, ok } from '../harness/client';
import { INDEXES } from '../../extensions/customer-processes/src/services/indexes';

/** The columns of index `name` on `table`, in order, or null when it does not exist. */
async function indexColumns(knex: Knex, table: string, name: string): Promise<string[] | null> {
	const client = String((knex.client as any).config.client);
	let cols: string[];
	if (client === 'sqlite3') cols = (await knex.raw(`select name from pragma_index_info(?)`, [name])).map((r: any) => r.name);
	else if (client === 'pg') {
		const rows = (
			await knex.raw(
				`select a.attname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
				 join lateral unnest(i.indkey) with ordinality k(attnum, n) on true join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
				 where c.relname = ? and t.relname = ? order by k.n`,
				[name, table],
			)
		).rows;
		cols = rows.map((r: any) => r.name);
	} else {
		const [rows] = await knex.raw(
			`select column_name as name from information_schema.statistics where table_schema = database() and table_name = ? and index_name = ? order by seq_in_index`,
			[table, name],
		);
		cols = rows.map((r: any) => r.name ?? r.NAME);
	}
	return cols.length ? cols : null;
}

describe("the jobs' composite indexes (issue 14)", () => {
	it("issue 14: after install the jobs' composite indexes exist with their declared columns (deadlines CP-4, reminders and escalations CP-3, checks PR-5, surveys CC-4)", async () => {
		const knex = database();
		for (const ix of INDEXES) expect(await indexColumns(knex, ix.table, ix.name), ix.name).toEqual([...ix.columns]);
	});

	it('issue 14: POST /cp/jobs/indexes is for administrators, and a re-run creates nothing', async () => {
		const refused = await http('sales', 'POST', '/cp/jobs/indexes', {});
		expect(refused.status).toBe(403);
		expect(refused.code).toBe('CP_SYSTEM_ONLY');
		const again = await ok('admin', 'POST', '/cp/jobs/indexes', {});
		expect(again).toEqual({ created: [], present: INDEXES.map((i) => i.name), skipped: [] });
	});

	it('issue 14: an index dropped (e.g. by a table rebuild) is created again by the job, and only that one', async () => {
		const knex = database();
		const ix = INDEXES.find((i) => i.name === 'cp_actions_escalate_index')!;
		await knex.schema.alterTable(ix.table, (t) => t.dropIndex([...ix.columns], ix.name));
		expect(await indexColumns(knex, ix.table, ix.name)).toBeNull();
		const r = await ok('admin', 'POST', '/cp/jobs/indexes', {});
		expect(r.created).toEqual([ix.name]);
		expect(await indexColumns(knex, ix.table, ix.name)).toEqual([...ix.columns]);
	});
});
