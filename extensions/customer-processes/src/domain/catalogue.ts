/**
 * The one catalogue of departments and choice lists (X-5, X-6). The schema declaration
 * (scripts/schema/collections.mjs), the seeds, the domain's status lists and the adapters'
 * value checks all read these lists, so a value and its labels are written once;
 * tests/unit/catalogue.test.ts holds the generated snapshot to them.
 *
 * The .mjs scripts import this file directly (Node 22 strips the types), so it imports
 * nothing and uses only erasable TypeScript: no enums, namespaces or parameter properties.
 */

/** One choice: the stored value, its English and its Chinese label. */
export type Choice = readonly [value: string, en: string, zh: string];

/**
 * The default departments (keys are stable; a company may add its own through
 * cp_settings.departments). Names as in the procedures' responsibilities (Doc 1 §3).
 */
export const DEPARTMENTS = [
	['sales', 'Sales', '市场部'],
	['technical', 'Technical / R&D', '研发部'],
	['quality', 'Quality', '质量部'],
	['production', 'Production', '生产部'],
	['purchasing', 'Purchasing', '采购部'],
	['finance', 'Finance', '财务部'],
	['warehouse', 'Warehouse', '仓库'],
	['deputy_gm', 'Deputy GM', '副总经理'],
	['gm', 'General Manager', '总经理'],
] as const satisfies readonly Choice[];

/**
 * Named signers (CR-6, CR-7, CR-11): manager-level signatures the procedures name, mapped by a
 * company to Directus roles or users in cp_settings.signers (a key not mapped falls back to the
 * department named in domain/contract-review/approvals.ts).
 */
export const SIGNERS = [
	// Doc 2 4.3.1: 审核结论由销售部经理签署.
	['sales_manager', 'Sales manager', '销售部经理'],
	// Doc 3 4.2.2.6 / 4.3.1: 销售副总经理代表公司与顾客签订合同.
	['sales_vp', 'Sales VP', '销售副总经理'],
	// Doc 3 4.2.2.5: 经仓库保管员确认无误后并签名.
	['warehouse_keeper', 'Warehouse keeper', '仓库保管员'],
] as const satisfies readonly Choice[];

/** CR-9: a tender is reviewed twice, at the decision to bid and on the bid document. */
const TENDER_STAGES = [
	['tender_decision', 'Decision to bid', '投标决策'],
	['bid_document', 'Bid document', '投标文件'],
] as const satisfies readonly Choice[];

/** Per cp_ collection, per field with choices: the choices in the order the screens list them. */
export const CATALOGUE = {
	cp_settings: {
		response_mode: [
			['calendar_hours', 'Calendar hours', '日历小时'],
			['working_hours', 'Working hours', '工作小时'],
			['working_days', 'Working days', '工作日'],
		],
	},
	cp_customers: {
		status: [
			['active', 'Active', '活跃'],
			['archived', 'Archived', '归档'],
		],
	},
	cp_contracts: {
		kind: [
			['bid', 'Bid / tender', '标书'],
			['order', 'Order', '订单'],
			['contract', 'Contract', '合同'],
		],
		channel: [
			['written', 'Written', '书面'],
			['tender', 'Tender', '招标'],
			['oral', 'Oral / phone', '口头/电话'],
			['online', 'Online', '网上'],
		],
		class: [
			['regular_in_stock', 'Regular, in stock', '常规合同(有库存)'],
			['regular', 'Regular', '常规合同'],
			['special', 'Special (new / modified product)', '特殊合同'],
		],
		status: [
			['draft', 'Draft', '草稿'],
			['in_review', 'In review', '评审中'],
			['reviewed', 'Reviewed', '已评审'],
			['signed', 'Signed', '已签订'],
			['in_production', 'In production', '生产中'],
			['completed', 'Completed', '已完成'],
			['cancelled', 'Cancelled', '已取消'],
			['terminated', 'Terminated', '已终止'],
		],
		stage: TENDER_STAGES,
		customer_confirmation_method: [
			['fax', 'Fax', '传真'],
			['mail', 'Mail', '邮件'],
			['signature', 'Signature', '签字'],
			['online', 'Online record', '网上记录'],
		],
	},
	cp_review_lines: {
		stage: [['review', 'Review', '评审'], ...TENDER_STAGES, ['confirmation', 'Confirmation', '确认']],
		department: DEPARTMENTS,
		decision: [
			['pending', 'Pending', '待评审'],
			['approved', 'Approved', '同意'],
			['rejected', 'Rejected', '不同意'],
		],
	},
	cp_discrepancies: {
		raised_by_department: DEPARTMENTS,
		status: [
			['open', 'Open', '待处理'],
			['resolved', 'Resolved', '已处理'],
			['closed', 'Closed', '已确认关闭'],
		],
	},
	cp_task_notices: {
		department: DEPARTMENTS,
	},
	cp_changes: {
		kind: [
			['quantity', 'Quantity', '数量'],
			['delivery_date', 'Delivery date', '交货期'],
			['price', 'Price', '价格'],
			['structure', 'Product structure', '产品结构'],
			['process', 'Process', '工艺'],
			['termination', 'Termination', '合同终止'],
			['design', 'Design change (customer not affected)', '设计更改(不影响顾客)'],
		],
		status: [
			['requested', 'Requested', '已申请'],
			['approved', 'Approved', '已批准'],
			['confirmed', 'Confirmed by the customer', '顾客已确认'],
			['done', 'Done', '已完成'],
			['rejected', 'Rejected', '已驳回'],
		],
		/** The department the supervising leader approved as (CR-14). */
		approved_as: DEPARTMENTS,
		customer_confirmation_method: [
			['signed_notice', 'Signed change notice', '签字的变更通知单'],
			['fax', 'Fax', '传真'],
			['email', 'E-mail', '电子邮件'],
			['letter', 'Letter', '信函'],
		],
		/** CR-14: what a change leads to (Doc 1 4.2.4), set by the process. */
		consequence: [
			['new_work_order', 'New work order', '重下工单'],
			['new_quotation', 'New quotation', '重出报价'],
			['new_review', 'New review', '重新评审'],
			['product_change_notice', 'Product change notice', '产品变更通知'],
			['termination_both_parties', 'Termination signed by both parties', '双方签字终止合同'],
			['design_change', 'Design change (customer not affected)', '设计更改'],
		],
	},
	cp_samples: {
		kind: [
			['sample', 'Sample', '样品'],
			['tooling', 'Tooling cost estimate', '模具费用预算'],
		],
		status: [
			['requested', 'Requested', '已申请'],
			['in_progress', 'In progress', '制作中'],
			['inspected', 'Inspected', '已检验'],
			['sent', 'Sent to customer', '已送样'],
			['approved', 'Approved by customer', '顾客认可'],
			['rejected', 'Rejected, remake', '不合格重做'],
			['closed', 'Closed', '已关闭'],
		],
		inspection_result: [
			['pass', 'Pass', '合格'],
			['fail', 'Fail', '不合格'],
		],
	},
	cp_complaints: {
		channel: [
			['visit', 'Visit', '来访'],
			['phone', 'Phone', '电话'],
			['mail', 'Mail', '邮件'],
			['hotline', 'Hotline', '热线'],
			['letter', 'Letter', '信函'],
			['web', 'Web form', '网页表单'],
		],
		status: [
			['received', 'Received', '已受理'],
			['investigating', 'Investigating', '调查中'],
			['action', 'Corrective action', '纠正措施中'],
			['responded', 'Responded', '已答复'],
			['verifying', 'Customer verifying', '顾客验证中'],
			['closed', 'Closed', '已关闭'],
			['reopened', 'Reopened', '重新打开'],
		],
		root_cause_category: [
			['material', 'Material', '材料'],
			['process', 'Process', '工艺'],
			['design', 'Design', '设计'],
			['transport', 'Transport / packing', '运输/包装'],
			['usage', 'Customer usage', '顾客使用'],
			['service', 'Service', '服务'],
			['other', 'Other', '其他'],
		],
		responsible_department: DEPARTMENTS,
		product_disposition: [
			['none', 'None', '无'],
			['return', 'Return', '退货'],
			['nonconforming', 'Nonconforming-product procedure', '按不合格品程序处理'],
		],
		verification: [
			['confirmed', 'Confirmed', '确认'],
			['rejected', 'Rejected', '不认可'],
		],
	},
	cp_actions: {
		department: DEPARTMENTS,
		status: [
			['open', 'Open', '进行中'],
			['done', 'Done', '已完成'],
			['verified', 'Verified', '已验证'],
			['overdue', 'Overdue', '已超期'],
		],
	},
	cp_communications: {
		type: [
			['inquiry', 'Inquiry / negotiation', '咨询/洽谈'],
			['progress', 'Progress information', '进度信息'],
			['quality_info', 'Quality information', '质量信息'],
			['change_info', 'Change information', '变更信息'],
			['pre_sale', 'Pre-sale information', '售前信息'],
			['after_sale', 'After-sale feedback', '售后反馈'],
			['visit', 'Customer visit (回访)', '回访'],
			['survey', 'Satisfaction survey', '满意度调查'],
			['mail_in', 'E-mail received', '来信'],
			['mail_out', 'E-mail sent', '去信'],
		],
		channel: [
			['visit', 'Visit', '走访'],
			['phone', 'Phone', '电话'],
			['mail', 'Mail', '邮件'],
			['meeting', 'Meeting', '会议'],
			['link', 'Customer link', '顾客链接'],
		],
		survey_status: [
			['due', 'Due', '待调查'],
			['answered', 'Answered', '已回复'],
		],
		triage_status: [
			['pending', 'Waiting for Sales', '待分派'],
			['assigned', 'Assigned', '已分派'],
			['rejected', 'Rejected', '已拒绝'],
		],
	},
	cp_property: {
		kind: [
			['material', 'Material', '材料'],
			['part', 'Part', '零部件'],
			['equipment', 'Equipment', '设备'],
			['tooling', 'Tooling / mould', '工装/模具'],
			['gauge', 'Gauge', '量具'],
			['drawing', 'Drawing', '图纸'],
			['specification', 'Specification', '技术规范'],
			['sample', 'Sample', '样品'],
			['data_media', 'Data media', '数据载体'],
			['intellectual_property', 'Intellectual property', '知识产权'],
			['personal_data', 'Personal data', '个人信息'],
		],
		status: [
			['expected', 'Expected', '待接收'],
			['received', 'Received', '已接收'],
			['in_store', 'In store', '在库'],
			['in_use', 'In use', '使用中'],
			['blocked', 'Blocked', '已隔离'],
			['returned', 'Returned', '已归还'],
			['disposed', 'Disposed', '已处置'],
		],
	},
	cp_property_events: {
		type: [
			['receipt', 'Receipt', '接收'],
			['inspection', 'Incoming inspection', '进货检验'],
			['check', 'Periodic check', '定期检查'],
			['movement', 'Movement', '移库'],
			['use', 'Use / issue', '使用/发料'],
			['problem', 'Problem', '问题'],
			['disposition', 'Customer disposition', '顾客处置意见'],
			['return', 'Return / disposal', '归还/处置'],
		],
		result: [
			['accepted', 'Accepted', '合格接收'],
			['rejected', 'Rejected', '拒收'],
			['ok', 'OK', '正常'],
			['not_ok', 'Not OK', '异常'],
		],
	},
} as const satisfies Readonly<Record<string, Readonly<Record<string, readonly Choice[]>>>>;

/** The values of a choice list, as a tuple of literal types (so domain types derive from it). */
export type Values<T extends readonly Choice[]> = { readonly [K in keyof T]: T[K] extends Choice ? T[K][0] : never };

export function values<const T extends readonly Choice[]>(choices: T): Values<T> {
	return choices.map((c) => c[0]) as unknown as Values<T>;
}

/** value -> "中文 English", the way the printed forms show a choice. */
export function bilingual(choices: readonly Choice[]): Readonly<Record<string, string>> {
	return Object.fromEntries(choices.map(([value, en, zh]) => [value, `${zh} ${en}`]));
}
