/** Bilingual labels of the choice values printed on the forms (the same words as the schema's choices). */

export const CONTRACT_KIND: Readonly<Record<string, string>> = { bid: '标书 Bid / tender', order: '订单 Order', contract: '合同 Contract' };
export const CONTRACT_CHANNEL: Readonly<Record<string, string>> = {
	written: '书面 Written',
	tender: '招标 Tender',
	oral: '口头/电话 Oral / phone',
	online: '网上 Online',
};
export const CONTRACT_CLASS: Readonly<Record<string, string>> = {
	regular_in_stock: '常规合同(有库存) Regular, in stock',
	regular: '常规合同 Regular',
	special: '特殊合同 Special (new / modified product)',
};
export const CONTRACT_STATUS: Readonly<Record<string, string>> = {
	draft: '草稿 Draft',
	in_review: '评审中 In review',
	reviewed: '已评审 Reviewed',
	signed: '已签订 Signed',
	in_production: '生产中 In production',
	completed: '已完成 Completed',
	cancelled: '已取消 Cancelled',
	terminated: '已终止 Terminated',
};
export const REVIEW_STAGE: Readonly<Record<string, string>> = {
	review: '评审 Review',
	tender_decision: '投标决策 Decision to bid',
	bid_document: '投标文件 Bid document',
	confirmation: '确认 Confirmation',
};
export const REVIEW_DECISION: Readonly<Record<string, string>> = { pending: '待评审 Pending', approved: '同意 Approved', rejected: '不同意 Rejected' };
export const DISCREPANCY_STATUS: Readonly<Record<string, string>> = { open: '待处理 Open', resolved: '已处理 Resolved', closed: '已确认关闭 Closed' };
export const CONFIRMATION_METHOD: Readonly<Record<string, string>> = {
	fax: '传真 Fax',
	mail: '邮件 Mail',
	signature: '签字 Signature',
	online: '网上记录 Online record',
};
export const REQUIREMENT_CATEGORY: Readonly<Record<string, string>> = { quality: '质量 Quality', delivery: '交付 Delivery', support: '支持/服务 Support' };
export const REQUIREMENT_SOURCE: Readonly<Record<string, string>> = {
	stated: '顾客明示 Stated',
	implied: '隐含 Implied',
	statutory: '法律法规 Statutory',
	company: '公司附加 Company',
};
export const CHANGE_KIND: Readonly<Record<string, string>> = {
	quantity: '数量 Quantity',
	delivery_date: '交货期 Delivery date',
	price: '价格 Price',
	structure: '产品结构 Product structure',
	process: '工艺 Process',
	termination: '合同终止 Termination',
};
export const CHANGE_STATUS: Readonly<Record<string, string>> = {
	requested: '已申请 Requested',
	approved: '已批准 Approved',
	done: '已完成 Done',
	rejected: '已驳回 Rejected',
};
export const CHANGE_CONSEQUENCE: Readonly<Record<string, string>> = {
	new_work_order: '重下工单 New work order',
	new_quotation: '重出报价 New quotation',
	new_review: '重新评审 New review',
	product_change_notice: '产品变更通知 Product change notice',
	termination_both_parties: '双方签字终止合同 Termination signed by both parties',
};
export const SAMPLE_KIND: Readonly<Record<string, string>> = { sample: '样品 Sample', tooling: '模具费用预算 Tooling cost estimate' };
export const SAMPLE_STATUS: Readonly<Record<string, string>> = {
	requested: '已申请 Requested',
	in_progress: '制作中 In progress',
	inspected: '已检验 Inspected',
	sent: '已送样 Sent to customer',
	approved: '顾客认可 Approved by customer',
	rejected: '不合格重做 Rejected, remake',
	closed: '已关闭 Closed',
};
export const INSPECTION_RESULT: Readonly<Record<string, string>> = { pass: '合格 Pass', fail: '不合格 Fail' };
export const PROPERTY_STATUS: Readonly<Record<string, string>> = {
	expected: '待接收 Expected',
	received: '已接收 Received',
	in_store: '在库 In store',
	in_use: '使用中 In use',
	blocked: '已隔离 Blocked',
	returned: '已归还 Returned',
	disposed: '已处置 Disposed',
};
