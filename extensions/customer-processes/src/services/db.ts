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
 * Restricts a query to rows whose timestamp `column` is at or before `at`. On PostgreSQL a plain
 * comparison, which the column's index serves; elsewhere through epochSql, which does not depend
 * on how the driver renders a Date in the session's time zone.
 */
export function atOrBefore(knex: Knex, q: Knex.QueryBuilder, column: string, at: Date): Knex.QueryBuilder {
	const d = dialectOf(knex);
	return d === 'pg' ? q.where(column, '<=', at) : q.whereRaw(`${epochSql(d, column)} <= ?`, [at.getTime() / 1000]);
}
