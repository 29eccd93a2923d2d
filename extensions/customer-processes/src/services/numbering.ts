// Automatic numbers (issue 12 point 7; CP-1 complaint numbers, PR-4 labels): a counter per
// number scope kept in cp_settings.number_counters and taken with the settings row locked in the
// creating write's own transaction, so that concurrent creates on PostgreSQL/MariaDB number one
// after the other, a rolled-back create gives its number back (gap-free), and the cost does not
// grow with the table (no read of existing numbers once the scope has a counter). The patterns
// and the rules are in domain/numbering.ts.
import type { Knex } from 'knex';
import { calendarFrom } from '../domain/complaints/intake';
import { counterOf, patternOf, planNumber, scopeOf, sequenceOf, type NumberKind, type NumberScope } from '../domain/numbering';
import { parseJson } from '../domain/json';
import { dialectOf, lockRow } from './db';
import type { Settings } from './context';
import type { HookApi } from './contract-review';
import { translated } from './errors';
import { loadSettings } from './context';
import * as clock from './clock';

const TABLES: Readonly<Record<NumberKind, string>> = { contract: 'cp_contracts', complaint: 'cp_complaints', property: 'cp_property' };

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * The highest sequence of `scope` among the stored codes: only when a scope has no counter yet
 * (records from before the counters, or written behind the API), once per scope. A range the
 * unique code index serves on PostgreSQL; a prefix LIKE elsewhere (MariaDB's collation weighs
 * punctuation differently). A locking read: InnoDB's plain read would see an older snapshot.
 */
async function seedFromTable(trx: Knex, table: string, scope: NumberScope): Promise<number> {
	const q = trx(table);
	const d = dialectOf(trx);
	if (scope.prefix) {
		if (d === 'pg') {
			const last = scope.prefix.slice(-1);
			q.where('code', '>=', scope.prefix).where('code', '<', scope.prefix.slice(0, -1) + String.fromCodePoint(last.codePointAt(0)! + 1));
		} else q.where('code', 'like', `${scope.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
	}
	if (d !== 'sqlite') q.forUpdate();
	let max = 0;
	for (const row of await q.pluck('code')) {
		const n = sequenceOf(scope, row);
		if (n !== null && n > max) max = n;
	}
	return max;
}

/**
 * The number a new record of `kind` is stored with: the typed one (kept; it moves the counter
 * on when it is a number of the scope) or the next of the scope of `at` in the company's zone.
 * `trx` must be the creating write's transaction: the settings row stays locked until it ends.
 */
export async function assignNumber(trx: Knex, kind: NumberKind, typed: unknown, at: Date, settings: Settings): Promise<string> {
	const zone = calendarFrom(settings.calendar).zone;
	// A typed number outside every scope of the settings' pattern needs neither lock nor counter.
	if (!blank(typed) && sequenceOf(scopeOf(kind, patternOf(settings as Record<string, unknown>, kind), at, zone), String(typed).trim()) === null) {
		return String(typed).trim();
	}
	// The singleton's id is in the settings the request read (one query less per number); the row
	// itself is read again under the lock, so the counter is the committed one.
	const id = (settings as { id?: string | number }).id ?? (await trx('cp_settings').first('id'))?.id;
	const row: Record<string, unknown> | undefined = id !== undefined ? await lockRow(trx as Knex.Transaction, 'cp_settings', id) : undefined;
	// The locked row's pattern: an administrator's change committed meanwhile counts.
	const scope = scopeOf(kind, patternOf(row ?? (settings as Record<string, unknown>), kind), at, zone);
	const counters = parseJson<Record<string, unknown>>(row?.number_counters, {}) ?? {};
	const stored = counterOf(counters, scope);
	const current = stored ?? (await seedFromTable(trx, TABLES[kind], scope));
	const plan = planNumber(scope, current, typed);
	if (row && plan.counter !== stored) {
		await trx('cp_settings')
			.where('id', id)
			.update({ number_counters: JSON.stringify({ ...counters, [scope.key]: plan.counter }) });
	}
	return plan.code;
}

type FilterCtx = { database: Knex; accountability: object | null };

/**
 * Contracts and property labels get their number in their create's transaction, before the area
 * adapters check the record (PR-1 requires a label code). Complaints are numbered by the intake.
 */
export function registerNumbering({ filter }: Pick<HookApi, 'filter'>): void {
	for (const kind of ['contract', 'property'] as const) {
		filter(
			`${TABLES[kind]}.items.create`,
			translated(async (payload: Record<string, unknown>, _meta: unknown, ctx: FilterCtx) => {
				if (!payload || typeof payload !== 'object') return payload;
				const code = await assignNumber(ctx.database, kind, payload.code, clock.now(), await loadSettings(ctx.database, ctx.accountability));
				return { ...payload, code };
			}),
		);
	}
}
