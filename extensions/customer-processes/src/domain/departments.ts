/**
 * Default departments and the CR-3 review checklist. This is seed data: the
 * spec says departments are data, so every function here also accepts keys
 * that are not in this list (a company may add or rename departments).
 * Keys and names come from the catalogue; the checklists are here.
 */
import { DEPARTMENTS as CATALOGUE_DEPARTMENTS, values } from './catalogue';

export const DEPARTMENT_KEYS = values(CATALOGUE_DEPARTMENTS);

export type DepartmentKey = (typeof DEPARTMENT_KEYS)[number];

export interface Aspect {
	key: string;
	en: string;
	zh: string;
	/** Sub-area named in Doc 1 4.2.2 when a department owns more than one (design vs process). */
	area?: string | undefined;
}

export interface Department {
	key: DepartmentKey;
	en: string;
	zh: string;
	/** CR-3 aspects this department reviews and signs for. */
	aspects: readonly Aspect[];
}

const NAMES = Object.fromEntries(CATALOGUE_DEPARTMENTS.map(([key, en, zh]) => [key, { en, zh }])) as Record<DepartmentKey, { en: string; zh: string }>;

export const DEPARTMENTS: Readonly<Record<DepartmentKey, Department>> = {
	sales: {
		key: 'sales',
		...NAMES.sales,
		aspects: [
			{ key: 'quantity', en: 'Quantity', zh: '数量' },
			{ key: 'price', en: 'Price', zh: '价格' },
			{ key: 'payment_terms', en: 'Payment terms', zh: '付款方式' },
			{ key: 'qualifications', en: 'Company qualifications meet the customer’s requirements', zh: '公司资质满足客户要求' },
			{ key: 'responsibilities', en: 'Responsibilities of both parties', zh: '供需双方责任' },
		],
	},
	technical: {
		key: 'technical',
		...NAMES.technical,
		aspects: [
			{ key: 'standards', en: 'Laws, regulations and design standards', zh: '法律法规、设计标准', area: 'design' },
			{ key: 'parameters', en: 'Parameters', zh: '参数', area: 'design' },
			{ key: 'function', en: 'Function', zh: '功能', area: 'design' },
			{ key: 'structure', en: 'Structure', zh: '结构', area: 'design' },
			{ key: 'safety', en: 'Product safety', zh: '产品安全性', area: 'design' },
			{ key: 'environment', en: 'Environmental compatibility', zh: '与环境的相容性', area: 'design' },
			{ key: 'packing_transport', en: 'Packing and transport feasibility', zh: '包装、运输的可行性', area: 'design' },
			{ key: 'process_capability', en: 'Manufacturing process capability', zh: '制造的工艺能力', area: 'process' },
			{ key: 'process_economy', en: 'Process economy', zh: '工艺经济性', area: 'process' },
		],
	},
	quality: {
		key: 'quality',
		...NAMES.quality,
		aspects: [
			{ key: 'acceptance_criteria', en: 'Quality requirements and acceptance criteria', zh: '质量要求、验收标准', area: 'inspection' },
			{ key: 'phase_documents', en: 'Documents to provide or confirm per contract phase', zh: '各阶段应提供或确认的文件', area: 'inspection' },
			{ key: 'second_third_party_inspection', en: 'Second/third-party inspection requirements', zh: '第二方、第三方检验要求', area: 'inspection' },
		],
	},
	production: {
		key: 'production',
		...NAMES.production,
		aspects: [
			{ key: 'capacity', en: 'Manufacturing capacity', zh: '制造能力' },
			{ key: 'load_balance', en: 'Production load balance', zh: '生产能力的平衡' },
			{ key: 'delivery_date', en: 'Delivery date can be met', zh: '交货期的满足性' },
			{ key: 'outsourcing', en: 'Outsourcing capability', zh: '外协能力' },
			// Doc 2 3.6: 安全生产监察部负责对人员满足能力的评审; in the default departments the
			// production/safety office is Production (Doc 3 3.2 安全生产处 reviews capacity and delivery).
			{ key: 'staffing', en: 'Staffing can meet the contract', zh: '人员满足能力', area: 'safety' },
			// Doc 2 3.7: 物流部门负责对运输满足能力的评审; Doc 2 4.3.2 the planner checks transport capability.
			{ key: 'transport', en: 'Transport capability', zh: '运输满足能力', area: 'logistics' },
		],
	},
	purchasing: {
		key: 'purchasing',
		...NAMES.purchasing,
		aspects: [
			{ key: 'material_availability', en: 'Materials and components can be purchased', zh: '材料、配套件的可购性' },
			{ key: 'material_cost', en: 'Material cost', zh: '材料、配套件的经济性' },
		],
	},
	finance: {
		key: 'finance',
		...NAMES.finance,
		aspects: [
			{ key: 'price', en: 'Contract price', zh: '销售合同价格' },
			{ key: 'risk', en: 'Financial risk', zh: '风险控制' },
			// Doc 3 3.6: 财务处负责评审所需资金的筹集能力.
			{ key: 'funding', en: 'Funding capability', zh: '所需资金的筹集能力' },
			// Doc 1 4.2.1 a: 合同能给公司带来经济效益.
			{ key: 'economic_benefit', en: 'Economic benefit to the company', zh: '合同能给公司带来经济效益' },
		],
	},
	warehouse: {
		key: 'warehouse',
		...NAMES.warehouse,
		aspects: [{ key: 'stock_confirmed', en: 'Stock confirmed on the outbound slip', zh: '出库单现货确认' }],
	},
	deputy_gm: {
		key: 'deputy_gm',
		...NAMES.deputy_gm,
		aspects: [{ key: 'approval', en: 'Approval', zh: '批准' }],
	},
	gm: {
		key: 'gm',
		...NAMES.gm,
		aspects: [{ key: 'approval', en: 'Approval', zh: '批准' }],
	},
};

export function isDepartmentKey(key: string): key is DepartmentKey {
	return (DEPARTMENT_KEYS as readonly string[]).includes(key);
}

/** Display name; unknown (company-added) keys fall back to the key itself. */
export function departmentName(key: string, lang: 'en' | 'zh' = 'en'): string {
	return isDepartmentKey(key) ? DEPARTMENTS[key][lang] : key;
}

/** CR-3 aspects of a department; empty for a department the company added without a checklist. */
export function aspectsFor(key: string): readonly Aspect[] {
	return isDepartmentKey(key) ? DEPARTMENTS[key].aspects : [];
}

/** De-duplicates, keeping the first occurrence, so routes keep their configured order. */
export function uniqueInOrder(keys: Iterable<string>): string[] {
	return [...new Set(keys)];
}
