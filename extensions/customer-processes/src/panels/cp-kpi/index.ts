// Insights panel "cp-kpi": one generic panel showing any of the /cp/kpi indicators as a small
// table with bars (X-4, CP-7, CC-3, CC-4). The options are the endpoint's query parameters.
import { definePanel } from '@directus/extensions-sdk';
import PanelComponent from './panel.vue';
import { KPI_KEYS, KPIS } from '../../domain/kpi/definitions';
import { DEPARTMENTS } from '../../domain/departments';
import { PERIOD_CHOICES } from './period';

const both = (b: { en: string; zh: string }) => `${b.zh} ${b.en}`;

export default definePanel({
	id: 'cp-kpi',
	name: '过程指标 Customer processes KPI',
	icon: 'monitoring',
	description: '与顾客有关过程的管理指标 Indicators of the customer-related processes',
	component: PanelComponent,
	options: [
		{
			field: 'kpi',
			name: '指标 Indicator',
			type: 'string',
			meta: {
				interface: 'select-dropdown',
				width: 'full',
				options: { choices: KPI_KEYS.map((k) => ({ value: k, text: both(KPIS[k].title) })) },
			},
			schema: { default_value: 'reviews-waiting' },
		},
		{
			field: 'period',
			name: '期间 Period',
			type: 'string',
			meta: {
				interface: 'select-dropdown',
				width: 'half',
				options: { choices: PERIOD_CHOICES.map((p) => ({ value: p.value, text: `${p.zh} ${p.en}` })) },
			},
			schema: { default_value: 'all' },
		},
		{
			field: 'department',
			name: '部门 Department',
			type: 'string',
			meta: {
				interface: 'select-dropdown',
				width: 'half',
				options: { allowNone: true, choices: Object.values(DEPARTMENTS).map((d) => ({ value: d.key, text: `${d.zh} ${d.en}` })) },
			},
		},
		{
			field: 'from',
			name: '自 From (YYYY-MM-DD)',
			type: 'string',
			meta: { interface: 'input', width: 'half', note: '期间为"自定义"时使用 Used with the custom period', options: { placeholder: '2026-01-01' } },
		},
		{
			field: 'to',
			name: '至 To (YYYY-MM-DD)',
			type: 'string',
			meta: { interface: 'input', width: 'half', options: { placeholder: '2026-12-31' } },
		},
		{
			field: 'customer',
			name: '顾客编号 Customer code',
			type: 'string',
			meta: { interface: 'input', width: 'full', note: '留空为全部顾客 Empty for all customers' },
		},
	],
	minWidth: 12,
	minHeight: 8,
});
