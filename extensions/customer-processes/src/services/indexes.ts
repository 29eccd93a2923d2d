// The composite indexes of the scheduled jobs and of the review cycle time (issue 14), in one place: the schema declaration
// (scripts/schema/collections.mjs, Directus's field schema) states single-column indexes only.
// Created by the upgrade step 0.4.0 through `POST /cp/jobs/indexes` (scripts/migrations/steps.mjs),
// which every install and upgrade runs; idempotent, so a re-run creates only what is missing.
//
// Imports nothing at run time: bench/run.mjs imports this file directly (Node 22 strips the types)
// to give its hook-free twin of cp_complaints the same indexes.
import type { Knex } from 'knex';

export interface CompositeIndex {
	table: string;
	/** Unique in the database (PostgreSQL and SQLite name indexes per schema, not per table). */
	name: string;
	columns: readonly string[];
	/** The query it serves. */
	why: string;
}

/**
 * Each job's read leads with what separates the rows still to handle from those handled (a flag
 * unset, a time not yet stamped, an open status as an IN list) and ends with the due time as a
 * range, so the read touches only the items due: nothing per complaint, action or item not due.
 * The flags are compared as `= false OR IS NULL`: two ranges of the same index.
 */
export const INDEXES: readonly CompositeIndex[] = [
	{
		table: 'cp_complaints',
		name: 'cp_complaints_response_watch_index',
		columns: ['responded_at', 'response_breached', 'response_due_at'],
		why: 'complaints tick, response deadline (CP-4): not responded, not flagged, due by now',
	},
	{
		table: 'cp_complaints',
		name: 'cp_complaints_resolution_watch_index',
		columns: ['status', 'resolution_breached', 'resolution_due_at'],
		why: 'complaints tick, resolution deadline (CP-4): open statuses, not flagged, due by now',
	},
	{
		table: 'cp_actions',
		name: 'cp_actions_remind_index',
		columns: ['status', 'reminded_at', 'due_at'],
		why: 'complaints tick, reminders (CP-3): open or overdue, not reminded, due within the lead',
	},
	{
		table: 'cp_actions',
		name: 'cp_actions_escalate_index',
		columns: ['status', 'escalated_at', 'due_at'],
		why: 'complaints tick, escalations (CP-3): open or overdue, not escalated, past due',
	},
	{
		table: 'cp_property',
		name: 'cp_property_check_watch_index',
		columns: ['status', 'next_check_due', 'check_notified_for'],
		why: 'property checks (PR-5): held items due by today; whether announced is read from the index',
	},
	{
		table: 'cp_communications',
		name: 'cp_communications_survey_period_index',
		columns: ['period_key', 'type', 'customer'],
		why: "surveys tick (CC-4): the period's survey of each customer, and the period's count",
	},
	{
		table: 'cp_audit',
		name: 'cp_audit_completions_index',
		columns: ['action', 'collection', 'at', 'review_route', 'cycle_hours'],
		why: "review cycle time (X-4 indicator): the period's completions with their route and hours, read from the index alone",
	},
];

type Dialect = 'sqlite' | 'pg' | 'mysql';

function dialect(knex: Knex): Dialect {
	const c = String((knex as any).client?.config?.client ?? '');
	if (c.includes('sqlite')) return 'sqlite';
	if (c === 'pg' || c.includes('postgres')) return 'pg';
	return 'mysql';
}

/** The names of the indexes `table` has (lower case; MariaDB keeps the case it was given). */
export async function indexNames(knex: Knex, table: string): Promise<Set<string>> {
	const d = dialect(knex);
	let rows: { name: string }[];
	if (d === 'pg') rows = (await knex.raw('select indexname as name from pg_indexes where schemaname = current_schema() and tablename = ?', [table])).rows;
	else if (d === 'mysql')
		rows = (
			await knex.raw('select distinct index_name as name from information_schema.statistics where table_schema = database() and table_name = ?', [table])
		)[0];
	else rows = await knex.raw(`select name from sqlite_master where type = 'index' and tbl_name = ?`, [table]);
	return new Set(rows.map((r: any) => String(r.name ?? r.NAME).toLowerCase()));
}

export interface EnsureResult {
	created: string[];
	present: string[];
	/** Indexes of tables this instance does not have (yet): the installer creates them first. */
	skipped: string[];
}

/**
 * Creates the indexes that are missing. `as` gives a table another name (the benchmark's twin:
 * `{ cp_complaints: 'bench_plain_complaints' }` creates cp_complaints's indexes on the twin, the
 * table name in the index name replaced), and `only` the tables to look at.
 */
export async function ensureIndexes(knex: Knex, opts: { as?: Record<string, string>; only?: readonly string[] } = {}): Promise<EnsureResult> {
	const result: EnsureResult = { created: [], present: [], skipped: [] };
	// Per table, its index names; null for a table that does not exist.
	const byTable = new Map<string, Set<string> | null>();
	for (const ix of INDEXES) {
		if (opts.only && !opts.only.includes(ix.table)) continue;
		const table = opts.as?.[ix.table] ?? ix.table;
		const name = table === ix.table ? ix.name : ix.name.replace(ix.table, table);
		if (!byTable.has(table)) byTable.set(table, (await knex.schema.hasTable(table)) ? await indexNames(knex, table) : null);
		const have = byTable.get(table);
		if (!have) {
			result.skipped.push(name);
			continue;
		}
		if (have.has(name.toLowerCase())) {
			result.present.push(name);
			continue;
		}
		try {
			await knex.schema.alterTable(table, (t) => t.index([...ix.columns], name));
			result.created.push(name);
		} catch (e) {
			// Another instance created it meanwhile: present; anything else is an error.
			if (!(await indexNames(knex, table)).has(name.toLowerCase())) throw e;
			result.present.push(name);
		}
		have.add(name.toLowerCase());
	}
	return result;
}
