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
