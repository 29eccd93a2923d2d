// The work queue of one person (issue: what people see): counts of what waits for the user's
// departments or for the user, each with a link into the normal Directus item list.
import type { Knex } from 'knex';
import type { ActorInfo } from './context';

export interface QueueEntry {
	key: string;
	label: string;
	count: number;
	link: string;
}

const filterLink = (collection: string, filter: Record<string, unknown>) =>
	`/content/${collection}?filter=${encodeURIComponent(JSON.stringify(filter))}`;

const count = async (q: Knex.QueryBuilder) => Number((await q.count({ n: '*' }).first())?.n ?? 0);

export async function workQueue(knex: Knex, actor: ActorInfo, zh: boolean, now = new Date()): Promise<QueueEntry[]> {
	const depts = actor.departments.length ? actor.departments : ['__none__'];
	const L = (en: string, cn: string) => (zh ? cn : en);
	const today = now.toISOString().slice(0, 10);
	return [
		{
			key: 'review_lines',
			label: L('Review lines waiting for my department', '待本部门评审的评审栏'),
			count: await count(
				knex('cp_review_lines as l')
					.join('cp_contracts as c', 'c.id', 'l.contract')
					.whereIn('l.department', depts)
					.where('l.decision', 'pending')
					.where('c.status', 'in_review')
					.whereRaw('l.round = c.review_round'),
			),
			link: filterLink('cp_review_lines', { _and: [{ department: { _in: depts } }, { decision: { _eq: 'pending' } }] }),
		},
		{
			key: 'discrepancies_to_resolve',
			label: L('Discrepancies to resolve (Sales)', '待处理的不一致问题(销售)'),
			count: actor.departments.includes('sales') ? await count(knex('cp_discrepancies').where('status', 'open')) : 0,
			link: filterLink('cp_discrepancies', { status: { _eq: 'open' } }),
		},
		{
			key: 'discrepancies_to_close',
			label: L('Resolved discrepancies my department must close', '待本部门确认关闭的不一致问题'),
			count: await count(knex('cp_discrepancies').where('status', 'resolved').whereIn('raised_by_department', depts)),
			link: filterLink('cp_discrepancies', { _and: [{ status: { _eq: 'resolved' } }, { raised_by_department: { _in: depts } }] }),
		},
		{
			key: 'task_notices',
			label: L('Task notices to acknowledge', '待签收的任务通知单'),
			count: await count(knex('cp_task_notices').whereIn('department', depts).whereNull('acknowledged_at')),
			link: filterLink('cp_task_notices', { _and: [{ department: { _in: depts } }, { acknowledged_at: { _null: true } }] }),
		},
		{
			key: 'complaint_responses',
			label: L('Complaint responses due', '待书面答复的顾客反馈'),
			count: await count(knex('cp_complaints').whereNull('responded_at').whereNot('status', 'closed')),
			link: filterLink('cp_complaints', { _and: [{ responded_at: { _null: true } }, { status: { _neq: 'closed' } }] }),
		},
		{
			key: 'my_actions',
			label: L('Actions I own', '我负责的措施'),
			count: actor.userId ? await count(knex('cp_actions').where('owner', actor.userId).whereIn('status', ['open', 'overdue'])) : 0,
			link: filterLink('cp_actions', { _and: [{ owner: { _eq: '$CURRENT_USER' } }, { status: { _in: ['open', 'overdue'] } }] }),
		},
		{
			key: 'property_checks',
			label: L('Customer property checks due', '到期的顾客财产检查'),
			count: await count(knex('cp_property').where('next_check_due', '<=', today).whereIn('status', ['in_store', 'in_use'])),
			link: filterLink('cp_property', { _and: [{ next_check_due: { _lte: '$NOW' } }, { status: { _in: ['in_store', 'in_use'] } }] }),
		},
		{
			key: 'surveys',
			label: L('Satisfaction surveys due', '待完成的满意度调查'),
			count: await count(knex('cp_communications').where({ type: 'survey', survey_status: 'due' })),
			link: filterLink('cp_communications', { _and: [{ type: { _eq: 'survey' } }, { survey_status: { _eq: 'due' } }] }),
		},
	];
}
