import { describe, it, expect } from 'vitest';
import {
	DEFAULT_ROUTES,
	checkRepeatOrder,
	decideRoute,
	nextTenderStage,
	type ContractLine,
	type RouteInput,
	type RouteTable,
} from '../../extensions/customer-processes/src/domain/contract-review/routes';
import { DomainError } from '../../extensions/customer-processes/src/domain/errors';
import { DEPARTMENT_KEYS, DEPARTMENTS, aspectsFor, departmentName } from '../../extensions/customer-processes/src/domain/departments';

const cartonA: ContractLine = {
	product: 'Carton A',
	specification: '600x400x300',
	material: 'K=K 5-ply',
	marks: 'ACME logo',
	process: 'flexo',
	quantity: 1000,
	unit_price: 4.2,
	delivery_date: '2026-05-01',
};
const cartonB: ContractLine = { product: 'Carton B', specification: '3-ply', material: 'B flute', quantity: 500 };

const base: RouteInput = {
	kind: 'contract',
	class: 'regular',
	major: false,
	customerIsNew: true,
	lines: [cartonA],
	previousReviewedLines: [],
};

describe('CR-7 routes by class', () => {
	it('CR-7 regular contract in stock: sales and warehouse keeper', () => {
		const r = decideRoute({ ...base, class: 'regular_in_stock' });
		expect(r.route).toBe('regular_in_stock');
		expect(r.departments).toEqual(['sales', 'warehouse']);
		expect(r.reason).toBe('New customer: full review required (CR-8). Regular contract, product in stock: review by sales, warehouse (CR-7)');
		expect(r.reason_zh).toBe('新客户：必须进行完整评审（CR-8）。常规合同（有现货）：由 sales、warehouse 评审（CR-7）');
	});

	it('CR-7 regular contract not in stock: production, purchasing, sales', () => {
		const r = decideRoute(base);
		expect(r.route).toBe('regular');
		expect(r.departments).toEqual(['production', 'purchasing', 'sales']);
	});

	it('CR-7 special contract adds design and testing, deputy GM approves', () => {
		const r = decideRoute({ ...base, class: 'special' });
		expect(r.route).toBe('special');
		expect(r.departments).toEqual(['production', 'purchasing', 'sales', 'technical', 'quality', 'deputy_gm']);
	});

	it('CR-7 major contract: GM approval added on top of the class route', () => {
		const special = decideRoute({ ...base, class: 'special', major: true });
		expect(special.route).toBe('special+major');
		expect(special.departments).toEqual(['production', 'purchasing', 'sales', 'technical', 'quality', 'deputy_gm', 'gm']);
		expect(special.reason.endsWith('; major contract: approval by gm added (CR-7)')).toBe(true);
		const regular = decideRoute({ ...base, major: true });
		expect(regular.route).toBe('regular+major');
		expect(regular.departments).toEqual(['production', 'purchasing', 'sales', 'gm']);
	});

	it('CR-7 routes are configuration: a company table is used and de-duplicated in order', () => {
		const routes: RouteTable = { ...DEFAULT_ROUTES, regular: ['production', 'finance', 'production', 'sales'], major: ['sales', 'gm'] };
		const r = decideRoute({ ...base, major: true }, routes);
		expect(r.departments).toEqual(['production', 'finance', 'sales', 'gm']);
	});

	it('CR-7 an unconfigured route is an error, not an empty review', () => {
		const routes = { ...DEFAULT_ROUTES, special: [] } as RouteTable;
		expect(() => decideRoute({ ...base, class: 'special' }, routes)).toThrowError(/Review route 'special' is not configured/);
	});

	it('rejects an unknown class', () => {
		expect(() => decideRoute({ ...base, class: 'urgent' as RouteInput['class'] })).toThrowError(DomainError);
	});
});

describe('CR-8 repeat orders', () => {
	const repeatInput: RouteInput = {
		...base,
		customerIsNew: false,
		lines: [
			{ ...cartonA, quantity: 3000, unit_price: 4.0, delivery_date: '2026-07-01' },
			{ ...cartonB, quantity: 200 },
		],
		previousReviewedLines: [cartonB, cartonA],
	};

	it('CR-8 repeat order of reviewed products where only quantity, date and price changed: confirmation only', () => {
		const r = decideRoute(repeatInput);
		expect(r.route).toBe('confirmation');
		expect(r.departments).toEqual(['sales', 'production']);
		expect(r.reason).toBe(
			'Repeat order of reviewed product(s) Carton A, Carton B: only quantity, delivery date or price changed; confirmation only, issue a new production work order (CR-8)',
		);
		expect(r.reason_zh).toBe('老产品订单（Carton A、Carton B）：仅数量、交货期或价格变化；只需确认，补发生产施工流转单（CR-8）');
	});

	it('CR-8 the class does not matter for a repeat order; a major repeat still gets GM approval', () => {
		expect(decideRoute({ ...repeatInput, class: 'special' }).route).toBe('confirmation');
		const major = decideRoute({ ...repeatInput, major: true });
		expect(major.route).toBe('confirmation+major');
		expect(major.departments).toEqual(['sales', 'production', 'gm']);
	});

	it('CR-8 whitespace differences are not a change', () => {
		const r = decideRoute({ ...repeatInput, lines: [{ ...cartonA, marks: '  ACME   logo ' }] });
		expect(r.route).toBe('confirmation');
	});

	it('CR-8 a changed specification forces a full review and says which line and field differ', () => {
		const r = decideRoute({ ...repeatInput, lines: [cartonA, { ...cartonB, specification: '5-ply' }] });
		expect(r.route).toBe('regular');
		expect(r.departments).toEqual(['production', 'purchasing', 'sales']);
		expect(r.reason).toBe(
			"Line 2 'Carton B' differs from the reviewed product: specification '3-ply' -> '5-ply': full review required (CR-8). " +
				'Regular contract, not in stock: review by production, purchasing, sales (CR-7)',
		);
		expect(r.reason_zh.startsWith('第2行“Carton B”与已评审产品不同：规格“3-ply”→“5-ply”')).toBe(true);
	});

	it('CR-8 changed material and marks are listed together', () => {
		const c = checkRepeatOrder(false, [{ ...cartonA, material: 'K=A 3-ply', marks: 'new logo' }], [cartonA]);
		expect(c.repeat).toBe(false);
		expect(c.reason).toBe(
			"Line 1 'Carton A' differs from the reviewed product: material 'K=K 5-ply' -> 'K=A 3-ply', marks 'ACME logo' -> 'new logo': full review required (CR-8)",
		);
	});

	it('CR-8 a changed process is a change too', () => {
		expect(checkRepeatOrder(false, [{ ...cartonA, process: 'offset' }], [cartonA]).repeat).toBe(false);
	});

	it('CR-8 a new product for an old customer forces a full review', () => {
		const r = decideRoute({ ...repeatInput, class: 'special', lines: [cartonA, { product: 'Carton C', quantity: 1 }] });
		expect(r.route).toBe('special');
		expect(r.reason.startsWith("Line 2: new product 'Carton C' not reviewed before: full review required (CR-8)")).toBe(true);
	});

	it('CR-8 a new customer gets a full review even for identical lines', () => {
		const r = decideRoute({ ...repeatInput, customerIsNew: true });
		expect(r.route).toBe('regular');
		expect(r.reason.startsWith('New customer: full review required (CR-8)')).toBe(true);
	});

	it('CR-8 an old customer without reviewed history gets a full review', () => {
		const c = checkRepeatOrder(false, [cartonA], []);
		expect(c).toEqual({
			repeat: false,
			matchedProducts: [],
			reason: 'No earlier reviewed order for this customer: full review required (CR-8)',
			reason_zh: '该客户无已评审订单：必须进行完整评审（CR-8）',
		});
	});

	it('CR-8 an order without lines is not a repeat', () => {
		expect(checkRepeatOrder(false, [], [cartonA]).repeat).toBe(false);
	});
});

describe('CR-9 tender stages', () => {
	const bid: RouteInput = { ...base, kind: 'bid', class: 'special', major: true };

	it('CR-9 a tender starts with the decision to bid, by sales only', () => {
		const r = decideRoute(bid);
		expect(r).toEqual({
			route: 'tender_decision',
			departments: ['sales'],
			reason: 'Tender received: decide whether to bid and record the clarifications (CR-9 stage 1)',
			reason_zh: '收到招标书：评审是否投标并记录澄清事项（CR-9 第一阶段）',
			stage: 'tender_decision',
		});
	});

	it('CR-9 the bid document is reviewed on the class route (plus GM when major)', () => {
		const r = decideRoute({ ...bid, stage: 'bid_document' });
		expect(r.stage).toBe('bid_document');
		expect(r.route).toBe('special+major');
		expect(r.departments).toEqual(['production', 'purchasing', 'sales', 'technical', 'quality', 'deputy_gm', 'gm']);
		expect(r.reason.startsWith('Bid document review: Special contract (new or modified product): review by')).toBe(true);
	});

	it('CR-9 a bid is never a repeat-order confirmation', () => {
		const r = decideRoute({ ...bid, major: false, stage: 'bid_document', customerIsNew: false, previousReviewedLines: [cartonA] });
		expect(r.route).toBe('special');
	});

	it('CR-9 stage order: tender_decision, then bid_document, then done', () => {
		expect(nextTenderStage('tender_decision')).toBe('bid_document');
		expect(nextTenderStage('bid_document')).toBeNull();
	});

	it('CR-9 a stage on a non-bid is refused', () => {
		expect(() => decideRoute({ ...base, stage: 'bid_document' })).toThrowError(/only to bids/);
	});
});

describe('departments and the CR-3 checklist', () => {
	it('CR-3 has the nine default departments with zh-CN and English names', () => {
		expect([...DEPARTMENT_KEYS]).toEqual(['sales', 'technical', 'quality', 'production', 'purchasing', 'finance', 'warehouse', 'deputy_gm', 'gm']);
		expect(DEPARTMENTS.quality.zh).toBe('质量部');
		expect(departmentName('deputy_gm')).toBe('Deputy GM');
		expect(departmentName('gm', 'zh')).toBe('总经理');
		expect(departmentName('logistics')).toBe('logistics');
	});

	it('CR-3 aspects per department', () => {
		const keys = (d: string) => aspectsFor(d).map((a) => a.key);
		expect(keys('sales')).toEqual(['quantity', 'price', 'payment_terms', 'qualifications', 'responsibilities']);
		expect(keys('technical')).toEqual([
			'standards',
			'parameters',
			'function',
			'structure',
			'safety',
			'environment',
			'packing_transport',
			'process_capability',
			'process_economy',
		]);
		expect(keys('quality')).toEqual(['acceptance_criteria', 'phase_documents', 'second_third_party_inspection']);
		expect(keys('purchasing')).toEqual(['material_availability', 'material_cost']);
		// Doc 2 3.6 (安全生产监察部: 人员满足能力) and 3.7 (物流部门: 运输满足能力), with Production in the default departments.
		expect(keys('production')).toEqual(['capacity', 'load_balance', 'delivery_date', 'outsourcing', 'staffing', 'transport']);
		// Doc 1 3.5 price and risk; Doc 3 3.6 所需资金的筹集能力; Doc 1 4.2.1 a 合同能给公司带来经济效益.
		expect(keys('finance')).toEqual(['price', 'risk', 'funding', 'economic_benefit']);
		expect(keys('warehouse')).toEqual(['stock_confirmed']);
		expect(keys('gm')).toEqual(['approval']);
		expect(keys('deputy_gm')).toEqual(['approval']);
		expect(keys('logistics')).toEqual([]);
		for (const d of DEPARTMENT_KEYS) for (const a of aspectsFor(d)) expect(a.en && a.zh).toBeTruthy();
	});

	it('every default route names only known departments', () => {
		for (const deps of Object.values(DEFAULT_ROUTES)) for (const d of deps) expect(DEPARTMENT_KEYS).toContain(d);
	});
});
