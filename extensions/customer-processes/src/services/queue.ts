// The work queue of one person (issue: what people see): what waits for the user's departments
// or for the user, each entry with its count, a link to the filtered item list and the first
// items (soonest deadline first), each opening in the normal Directus item editor.
import type { Knex } from 'knex';
import type { ActorInfo, Settings } from './context';
import { loadSettings } from './context';
import { toDate } from './complaints';
import { dateKey, dateParam, HELD_STATUSES } from './property';
import { dialectOf, epochSql, ident } from './kpi';
import { departmentLabel } from '../domain/kpi/definitions';
import { isPaused, parsePauses } from '../domain/complaints/intake';
import { hiddenKinds } from '../domain/property/register';
import { DEFAULT_ZONE, localDateKey } from '../domain/schedule/periods';
import { DateTime } from 'luxon';
import { checkedKinds, showsDepartmentEntry, type QueueScope } from '../domain/queue-scope';
import { CATALOGUE, values } from '../domain/catalogue';

/**
 * Every complaint status but closed, named: the status index serves an IN list, not `<> 'closed'`
 * (PostgreSQL reads the whole table for that; issue 14). The same set: a status is one of these.
 */
const NOT_CLOSED = values(CATALOGUE.cp_complaints.status).filter((s) => s !== 'closed');

export interface QueueItem {
	id: string;
	collection: string;
	title: string;
	/** The deadline that orders the entry (ISO), if the item has one. */
	due_at: string | null;
	/** CP-4: the complaint clock is stopped while waiting for the customer. */
	paused?: boolean;
	/** Route of the item in the Directus editor. */
	link: string;
}

export interface QueueEntry {
	key: string;
	label: string;
	count: number;
	link: string;
	items: QueueItem[];
}

type Row = Record<string, any>;

interface EntryDef {
	key: string;
	label: [string, string];
	collection: string;
	/** Entries that do not apply to the user count 0 and list nothing. */
	applies?: boolean;
	base: () => Knex.QueryBuilder;
	/** Alias of the listed collection in `base`. */
	alias: string;
	link: Record<string, unknown>;
	/** Deadline column (timestamp, or a DATE for property checks). */
	due?: { column: string; date?: boolean };
	select: string[];
	title: (r: Row) => string;
	paused?: (r: Row) => boolean;
}

const filterLink = (collection: string, filter: Record<string, unknown>) => `/content/${collection}?filter=${encodeURIComponent(JSON.stringify(filter))}`;

const clip = (s: unknown, n = 80) => {
	const t = String(s ?? '')
		.replace(/\s+/g, ' ')
		.trim();
	return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

export async function workQueue(
	knex: Knex,
	actor: ActorInfo,
	zh: boolean,
	now = new Date(),
	opts: { settings?: Settings; limit?: number; scope?: QueueScope } = {},
): Promise<QueueEntry[]> {
	const scope = opts.scope ?? 'all';
	const viewer = { isAdmin: actor.isAdmin, departments: actor.departments };
	/** A department entry: shown under the scope to its departments (domain/queue-scope.ts). */
	const deptEntry = (key: string) => showsDepartmentEntry(key, viewer, scope);
	const kinds = checkedKinds(viewer);
	const settings = opts.settings ?? (await loadSettings(knex));
	const zone = String((settings.calendar as any)?.zone ?? DEFAULT_ZONE);
	const limit = Math.max(1, opts.limit ?? 10);
	const depts = actor.departments.length ? actor.departments : ['__none__'];
	const L = (l: [string, string]) => (zh ? l[1] : l[0]);
	const dept = (key: string) => (zh ? departmentLabel(key).zh : departmentLabel(key).en);
	// DATE columns are compared in their stored representation (epoch ms on SQLite).
	const today = dateParam(knex, localDateKey(now, zone));
	const hidden = actor.isAdmin ? [] : hiddenKinds(actor);
	const d = dialectOf(knex);

	const defs: EntryDef[] = [
		{
			key: 'review_lines',
			label: ['Review lines waiting for my department', '待本部门评审的评审栏'],
			collection: 'cp_review_lines',
			alias: 'l',
			applies: deptEntry('review_lines'),
			base: () =>
				knex('cp_review_lines as l')
					.join('cp_contracts as c', 'c.id', 'l.contract')
					.whereIn('l.department', depts)
					.where('l.decision', 'pending')
					.where('c.status', 'in_review')
					.where('l.round', knex.ref('c.review_round')),
			link: { _and: [{ department: { _in: depts } }, { decision: { _eq: 'pending' } }] },
			select: ['c.code', 'c.title', 'l.department'],
			title: (r) => `${r.code} ${clip(r.title, 60)} · ${dept(r.department)}`,
		},
		{
			key: 'discrepancies_to_resolve',
			label: ['Discrepancies to resolve (Sales)', '待处理的不一致问题(销售)'],
			collection: 'cp_discrepancies',
			alias: 'x',
			applies: !actor.isAdmin && deptEntry('discrepancies_to_resolve'),
			base: () => knex('cp_discrepancies as x').join('cp_contracts as c', 'c.id', 'x.contract').where('x.status', 'open'),
			link: { status: { _eq: 'open' } },
			select: ['c.code', 'x.clause', 'x.problem'],
			title: (r) => `${r.code} ${clip(r.clause, 30)}: ${clip(r.problem, 60)}`,
		},
		{
			key: 'discrepancies_to_close',
			label: ['Resolved discrepancies my department must close', '待本部门确认关闭的不一致问题'],
			collection: 'cp_discrepancies',
			alias: 'x',
			applies: deptEntry('discrepancies_to_close'),
			base: () =>
				knex('cp_discrepancies as x').join('cp_contracts as c', 'c.id', 'x.contract').where('x.status', 'resolved').whereIn('x.raised_by_department', depts),
			link: { _and: [{ status: { _eq: 'resolved' } }, { raised_by_department: { _in: depts } }] },
			select: ['c.code', 'x.clause', 'x.problem'],
			title: (r) => `${r.code} ${clip(r.clause, 30)}: ${clip(r.problem, 60)}`,
		},
		{
			key: 'task_notices',
			label: ['Task notices to acknowledge', '待签收的任务通知单'],
			collection: 'cp_task_notices',
			alias: 't',
			applies: deptEntry('task_notices'),
			base: () => knex('cp_task_notices as t').join('cp_contracts as c', 'c.id', 't.contract').whereIn('t.department', depts).whereNull('t.acknowledged_at'),
			link: { _and: [{ department: { _in: depts } }, { acknowledged_at: { _null: true } }] },
			due: { column: 't.due_at' },
			select: ['c.code', 't.content', 't.department'],
			title: (r) => `${r.code} ${clip(r.content, 60)} → ${dept(r.department)}`,
		},
		{
			key: 'complaint_responses',
			label: ['Complaint responses due', '待书面答复的顾客反馈'],
			collection: 'cp_complaints',
			alias: 'p',
			applies: deptEntry('complaint_responses'),
			base: () => knex('cp_complaints as p').whereNull('p.responded_at').whereIn('p.status', NOT_CLOSED),
			link: { _and: [{ responded_at: { _null: true } }, { status: { _neq: 'closed' } }] },
			due: { column: 'p.response_due_at' },
			select: ['p.code', 'p.summary', 'p.pauses'],
			title: (r) => `${r.code} ${clip(r.summary)}`,
			paused: (r) => {
				try {
					return isPaused(parsePauses(r.pauses), now);
				} catch {
					return false;
				}
			},
		},
		{
			key: 'my_actions',
			label: ['Actions I own', '我负责的措施'],
			collection: 'cp_actions',
			alias: 'a',
			applies: Boolean(actor.userId) && scope !== 'department',
			base: () =>
				knex('cp_actions as a')
					.where('a.owner', actor.userId ?? '')
					.whereIn('a.status', ['open', 'overdue']),
			link: { _and: [{ owner: { _eq: '$CURRENT_USER' } }, { status: { _in: ['open', 'overdue'] } }] },
			due: { column: 'a.due_at' },
			select: ['a.title'],
			title: (r) => clip(r.title),
		},
		{
			key: 'department_actions',
			label: ['Actions of my department', '本部门的措施'],
			collection: 'cp_actions',
			alias: 'a',
			applies: !actor.isAdmin && actor.departments.length > 0 && scope !== 'mine',
			base: () =>
				knex('cp_actions as a')
					.whereIn('a.department', depts)
					.whereIn('a.status', ['open', 'overdue'])
					.where((q) => q.whereNot('a.owner', actor.userId ?? '').orWhereNull('a.owner')),
			link: { _and: [{ department: { _in: depts } }, { status: { _in: ['open', 'overdue'] } }] },
			due: { column: 'a.due_at' },
			select: ['a.title', 'a.department'],
			title: (r) => `${clip(r.title)} · ${dept(r.department)}`,
		},
		{
			key: 'property_checks',
			label: ['Customer property checks due', '到期的顾客财产检查'],
			collection: 'cp_property',
			alias: 'r',
			applies: scope !== 'mine' && (kinds === null || kinds.length > 0),
			base: () => {
				const q = knex('cp_property as r').whereNotNull('r.next_check_due').where('r.next_check_due', '<=', today).whereIn('r.status', HELD_STATUSES);
				if (hidden.length) q.whereNotIn('r.kind', hidden);
				if (kinds) q.whereIn('r.kind', kinds);
				return q;
			},
			link: {
				_and: [{ next_check_due: { _lte: '$NOW' } }, { status: { _in: HELD_STATUSES } }, ...(kinds ? [{ kind: { _in: kinds } }] : [])],
			},
			due: { column: 'r.next_check_due', date: true },
			select: ['r.code', 'r.name', 'r.location'],
			title: (r) => `${r.code} ${clip(r.name, 50)}${r.location ? ` · ${clip(r.location, 30)}` : ''}`,
		},
		{
			key: 'surveys',
			label: ['Satisfaction surveys due', '待完成的满意度调查'],
			collection: 'cp_communications',
			alias: 'm',
			applies: deptEntry('surveys'),
			base: () => knex('cp_communications as m').join('cp_customers as c', 'c.id', 'm.customer').where({ 'm.type': 'survey', 'm.survey_status': 'due' }),
			link: { _and: [{ type: { _eq: 'survey' } }, { survey_status: { _eq: 'due' } }] },
			select: ['c.code', 'c.name', 'm.period_key'],
			title: (r) => `${r.code} ${clip(r.name, 50)} · ${r.period_key ?? ''}`,
		},
		{
			// CP-1: e-mails the poller could not file by itself wait for Sales.
			key: 'mail_triage',
			label: ['E-mails waiting for triage', '待分拣的邮件'],
			collection: 'cp_communications',
			alias: 'm',
			applies: deptEntry('mail_triage'),
			base: () => knex('cp_communications as m').where({ 'm.type': 'mail_in', 'm.triage_status': 'pending' }),
			link: { _and: [{ type: { _eq: 'mail_in' } }, { triage_status: { _eq: 'pending' } }] },
			select: ['m.mail_from', 'm.summary'],
			title: (r) => `${clip(r.mail_from, 40)} · ${clip(r.summary, 60)}`,
		},
	];

	const out: QueueEntry[] = [];
	for (const def of defs) {
		// An entry that is not the viewer's work (another department's, or outside the scope) is not listed.
		if (def.applies === false) continue;
		// Two queries per entry (issue 14): how many there are, then the first items. Not one query with
		// COUNT(*) OVER (): the window makes the database read every matching row, in the deadline
		// index's order when it walks that index for the LIMIT (all 127,000 actions for Quality's ten).
		// Apart, the count is read from the filter's indexes and the list stops at its first items.
		const n = Number((await def.base().count({ n: '*' }).first())?.n ?? 0);
		if (!n) {
			out.push({ key: def.key, label: L(def.label), count: 0, link: filterLink(def.collection, def.link), items: [] });
			continue;
		}
		const q = def
			.base()
			.select(`${def.alias}.id as id`, ...def.select)
			.limit(limit);
		if (def.due) {
			q.select(`${def.due.column} as due`);
			// Soonest deadline first; items without one last. PostgreSQL orders its timestamp and date
			// types as they are; elsewhere through epoch seconds (SQLite keeps epoch ms or ISO text).
			if (d === 'pg') q.orderByRaw(`${ident(d, def.due.column)} ASC NULLS LAST`);
			else q.orderByRaw(`CASE WHEN ${ident(d, def.due.column)} IS NULL THEN 1 ELSE 0 END, ${epochSql(d, def.due.column)}`);
		}
		q.orderBy(`${def.alias}.date_created`, 'asc').orderBy(`${def.alias}.id`);
		const rows: Row[] = await q;
		const items: QueueItem[] = rows.map((r) => ({
			id: String(r.id),
			collection: def.collection,
			title: def.title(r),
			due_at: def.due ? dueIso(r.due, Boolean(def.due.date), zone) : null,
			...(def.paused ? { paused: def.paused(r) } : {}),
			link: `/content/${def.collection}/${r.id}`,
		}));
		out.push({ key: def.key, label: L(def.label), count: n, link: filterLink(def.collection, def.link), items });
	}
	return out;
}

/** A deadline as an instant: a check due on a date is overdue once that local day has ended. */
function dueIso(v: unknown, isDate: boolean, zone: string): string | null {
	if (v === null || v === undefined) return null;
	if (isDate) {
		const key = dateKey(v);
		return key ? DateTime.fromISO(key, { zone }).plus({ days: 1 }).toUTC().toISO() : null;
	}
	return toDate(v)?.toISOString() ?? null;
}
