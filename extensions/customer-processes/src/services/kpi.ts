// Management indicators (X-4, CP-7, CC-3, CC-4): grouped SQL through knex, so every count,
// average and median is computed by the database and only one row per group reaches Node.
// Timestamps are compared as epoch seconds computed in SQL, because SQLite keeps them as epoch
// milliseconds (or ISO text when written raw) while PostgreSQL and MariaDB have real types.
import type { Knex } from 'knex';
import { dialectOf, epochSql, ident, type Dialect } from './db';
export type { Dialect };
export { dialectOf, epochSql, ident };
import { causeLabel, departmentLabel, kindLabel, KPIS, plainLabel, routeLabel, type Bilingual, type KpiKey } from '../domain/kpi/definitions';
import { ratio, round2, type KpiOptions } from '../domain/kpi/filters';
import { dateParam, HELD_STATUSES } from './property';
import { ROUND_OPENINGS } from '../domain/contract-review/review';
import { storesCompletionColumns } from './audit';
import { ensureIndexes } from './indexes';

type Row = Record<string, any>;

export interface KpiRow {
	key: string | null;
	label: Bilingual;
	values: Record<string, number | null>;
}

/** What a query needs besides the options: resolved customer key, the clock, the viewer's limits. */
export interface KpiScope extends KpiOptions {
	customerId: string | null;
	now: Date;
	/** Local date (company zone) of `now`, and 30 days on, for DATE columns. */
	today: string;
	in30Days: string;
	/** Property kinds the viewer may not see (PR-1): left out of the counts too. */
	hiddenKinds: string[];
}

/** SQL for one text member of a JSON column. */
export function jsonTextSql(d: Dialect, column: string, key: string): string {
	const c = ident(d, column);
	if (d === 'pg') return `(${c}::json ->> '${key}')`;
	if (d === 'mysql') return `JSON_UNQUOTE(JSON_EXTRACT(${c}, '$.${key}'))`;
	return `json_extract(${c}, '$.${key}')`;
}

/** A uuid key as text, to compare with string columns (cp_audit.item, cp_actions.source_id). */
export const keyText = (d: Dialect, column: string) => (d === 'pg' ? `CAST(${ident(d, column)} AS TEXT)` : ident(d, column));

const seconds = (date: Date) => date.getTime() / 1000;
const num = (v: unknown) => Number(v ?? 0);

/**
 * The period on a timestamp column. On PostgreSQL a plain comparison, which the column's index
 * serves (db.ts#atOrBefore); elsewhere through epochSql, independent of how the driver renders a Date.
 */
function inPeriod(knex: Knex, q: Knex.QueryBuilder, column: string, s: KpiScope) {
	const d = dialectOf(knex);
	if (d === 'pg') {
		if (s.fromInstant) q.where(column, '>=', s.fromInstant);
		if (s.toInstant) q.where(column, '<', s.toInstant);
		return q;
	}
	if (s.fromInstant) q.whereRaw(`${epochSql(d, column)} >= ?`, [seconds(s.fromInstant)]);
	if (s.toInstant) q.whereRaw(`${epochSql(d, column)} < ?`, [seconds(s.toInstant)]);
	return q;
}

/** SUM(CASE WHEN cond THEN 1 ELSE 0 END) AS alias. */
const countIf = (knex: Knex, cond: string, alias: string, bindings: unknown[] = []) =>
	knex.raw(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS ${ident(dialectOf(knex), alias)}`, bindings as any);

// ------------------------------------------------------------------------------ indicators

/** A JSON number member as a number in SQL (NULL when absent). */
export function jsonNumberSql(d: Dialect, column: string, key: string): string {
	const c = ident(d, column);
	if (d === 'pg') return `CAST(${c}::json ->> '${key}' AS DOUBLE PRECISION)`;
	if (d === 'mysql') return `(JSON_EXTRACT(${c}, '$.${key}') + 0)`;
	return `json_extract(${c}, '$.${key}')`;
}

/**
 * X-4: hours from the (re)submission to the completion of each review round, per route. Each
 * completion carries its route and its round's hours in columns of their own (cycle_hours,
 * review_route: services/audit.ts#completionColumns), which the (action, collection, at, route,
 * hours) index holds: the period's completions are aggregated from that index alone, no JSON read
 * (issue 14). A completion without them (recorded before 0.4.0 and not yet copied by
 * /cp/jobs/review-cycle-columns, or before 0.3.0 without hours at all) is read in a second
 * branch, from its JSON, or from the submission that opened its round (the latest one before the
 * completion) in the audit trail. The branches are split, not one COALESCE, so that PostgreSQL
 * does not price the lookup for every completion (a plan that expensive is JIT-compiled: seconds).
 * The median is PostgreSQL's percentile_cont(0.5); elsewhere the middle row, or the mean of the
 * two middle rows, by ROW_NUMBER (the same value).
 */
async function reviewCycleTime(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const d = dialectOf(knex);
	const I = (n: string) => ident(d, n);
	/** The period's completions in the viewer's scope. */
	const completions = () => {
		const q = knex('cp_audit as r').where('r.action', 'review_completed').where('r.collection', 'cp_contracts');
		inPeriod(knex, q, 'r.at', s);
		if (s.customerId)
			q.whereIn(
				'r.item',
				knex('cp_contracts as k')
					.where('k.customer', s.customerId)
					.select(knex.raw(keyText(d, 'k.id'))),
			);
		if (s.department)
			q.whereIn(
				'r.item',
				knex('cp_review_lines as l')
					.where('l.department', s.department)
					.select(knex.raw(keyText(d, 'l.contract'))),
			);
		return q;
	};
	/** The submissions that may have opened the round of the completion `alias`. */
	const opening = (alias: string) =>
		knex('cp_audit as s')
			.whereRaw(`${I('s.item')} = ${I(`${alias}.item`)}`)
			.where('s.collection', 'cp_contracts')
			.whereIn('s.action', [...ROUND_OPENINGS])
			.whereRaw(`${I('s.id')} < ${I(`${alias}.id`)}`);
	const recorded = completions()
		.whereNotNull('r.cycle_hours')
		.select(
			'r.review_route as route',
			knex.raw(`CAST(${I('r.cycle_hours')} AS ${d === 'mysql' ? 'DOUBLE' : d === 'pg' ? 'DOUBLE PRECISION' : 'REAL'}) AS ${I('hours')}`),
		)
		.toSQL();
	const jsonHours = jsonNumberSql(d, 'r.data', 'hours');
	const submittedAt = opening('r')
		.orderBy('s.id', 'desc')
		.limit(1)
		.select(knex.raw(epochSql(d, 's.at')))
		.toSQL();
	const second = (q: Knex.QueryBuilder) =>
		q
			.where((q) => q.whereRaw(`${jsonHours} IS NOT NULL`).orWhereExists(opening('r').select(knex.raw('1'))))
			.select(
				knex.raw(`${jsonTextSql(d, 'r.data', 'route')} AS ${I('route')}`),
				knex.raw(
					`CASE WHEN ${jsonHours} IS NOT NULL THEN ${jsonHours} ELSE (${epochSql(d, 'r.at')} - (${submittedAt.sql})) / 3600.0 END AS ${I('hours')}`,
					submittedAt.bindings as any,
				),
			)
			.toSQL();
	const legacy = second(completions().whereNull('r.cycle_hours'));
	const legacyAll = second(completions());
	// Whether the period holds any completion without the columns (one index probe): only then is the
	// second branch part of the query. PostgreSQL cannot tell how few such completions there are (the
	// columns are empty on every other entry) and would price, and JIT-compile, its look-up.
	// Before the installer has added the columns (a new bundle copied, step 0.4.0 not run yet), every
	// completion is read the second way.
	const stored = await storesCompletionColumns(knex);
	const anyLegacy = stored && Boolean(await completions().whereNull('r.cycle_hours').first(knex.raw('1 AS one')));
	const base = !stored
		? knex.raw(`(${legacyAll.sql}) AS ${I('b')}`, legacyAll.bindings as any)
		: anyLegacy
			? knex.raw(`(${recorded.sql} UNION ALL ${legacy.sql}) AS ${I('b')}`, [...recorded.bindings, ...legacy.bindings] as any)
			: knex.raw(`(${recorded.sql}) AS ${I('b')}`, recorded.bindings as any);
	const grouped = (from: Knex.QueryBuilder) => from.groupBy('route').orderBy('route').select('route').count({ completed: '*' }).avg({ avg_hours: 'hours' });
	const rows: Row[] =
		d === 'pg'
			? await grouped(knex.from(base)).select(knex.raw(`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${I('hours')}) AS ${I('p50_hours')}`))
			: await grouped(
					knex.from(
						knex
							.from(base)
							.select(
								'route',
								'hours',
								knex.raw(`ROW_NUMBER() OVER (PARTITION BY ${I('route')} ORDER BY ${I('hours')}) AS ${I('rn')}`),
								knex.raw(`COUNT(*) OVER (PARTITION BY ${I('route')}) AS ${I('cnt')}`),
							)
							.as('w'),
					),
				)
					// Median: the middle row, or the mean of the two middle rows.
					.select(knex.raw(`AVG(CASE WHEN 2 * ${I('rn')} >= ${I('cnt')} AND 2 * ${I('rn')} <= ${I('cnt')} + 2 THEN ${I('hours')} END) AS ${I('p50_hours')}`));
	return rows.map((r) => ({
		key: r.route ?? null,
		label: routeLabel(r.route),
		values: { completed: num(r.completed), avg_hours: round2(r.avg_hours), p50_hours: round2(r.p50_hours) },
	}));
}

/** The composite index the cycle time reads completions through (declared in services/indexes.ts). */
export const COMPLETIONS_INDEX = 'cp_audit_completions_index';

/**
 * Upgrade step 0.4.0 (issue 14): copies each earlier completion's route and hours from its data into
 * review_route and cycle_hours (the entry's content is unchanged: the columns repeat it), then
 * creates the composite index the indicator is served by (Directus's schema declares single-column
 * indexes only). Idempotent. Returns how many entries were copied and whether the index was created.
 */
export async function reviewCycleColumns(knex: Knex): Promise<{ entries: number; index: boolean }> {
	const d = dialectOf(knex);
	const I = (n: string) => ident(d, n);
	const hours = jsonNumberSql(d, 'data', 'hours');
	const res: any = await knex.raw(
		`UPDATE ${I('cp_audit')} SET ${I('review_route')} = ${jsonTextSql(d, 'data', 'route')}, ${I('cycle_hours')} = ${hours}
		 WHERE ${I('action')} = 'review_completed' AND ${I('collection')} = 'cp_contracts' AND ${I('cycle_hours')} IS NULL AND ${hours} IS NOT NULL`,
	);
	const entries =
		d === 'pg'
			? Number(res?.rowCount ?? 0)
			: d === 'mysql'
				? Number(res?.[0]?.affectedRows ?? 0)
				: Number((await knex.raw('SELECT changes() AS n'))?.[0]?.n ?? 0);
	const { created } = await ensureIndexes(knex, { only: ['cp_audit'] });
	// Fresh statistics, so that the planner prices the new index and columns.
	if (created.length) await knex.raw(d === 'mysql' ? 'ANALYZE TABLE cp_audit' : 'ANALYZE cp_audit');
	return { entries, index: created.includes(COMPLETIONS_INDEX) };
}

/** CR-4: review lines of the current round still waiting, per department. */
async function reviewsWaiting(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const q = knex('cp_review_lines as l')
		.join('cp_contracts as c', 'c.id', 'l.contract')
		.where('l.decision', 'pending')
		.where('c.status', 'in_review')
		.where('l.round', knex.ref('c.review_round'))
		.groupBy('l.department')
		.orderBy('l.department')
		.select('l.department as key')
		.count({ pending: '*' })
		.countDistinct({ contracts: 'l.contract' });
	if (s.customerId) q.where('c.customer', s.customerId);
	if (s.department) q.where('l.department', s.department);
	const rows: Row[] = await q;
	return rows.map((r) => ({ key: r.key, label: departmentLabel(r.key), values: { pending: num(r.pending), contracts: num(r.contracts) } }));
}

/** CR-5: discrepancies not closed, per raising department. */
async function openDiscrepancies(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const d = dialectOf(knex);
	const q = knex('cp_discrepancies as x')
		.whereIn('x.status', ['open', 'resolved'])
		.groupBy('x.raised_by_department')
		.orderBy('x.raised_by_department')
		.select(
			'x.raised_by_department as key',
			countIf(knex, `${ident(d, 'x.status')} = 'open'`, 'open'),
			countIf(knex, `${ident(d, 'x.status')} = 'resolved'`, 'resolved'),
		);
	inPeriod(knex, q, 'x.date_created', s);
	if (s.customerId) q.join('cp_contracts as c', 'c.id', 'x.contract').where('c.customer', s.customerId);
	if (s.department) q.where('x.raised_by_department', s.department);
	const rows: Row[] = await q;
	return rows.map((r) => ({ key: r.key, label: departmentLabel(r.key), values: { open: num(r.open), resolved: num(r.resolved) } }));
}

function complaints(knex: Knex, s: KpiScope, alias = 'p') {
	const q = knex(`cp_complaints as ${alias}`);
	inPeriod(knex, q, `${alias}.received_at`, s);
	if (s.customerId) q.where(`${alias}.customer`, s.customerId);
	if (s.department) q.where(`${alias}.responsible_department`, s.department);
	return q;
}

/** Responded after the deadline (a response while the clock was paused has no deadline). */
const lateSql = (d: Dialect, a = 'p') =>
	`${ident(d, `${a}.responded_at`)} IS NOT NULL AND ${ident(d, `${a}.response_due_at`)} IS NOT NULL AND ${epochSql(d, `${a}.responded_at`)} > ${epochSql(d, `${a}.response_due_at`)}`;

/** CP-4: written responses by the deadline; unanswered complaints already past it. */
async function complaintResponse(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const d = dialectOf(knex);
	const I = (n: string) => ident(d, n);
	const r: Row =
		(await complaints(knex, s)
			.count({ complaints: '*' })
			.count({ responded: 'p.responded_at' })
			.select(
				countIf(knex, lateSql(d), 'late'),
				countIf(
					knex,
					`${I('p.responded_at')} IS NULL AND ${I('p.status')} <> 'closed' AND ${I('p.response_due_at')} IS NOT NULL AND ${epochSql(d, 'p.response_due_at')} < ?`,
					'open_overdue',
					[seconds(s.now)],
				),
			)
			.first()) ?? {};
	const responded = num(r.responded);
	const late = num(r.late);
	const onTime = responded - late;
	return [
		{
			key: 'all',
			label: { en: 'All complaints', zh: '全部反馈' },
			values: { responded, on_time: onTime, late, on_time_rate: ratio(onTime, responded), open_overdue: num(r.open_overdue) },
		},
	];
}

/** CP-7: complaints by root cause category (not yet analysed ones too). */
async function complaintsByCause(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const d = dialectOf(knex);
	const rows: Row[] = await complaints(knex, s)
		.groupBy('p.root_cause_category')
		.orderBy('p.root_cause_category')
		.select('p.root_cause_category as key', countIf(knex, `${ident(d, 'p.status')} <> 'closed'`, 'open'))
		.count({ complaints: '*' });
	return rows
		.map((r) => ({ key: r.key ?? null, label: causeLabel(r.key), values: { complaints: num(r.complaints), open: num(r.open) } }))
		.sort((a, b) => (b.values.complaints ?? 0) - (a.values.complaints ?? 0) || String(a.key ?? '~').localeCompare(String(b.key ?? '~')));
}

/** CP-7: complaints per customer, most first. */
async function complaintsByCustomer(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const d = dialectOf(knex);
	const rows: Row[] = await complaints(knex, s)
		.join('cp_customers as c', 'c.id', 'p.customer')
		.groupBy('c.id', 'c.code', 'c.name')
		.select('c.id as key', 'c.code', 'c.name', countIf(knex, `${ident(d, 'p.status')} <> 'closed'`, 'open'), countIf(knex, lateSql(d), 'late'))
		.count({ complaints: '*' })
		.orderByRaw(`COUNT(*) DESC, ${ident(d, 'c.code')} ASC`)
		.limit(20);
	return rows.map((r) => ({
		key: r.key,
		label: plainLabel(`${r.code} ${r.name}`),
		values: { complaints: num(r.complaints), open: num(r.open), late: num(r.late) },
	}));
}

/** CP-3: actions not done, and those past their due time, per department. */
async function overdueActions(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const d = dialectOf(knex);
	const I = (n: string) => ident(d, n);
	const q = knex('cp_actions as a')
		.whereIn('a.status', ['open', 'overdue'])
		.groupBy('a.department')
		.orderBy('a.department')
		.select(
			'a.department as key',
			countIf(knex, `${I('a.status')} = 'overdue' OR (${I('a.due_at')} IS NOT NULL AND ${epochSql(d, 'a.due_at')} < ?)`, 'overdue', [seconds(s.now)]),
		)
		.count({ open: '*' });
	inPeriod(knex, q, 'a.due_at', s);
	if (s.department) q.where('a.department', s.department);
	if (s.customerId) {
		// An action belongs to the customer of its source record.
		const c = s.customerId;
		q.where((w) =>
			w
				.where((x) =>
					x.where('a.source_collection', 'cp_complaints').whereIn(
						'a.source_id',
						knex('cp_complaints')
							.where('customer', c)
							.select(knex.raw(keyText(d, 'id'))),
					),
				)
				.orWhere((x) =>
					x.where('a.source_collection', 'cp_property').whereIn(
						'a.source_id',
						knex('cp_property')
							.where('customer', c)
							.select(knex.raw(keyText(d, 'id'))),
					),
				)
				.orWhere((x) =>
					x.where('a.source_collection', 'cp_discrepancies').whereIn(
						'a.source_id',
						knex('cp_discrepancies as x')
							.join('cp_contracts as k', 'k.id', 'x.contract')
							.where('k.customer', c)
							.select(knex.raw(keyText(d, 'x.id'))),
					),
				),
		);
	}
	const rows: Row[] = await q;
	return rows
		.map((r) => ({ key: r.key ?? null, label: departmentLabel(r.key), values: { overdue: num(r.overdue), open: num(r.open) } }))
		.sort((a, b) => (b.values.overdue ?? 0) - (a.values.overdue ?? 0) || String(a.key ?? '~').localeCompare(String(b.key ?? '~')));
}

/** CC-4: average score of answered surveys per survey period. */
async function satisfactionTrend(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const q = knex('cp_communications as m')
		.where('m.type', 'survey')
		.whereNotNull('m.score')
		.groupBy('m.period_key')
		.orderBy('m.period_key')
		.select('m.period_key as key')
		.avg({ avg_score: 'm.score' })
		.count({ answered: '*' });
	inPeriod(knex, q, 'm.occurred_at', s);
	if (s.customerId) q.where('m.customer', s.customerId);
	const rows: Row[] = await q;
	return rows.map((r) => ({ key: r.key ?? null, label: plainLabel(r.key ?? '—'), values: { avg_score: round2(r.avg_score), answered: num(r.answered) } }));
}

function heldProperty(knex: Knex, s: KpiScope) {
	const q = knex('cp_property as p');
	if (s.hiddenKinds.length) q.whereNotIn('p.kind', s.hiddenKinds);
	if (s.customerId) q.where('p.customer', s.customerId);
	return q;
}

/** PR-5: periodic checks of held items, overdue and falling due within 30 days, per kind. */
async function propertyChecks(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const d = dialectOf(knex);
	const due = ident(d, 'p.next_check_due');
	const today = dateParam(knex, s.today);
	const rows: Row[] = await heldProperty(knex, s)
		.whereIn('p.status', HELD_STATUSES)
		.whereNotNull('p.next_check_due')
		.where('p.next_check_due', '<=', dateParam(knex, s.in30Days))
		.groupBy('p.kind')
		.orderBy('p.kind')
		.select('p.kind as key', countIf(knex, `${due} < ?`, 'overdue', [today]), countIf(knex, `${due} >= ?`, 'due_30d', [today]));
	return rows.map((r) => ({ key: r.key, label: kindLabel(r.key), values: { overdue: num(r.overdue), due_30d: num(r.due_30d) } }));
}

/** PR-6: items blocked after a problem, waiting for the customer's decision, per customer. */
async function blockedProperty(knex: Knex, s: KpiScope): Promise<KpiRow[]> {
	const rows: Row[] = await heldProperty(knex, s)
		.join('cp_customers as c', 'c.id', 'p.customer')
		.where('p.status', 'blocked')
		.groupBy('c.id', 'c.code', 'c.name')
		.orderBy('c.code')
		.select('c.id as key', 'c.code', 'c.name')
		.count({ blocked: '*' });
	return rows.map((r) => ({ key: r.key, label: plainLabel(`${r.code} ${r.name}`), values: { blocked: num(r.blocked) } }));
}

const QUERIES: Record<KpiKey, (knex: Knex, s: KpiScope) => Promise<KpiRow[]>> = {
	'review-cycle-time': reviewCycleTime,
	'reviews-waiting': reviewsWaiting,
	'open-discrepancies': openDiscrepancies,
	'complaint-response': complaintResponse,
	'complaints-by-cause': complaintsByCause,
	'complaints-by-customer': complaintsByCustomer,
	'overdue-actions': overdueActions,
	'satisfaction-trend': satisfactionTrend,
	'property-checks': propertyChecks,
	'blocked-property': blockedProperty,
};

/** Collections read by an indicator with these options (the viewer needs read access to each). */
export function collectionsRead(key: KpiKey, s: Pick<KpiOptions, 'customer' | 'department'>): string[] {
	const extra: string[] = [];
	if (s.customer) extra.push('cp_customers');
	if (key === 'review-cycle-time' && s.department) extra.push('cp_review_lines');
	if (key === 'overdue-actions' && s.customer) extra.push('cp_complaints', 'cp_property', 'cp_discrepancies', 'cp_contracts');
	if (key === 'open-discrepancies' && s.customer) extra.push('cp_contracts');
	return [...new Set([...KPIS[key].collections, ...extra])];
}

export async function runKpi(knex: Knex, key: KpiKey, scope: KpiScope): Promise<KpiRow[]> {
	return QUERIES[key](knex, scope);
}
