// Small database helpers shared by the adapters.
import type { Knex } from 'knex';

const isSqlite = (knex: Knex) => String((knex as any).client?.config?.client ?? '').includes('sqlite');

/**
 * Reads a row and locks it for the rest of the transaction, so that concurrent transitions of
 * the same record run one after the other (SQLite has a single writer and needs no lock).
 */
export async function lockRow<T = any>(trx: Knex.Transaction, table: string, id: string | number): Promise<T | undefined> {
	const q = trx(table).where('id', id);
	if (!isSqlite(trx)) q.forUpdate();
	return q.first();
}

export const toBool = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';

export { parseJson } from '../domain/json';

export async function countRows(q: Knex.QueryBuilder): Promise<number> {
	return Number((await q.count({ n: '*' }).first())?.n ?? 0);
}

export type Dialect = 'sqlite' | 'pg' | 'mysql';

export function dialectOf(knex: Knex): Dialect {
	const c = String((knex as any).client?.config?.client ?? '');
	if (c.includes('sqlite')) return 'sqlite';
	if (c === 'pg' || c.includes('postgres')) return 'pg';
	return 'mysql';
}

/** Quotes 'alias.column' for the dialect. */
export const ident = (d: Dialect, name: string) =>
	name
		.split('.')
		.map((p) => (d === 'mysql' ? `\`${p}\`` : `"${p}"`))
		.join('.');

/** SQL for a timestamp column as epoch seconds (SQLite keeps timestamps as epoch ms or ISO text). */
export function epochSql(d: Dialect, column: string): string {
	const c = ident(d, column);
	if (d === 'pg') return `EXTRACT(EPOCH FROM ${c})`;
	if (d === 'mysql') return `UNIX_TIMESTAMP(${c})`;
	return `(CASE WHEN typeof(${c}) IN ('integer', 'real') THEN ${c} / 1000.0 ELSE (julianday(${c}) - 2440587.5) * 86400.0 END)`;
}

/**
 * MariaDB/MySQL: FROM_UNIXTIME gives the session zone's wall time, which a daylight-saving fold
 * moves back by up to an hour (two, historically); the index range is widened by this much and the
 * exact test is the epoch comparison. 2^31 - 1: FROM_UNIXTIME's (and TIMESTAMP's) end on MariaDB
 * 10.x, beyond which it answers NULL.
 */
const FOLD_SLACK_S = 2 * 3600;
const FROM_UNIXTIME_MAX = 2 ** 31 - 1;

/**
 * Restricts a query to rows whose timestamp `column` is at or before `at`. On PostgreSQL a plain
 * comparison, which the column's index serves; elsewhere through epochSql, which does not depend
 * on how the driver renders a Date in the session's time zone. On MariaDB/MySQL a range on the
 * column itself comes first, so an index with the column serves it (issue 14: the jobs).
 */
export function atOrBefore(knex: Knex, q: Knex.QueryBuilder, column: string, at: Date): Knex.QueryBuilder {
	const d = dialectOf(knex);
	if (d === 'pg') return q.where(column, '<=', at);
	const s = at.getTime() / 1000;
	if (d === 'mysql' && s + FOLD_SLACK_S < FROM_UNIXTIME_MAX) q.whereRaw(`${ident(d, column)} <= FROM_UNIXTIME(?)`, [s + FOLD_SLACK_S]);
	return q.whereRaw(`${epochSql(d, column)} <= ?`, [s]);
}

/** Rows whose timestamp `column` is at or after `at`; as atOrBefore. */
export function atOrAfter(knex: Knex, q: Knex.QueryBuilder, column: string, at: Date): Knex.QueryBuilder {
	const d = dialectOf(knex);
	if (d === 'pg') return q.where(column, '>=', at);
	const s = at.getTime() / 1000;
	if (d === 'mysql' && s - FOLD_SLACK_S > 0 && s - FOLD_SLACK_S < FROM_UNIXTIME_MAX) q.whereRaw(`${ident(d, column)} >= FROM_UNIXTIME(?)`, [s - FOLD_SLACK_S]);
	return q.whereRaw(`${epochSql(d, column)} >= ?`, [s]);
}
