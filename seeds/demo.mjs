// Realistic demo data for `npm start`: customers, contracts, complaints, customer property,
// communication. Idempotent: does nothing when the demo customers exist.

export const DEMO_CUSTOMERS = [
	{
		code: 'C-1001',
		name: '华东包装材料有限公司',
		is_new: false,
		is_new_reason: '合同签订于本系统启用前（纸质记录） / contracts signed before this system (paper records)',
		contact_person: '王经理',
		phone: '021-5555 0101',
		email: 'wang@huadong-pack.example',
		address: '上海市浦东新区张江路 88 号',
	},
	{
		code: 'C-1002',
		name: '林州建机重工',
		is_new: false,
		is_new_reason: '合同签订于本系统启用前（纸质记录） / contracts signed before this system (paper records)',
		contact_person: '李工',
		phone: '0372-555 0202',
		email: 'li@lz-heavy.example',
		address: '河南省林州市红旗渠大道 12 号',
	},
	{
		code: 'C-1003',
		name: 'Nordic Foods AB',
		is_new: true,
		is_new_reason: '首次合作，须全面评审 / first business with us: full review',
		contact_person: 'Anna Berg',
		phone: '+46 8 555 0303',
		email: 'anna.berg@nordicfoods.example',
		address: 'Sveavägen 1, Stockholm',
	},
	{
		code: 'C-1004',
		name: '远达商品混凝土',
		is_new: false,
		is_new_reason: '合同签订于本系统启用前（纸质记录） / contracts signed before this system (paper records)',
		contact_person: '赵经理',
		phone: '0371-555 0404',
		email: 'zhao@yuanda-concrete.example',
		address: '郑州市金水区农业路 6 号',
	},
];

export async function seedDemo(api, { log = console.log } = {}) {
	const existing = await api.get('/items/cp_customers?filter[code][_eq]=C-1001&limit=1');
	if (existing.length) {
		log('[seed] demo data already present');
		return false;
	}
	const customers = {};
	for (const c of DEMO_CUSTOMERS) customers[c.code] = (await api.post('/items/cp_customers', c)).id;

	await api.patch('/items/cp_settings', {
		company_name: '示例制造有限公司 Example Manufacturing Co., Ltd.',
		// CR-7: what makes a contract major is the company's rule (here an amount), besides Sales's tick.
		major_rules: { amount_at_least: 1000000 },
		calendar: {
			zone: 'Asia/Shanghai',
			workingDays: [1, 2, 3, 4, 5],
			workingHours: { start: '08:30', end: '17:30' },
			holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
			makeUpWorkdays: ['2026-09-27', '2026-10-10'],
		},
	});

	const contracts = [
		{
			code: 'HT-2026-0001',
			title: '食品级瓦楞纸箱 年度供货合同',
			kind: 'contract',
			channel: 'written',
			class: 'regular',
			customer: customers['C-1001'],
			total_amount: 480000,
			applicable_standard: 'GB 6543-2008',
			requirements: [
				{ category: 'quality', source: 'stated', text: '边压强度 ≥ 7.0 kN/m' },
				{ category: 'delivery', source: 'stated', text: '每月 5 日前交货' },
				{ category: 'quality', source: 'statutory', text: '食品接触材料符合 GB 4806.8' },
			],
			lines: [
				{
					line_no: 1,
					product: '五层瓦楞纸箱',
					specification: '600×400×300',
					material: 'K=A',
					marks: '客户LOGO 四色',
					process: '水印',
					quantity: 20000,
					unit: '只',
					unit_price: 12.5,
					delivery_date: '2026-12-20',
				},
			],
		},
		{
			code: 'HT-2026-0002',
			title: '液压支架 特殊订制',
			kind: 'contract',
			channel: 'written',
			class: 'special',
			major: true,
			customer: customers['C-1002'],
			total_amount: 3200000,
			requirements: [
				{ category: 'quality', source: 'stated', text: '按 MT 312 检验' },
				{ category: 'support', source: 'stated', text: '现场安装指导' },
			],
			lines: [
				{
					line_no: 1,
					product: 'ZY6800 液压支架',
					specification: '非标加高型',
					material: 'Q890',
					process: '焊接+整体热处理',
					quantity: 40,
					unit: '架',
					unit_price: 80000,
					delivery_date: '2027-03-31',
				},
			],
		},
		{
			code: 'DD-2026-0107',
			title: 'Export cartons, phone order',
			kind: 'order',
			channel: 'oral',
			class: 'regular_in_stock',
			customer: customers['C-1003'],
			total_amount: 18000,
			confirmation_record: 'Anna Berg called 2026-11-20 10:15, 3,000 export cartons 400×300×250, needs SN/T 0262 marking; pallet height not yet agreed.',
			applicable_standard: 'SN/T 0262',
			lines: [
				{
					line_no: 1,
					product: 'Export carton',
					specification: '400×300×250',
					material: 'B=B',
					marks: 'SN/T 0262',
					quantity: 3000,
					unit: 'pcs',
					unit_price: 6,
					delivery_date: '2026-12-15',
				},
			],
		},
		{
			code: 'TB-2026-0009',
			title: '市政工程 C30 商品混凝土 投标',
			kind: 'bid',
			channel: 'tender',
			class: 'regular',
			stage: 'tender_decision',
			customer: customers['C-1004'],
			total_amount: 1250000,
			lines: [{ line_no: 1, product: 'C30 商品混凝土', specification: 'C30 P8', quantity: 2500, unit: 'm³', unit_price: 500, delivery_date: '2027-04-30' }],
		},
	];
	for (const { lines, ...c } of contracts) {
		const created = await api.post('/items/cp_contracts', { ...c, status: 'draft' });
		for (const l of lines) await api.post('/items/cp_contract_lines', { ...l, contract: created.id });
	}

	await api.post('/items/cp_complaints', {
		code: 'KF-2026-0031',
		customer: customers['C-1001'],
		channel: 'phone',
		received_at: new Date(Date.now() - 30 * 3600e3).toISOString(),
		summary: '纸箱受潮塌箱',
		description: '11 月批次纸箱在冷库中出现塌箱,约 200 只',
		product: '五层瓦楞纸箱',
		batch: '20261105-02',
	});
	await api.post('/items/cp_complaints', {
		code: 'KF-2026-0032',
		customer: customers['C-1004'],
		channel: 'hotline',
		received_at: new Date(Date.now() - 80 * 3600e3).toISOString(),
		summary: '混凝土坍落度偏低',
		description: '施工现场反映到场坍落度 140 mm,低于约定 180±20 mm',
		product: 'C30 商品混凝土',
		batch: 'ZZ-1123-07',
	});

	const property = [
		{
			code: 'CP-M-0001',
			name: '客户提供模具 纸箱模切版',
			kind: 'tooling',
			customer: customers['C-1001'],
			serial_no: 'MQ-600400',
			quantity: 1,
			unit: '套',
			status: 'expected',
			scope: '模切版由顾客提供,我方负责保管与日常保养,损坏须书面通知顾客',
		},
		{
			code: 'CP-D-0001',
			name: '液压支架 总装图纸',
			kind: 'drawing',
			customer: customers['C-1002'],
			specification: 'ZY6800-00 A0×12',
			quantity: 12,
			unit: '张',
			status: 'expected',
			scope: '图纸仅用于本合同生产,不得外传',
		},
		{
			code: 'CP-P-0001',
			name: '顾客联系人名单',
			kind: 'personal_data',
			customer: customers['C-1003'],
			quantity: 1,
			unit: '份',
			status: 'expected',
			scope: '个人信息仅限销售使用',
		},
	];
	for (const p of property) await api.post('/items/cp_property', p);

	await api.post('/items/cp_communications', {
		customer: customers['C-1002'],
		type: 'visit',
		channel: 'visit',
		occurred_at: new Date().toISOString(),
		summary: '售后回访 液压支架使用情况',
		findings: '支架运行正常,顾客希望缩短备件供应周期',
		follow_up: '与采购部确认备件库存策略',
	});
	log(`[seed] demo data: ${DEMO_CUSTOMERS.length} customers, ${contracts.length} contracts, 2 complaints, ${property.length} property items`);
	return true;
}
