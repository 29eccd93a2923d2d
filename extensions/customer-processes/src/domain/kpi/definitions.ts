/**
 * The management indicators (X-4, CP-7, CC-3, CC-4): what each one counts, which options apply
 * to it and which collections it reads. Shared by the /cp/kpi endpoints, the Insights panel and
 * the demo dashboard, so that a label or a column is named once.
 */
import { DEPARTMENTS } from '../departments';
import { CATALOGUE } from '../catalogue';
import { KIND_LABELS } from '../property/forms';

export type Bilingual = { en: string; zh: string };
export type Unit = 'count' | 'hours' | 'percent' | 'score';
export type FilterKey = 'period' | 'customer' | 'department';

export interface KpiColumn extends Bilingual {
	key: string;
	unit: Unit;
}

export interface KpiDefinition {
	key: KpiKey;
	title: Bilingual;
	/** How the numbers are counted, shown under the panel. */
	note: Bilingual;
	/** Options that narrow this indicator; the others are ignored (and reported as such). */
	filters: readonly FilterKey[];
	/** Collections aggregated: the viewer needs read access to each. */
	collections: readonly string[];
	columns: readonly KpiColumn[];
}

export const KPI_KEYS = [
	'review-cycle-time',
	'reviews-waiting',
	'open-discrepancies',
	'complaint-response',
	'complaints-by-cause',
	'complaints-by-customer',
	'overdue-actions',
	'satisfaction-trend',
	'property-checks',
	'blocked-property',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

const col = (key: string, unit: Unit, en: string, zh: string): KpiColumn => ({ key, unit, en, zh });

export const KPIS: Readonly<Record<KpiKey, KpiDefinition>> = {
	'review-cycle-time': {
		key: 'review-cycle-time',
		title: { en: 'Contract review cycle time', zh: '合同评审周期' },
		note: {
			en: 'Hours from submission to review completed, per route (completed in the period)',
			zh: '从提交评审到评审完成的小时数,按评审路线(期间内完成的评审)',
		},
		filters: ['period', 'customer', 'department'],
		collections: ['cp_audit', 'cp_contracts'],
		columns: [
			col('completed', 'count', 'Reviews', '评审次数'),
			col('avg_hours', 'hours', 'Average (h)', '平均(小时)'),
			col('p50_hours', 'hours', 'Median (h)', '中位数(小时)'),
		],
	},
	'reviews-waiting': {
		key: 'reviews-waiting',
		title: { en: 'Reviews waiting', zh: '待评审' },
		note: { en: 'Pending review lines of contracts in review, per department', zh: '评审中合同的待评审栏,按部门' },
		filters: ['customer', 'department'],
		collections: ['cp_review_lines', 'cp_contracts'],
		columns: [col('pending', 'count', 'Lines waiting', '待评审栏'), col('contracts', 'count', 'Contracts', '合同数')],
	},
	'open-discrepancies': {
		key: 'open-discrepancies',
		title: { en: 'Open discrepancies', zh: '未关闭的合同不一致问题' },
		note: { en: 'Per raising department: open (Sales to resolve) and resolved (raiser to close)', zh: '按提出部门:待处理(销售)与已处理待确认关闭(提出部门)' },
		filters: ['period', 'customer', 'department'],
		collections: ['cp_discrepancies', 'cp_contracts'],
		columns: [col('open', 'count', 'Open', '待处理'), col('resolved', 'count', 'To close', '待确认关闭')],
	},
	'complaint-response': {
		key: 'complaint-response',
		title: { en: 'Complaint response on time', zh: '顾客反馈答复及时率' },
		note: { en: 'Written responses by the deadline (complaints received in the period)', zh: '在答复期限内书面答复(期间内受理的反馈)' },
		filters: ['period', 'customer', 'department'],
		collections: ['cp_complaints'],
		columns: [
			col('responded', 'count', 'Responded', '已答复'),
			col('on_time', 'count', 'On time', '按时'),
			col('late', 'count', 'Late', '超期答复'),
			col('on_time_rate', 'percent', 'On-time rate', '及时率'),
			col('open_overdue', 'count', 'Unanswered, overdue', '未答复且超期'),
		],
	},
	'complaints-by-cause': {
		key: 'complaints-by-cause',
		title: { en: 'Complaints by root cause', zh: '顾客反馈原因分布' },
		note: { en: 'Complaints received in the period, by root cause category', zh: '期间内受理的反馈,按原因类别' },
		filters: ['period', 'customer', 'department'],
		collections: ['cp_complaints'],
		columns: [col('complaints', 'count', 'Complaints', '反馈数'), col('open', 'count', 'Not closed', '未关闭')],
	},
	'complaints-by-customer': {
		key: 'complaints-by-customer',
		title: { en: 'Complaints by customer', zh: '各顾客的反馈' },
		note: { en: 'Complaints received in the period, by customer (top 20)', zh: '期间内受理的反馈,按顾客(前 20)' },
		filters: ['period', 'customer', 'department'],
		collections: ['cp_complaints', 'cp_customers'],
		columns: [
			col('complaints', 'count', 'Complaints', '反馈数'),
			col('open', 'count', 'Not closed', '未关闭'),
			col('late', 'count', 'Late responses', '超期答复'),
		],
	},
	'overdue-actions': {
		key: 'overdue-actions',
		title: { en: 'Overdue actions', zh: '超期的纠正/预防措施' },
		note: { en: 'Actions not done, per department: past their due time / all open', zh: '未完成的措施,按部门:已超期 / 全部未完成' },
		filters: ['period', 'customer', 'department'],
		collections: ['cp_actions'],
		columns: [col('overdue', 'count', 'Overdue', '已超期'), col('open', 'count', 'Not done', '未完成')],
	},
	'satisfaction-trend': {
		key: 'satisfaction-trend',
		title: { en: 'Customer satisfaction trend', zh: '顾客满意度趋势' },
		note: { en: 'Average survey score per survey period (answered surveys)', zh: '各调查期间的平均得分(已回复的调查)' },
		filters: ['period', 'customer'],
		collections: ['cp_communications'],
		columns: [col('avg_score', 'score', 'Average score', '平均得分'), col('answered', 'count', 'Answered', '回复数')],
	},
	'property-checks': {
		key: 'property-checks',
		title: { en: 'Customer property checks', zh: '顾客财产定期检查' },
		note: { en: 'Held items per kind: check overdue / due within 30 days', zh: '在保管的顾客财产,按类别:检查已超期 / 30 天内到期' },
		filters: ['customer'],
		collections: ['cp_property'],
		columns: [col('overdue', 'count', 'Overdue', '已超期'), col('due_30d', 'count', 'Due in 30 days', '30天内到期')],
	},
	'blocked-property': {
		key: 'blocked-property',
		title: { en: 'Blocked customer property', zh: '已隔离的顾客财产' },
		note: { en: 'Items blocked after a problem, waiting for the customer’s decision, per customer', zh: '发现问题后隔离、等待顾客处置意见的财产,按顾客' },
		filters: ['customer'],
		collections: ['cp_property', 'cp_customers'],
		columns: [col('blocked', 'count', 'Blocked', '已隔离')],
	},
};

export const isKpiKey = (v: unknown): v is KpiKey => typeof v === 'string' && (KPI_KEYS as readonly string[]).includes(v);

// ------------------------------------------------------------------------------ row labels

const CAUSES: Record<string, Bilingual> = Object.fromEntries(CATALOGUE.cp_complaints.root_cause_category.map(([value, en, zh]) => [value, { en, zh }]));

const ROUTES: Record<string, Bilingual> = {
	regular_in_stock: { en: 'Regular, in stock', zh: '常规(有库存)' },
	regular: { en: 'Regular', zh: '常规' },
	special: { en: 'Special', zh: '特殊' },
	confirmation: { en: 'Repeat order confirmation', zh: '重复订单确认' },
	tender_decision: { en: 'Decision to bid', zh: '投标决策' },
};

const NONE: Bilingual = { en: 'Not assigned', zh: '未指定' };

export function departmentLabel(key: string | null | undefined): Bilingual {
	if (!key) return NONE;
	const d = (DEPARTMENTS as Record<string, { en: string; zh: string }>)[key];
	return d ? { en: d.en, zh: d.zh } : { en: key, zh: key };
}

export function causeLabel(key: string | null | undefined): Bilingual {
	if (!key) return { en: 'Not yet analysed', zh: '尚未分析' };
	return CAUSES[key] ?? { en: key, zh: key };
}

/** 'special+major' -> Special + GM approval. */
export function routeLabel(key: string | null | undefined): Bilingual {
	if (!key) return { en: 'Unknown route', zh: '未知路线' };
	const [base, ...extra] = key.split('+');
	const b = ROUTES[base] ?? { en: base, zh: base };
	const major = extra.includes('major');
	return major ? { en: `${b.en} + GM approval`, zh: `${b.zh}+总经理批准` } : b;
}

export function kindLabel(key: string | null | undefined): Bilingual {
	if (!key) return NONE;
	const both = KIND_LABELS[key];
	if (!both) return { en: key, zh: key };
	const i = both.indexOf(' ');
	return { zh: both.slice(0, i), en: both.slice(i + 1) };
}

export const plainLabel = (text: string): Bilingual => ({ en: text, zh: text });
