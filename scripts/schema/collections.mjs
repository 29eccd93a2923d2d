// The bundle's 15 collections (budget: at most 15, all prefixed cp_, so that a company on the
// Directus 12 Core tier keeps room for its own). Requirement ids in comments point to
// ../shared/spec/REQUIREMENTS.md.
import { CATALOGUE as C, DEPARTMENTS } from '../../extensions/customer-processes/src/domain/catalogue.ts';
import { collection, f } from './dsl.mjs';

const dept = (field, label, opts) => f.choice(field, label, DEPARTMENTS, opts);
const customer = (opts = {}) => f.m2o('customer', ['Customer', '顾客'], 'cp_customers', { template: '{{code}} {{name}}', required: true, ...opts });
// CR-1: the requirement categories and sources (domain/contract-review/requirements.ts), with their labels.
const REQUIREMENT_CATEGORIES = [
	['quality', 'Quality', '质量'],
	['delivery', 'Delivery', '交付'],
	['support', 'Support service', '支持服务'],
];
const REQUIREMENT_SOURCES = [
	['stated', 'Stated by the customer', '顾客明示'],
	['implied', 'Implied by the intended use', '预期用途隐含'],
	['statutory', 'Statutory / regulatory', '法律法规'],
	['company', 'Added by the company', '公司附加'],
];
/** A choice column of a repeater (Directus "list" interface) row. */
const listField = (field, [en, zh], choices) => ({
	field,
	name: `${en} / ${zh}`,
	type: 'string',
	meta: {
		field,
		type: 'string',
		width: 'half',
		interface: 'select-dropdown',
		required: true,
		options: { choices: choices.map(([value, cen, czh]) => ({ value, text: `${czh} ${cen}` })) },
	},
});
export const REQUIREMENT_CHOICES = { category: REQUIREMENT_CATEGORIES, source: REQUIREMENT_SOURCES };
/** The status moves only through the steps panel (issue #12): read-only on the form, for staff and admins alike. */
const STEP_ONLY = { readonly: true, note: ['Changed by the steps above (Next steps)', '通过上方「下一步」办理时改变'] };
const contract = (opts = {}) => f.m2o('contract', ['Contract', '合同'], 'cp_contracts', { template: '{{code}} {{title}}', ...opts });

export const collections = [
	collection(
		'cp_settings',
		{
			en: ['Process settings'],
			zh: '过程设置',
			icon: 'tune',
			singleton: true,
			note: ['Company-wide settings of the customer processes', '与顾客有关过程的公司设置'],
		},
		[
			f.string('company_name', ['Company name', '公司名称'], { note: ['Printed in form headers', '打印在表单抬头'] }),
			f.string('customers_collection', ['Customers collection', '顾客集合'], {
				default: 'cp_customers',
				note: ['Collection holding customers (install setting)', '存放顾客的集合(安装设置)'],
			}),
			f.json('departments', ['Departments', '部门'], {
				note: ['Department key -> Directus role id; filled by the roles seed, extend it when adding a department', '部门键 -> 角色 id;由角色种子填写'],
			}),
			f.bool('refuse_oral_orders', ['Refuse oral orders', '不接受口头订单'], {
				note: ['Tick to accept orders only in writing: an oral order is then refused', '勾选后只接受书面订单,口头订单将被拒绝'],
			}),
			f.json('routes', ['Review routes', '评审路线'], {
				note: ['Which departments review each kind of contract; leave empty for the procedure’s defaults', '各类合同由哪些部门评审;留空则按程序文件的默认设置'],
			}),
			f.json('signers', ['Named signers', '签字人'], {
				note: [
					'CR-6, CR-7, CR-11: sales_manager, sales_vp, warehouse_keeper -> list of Directus role or user ids; a key not set = its default department (Sales, Deputy GM, Warehouse)',
					'CR-6、CR-7、CR-11:销售部经理、销售副总经理、仓库保管员 -> 角色或用户 id 列表;未设置=默认部门',
				],
			}),
			f.json('approvers', ['Approver per contract class', '各类合同审批人'], {
				note: [
					'CR-7: contract class (regular_in_stock, regular, special) or major -> department that approves; empty = special: deputy GM, major: GM',
					'CR-7:合同类别或重大合同 -> 审批部门;空=特殊合同副总经理、重大合同总经理',
				],
			}),
			f.json('major_rules', ['What makes a contract major', '重大合同判定规则'], {
				note: [
					'CR-7: {amount_at_least, new_product, export}; a contract meeting one is major (Sales may still tick it)',
					'CR-7:金额下限、新产品、出口;满足任一即为重大合同(市场部仍可勾选)',
				],
			}),
			f.int('response_hours', ['Response deadline', '书面答复时限'], {
				default: 72,
				note: ['How long the company has to send the written response to a complaint', '收到顾客投诉后发出书面答复的时限'],
			}),
			f.choice('response_mode', ['Response clock', '答复计时方式'], C.cp_settings.response_mode, { default: 'calendar_hours' }),
			f.int('resolution_days', ['Resolution deadline (days)', '处理完成时限(天)'], { default: 30 }),
			f.json('calendar', ['Company calendar', '公司日历'], {
				note: ['Time zone, working days and hours, holidays, make-up workdays', '时区、工作日与工作时间、节假日、调休上班日'],
			}),
			f.int('check_interval_months', ['Property check interval (months)', '顾客财产检查周期(月)'], {
				default: 6,
				note: ['How often customer property in our keeping is checked, in months', '我方保管的顾客财产多久检查一次(月)'],
			}),
			f.int('survey_cadence_months', ['Survey cadence (months)', '满意度调查周期(月)'], {
				default: 3,
				note: ['How often each customer gets a satisfaction survey, in months', '每位顾客多久进行一次满意度调查(月)'],
			}),
			f.json('survey_template', ['Satisfaction questionnaire', '满意度调查表'], {
				note: [
					'The survey questions with their rating scale; leave empty for quality, delivery, service, communication and price rated 1 to 5',
					'调查问题及评分等级;留空则为质量、交货、服务、沟通、价格五项,1-5 分',
				],
			}),
			f.int('retention_years', ['Retention (years)', '记录保存期(年)'], {
				default: 3,
				note: ['How many years records are kept; they cannot be deleted before', '记录保存年限,期满前不能删除'],
			}),
			// Automatic numbers (issue 12 point 7): {YYYY} {YY} {MM} {DD} and one sequence {####}.
			...[
				['contract', ['Contract number pattern', '合同编号规则'], 'HT-{YYYY}-{####}'],
				['complaint', ['Complaint number pattern', '顾客反馈编号规则'], 'KF-{YYYY}-{####}'],
				['property', ['Property label pattern', '顾客财产标识编号规则'], 'GP-{YYYY}-{####}'],
			].map(([kind, label, pattern]) =>
				f.string(`${kind}_number_pattern`, label, {
					default: pattern,
					max_length: 40,
					note: [
						'Numbers given to new records left without one: {YYYY} year, {YY}, {MM} month, {DD} day, {####} running number (counts per year when the year is in it); a typed number is kept',
						'新记录未填编号时自动编号:{YYYY} 年,{YY},{MM} 月,{DD} 日,{####} 流水号(含年份时每年重新计数);手工填写的编号保留',
					],
				}),
			),
			f.json('number_counters', ['Number counters', '编号计数器'], {
				readonly: true,
				hidden: true,
				note: ['Last number given per pattern and period (kept by the bundle)', '各编号规则与期间的最后编号(系统维护)'],
			}),
			f.json('mailbox', ['Complaints mailbox', '投诉邮箱'], {
				note: [
					'{host, port, tls, user, secret_env, folder, done_folder}; the password is read from the environment variable named in secret_env, never stored; empty = no mail intake',
					'IMAP 服务器、端口、TLS、用户、密码所在的环境变量名(secret_env)、文件夹;密码不存于数据库;空=不收取邮件',
				],
			}),
			// X-6: who does what is data; empty = the procedures' defaults (domain/process-departments.ts).
			f.json('task_notice_departments', ['Task notice recipients', '任务通知单接收部门'], {
				note: [
					'department keys that receive the task notice; empty = production, purchasing, quality, warehouse',
					'接收任务通知单的部门键;空=生产部、供应部、质量部、仓库',
				],
			}),
			f.json('complaint_departments', ['Complaint steps by department', '顾客反馈处理各步骤部门'], {
				note: [
					'step -> department keys who may take it (investigate, plan_action, respond, request_verification, close, reopen, pause); empty = the procedure (Quality investigates, Sales or Quality answer and close)',
					'步骤 -> 可执行的部门键;空=按程序(质量部调查,销售部或质量部答复与关闭)',
				],
			}),
			f.json('discrepancy_departments', ['Departments raising discrepancies', '可提出合同不一致问题的部门'], {
				note: ['department keys that may raise a discrepancy; empty = every reviewing department', '可提出不一致问题的部门键;空=所有评审部门'],
			}),
			f.json('property_custodians', ['Property custodians by kind', '顾客财产保管部门'], {
				note: [
					'property kind -> department keys that keep and check it; empty = Production: tooling, equipment, gauges; Technical: documents, samples, media; Sales: IP, personal data; Warehouse: the rest',
					'财产类别 -> 保管与检查部门键;空=按程序默认',
				],
			}),
		],
	),
	collection(
		'cp_customers',
		{
			en: ['Customers', 'Customer'],
			zh: '顾客',
			icon: 'storefront',
			display_template: '{{code}} {{name}}',
			archive: { field: 'status', value: 'archived', unarchive: 'active' },
		},
		[
			f.string('code', ['Customer code', '顾客编号'], { required: true, unique: true, max_length: 64 }),
			f.string('name', ['Name', '名称'], { required: true }),
			f.choice('status', ['Status', '状态'], C.cp_customers.status, { default: 'active' }),
			f.bool('is_new', ['New customer', '新顾客'], {
				// Empty: derived from the customer's history (new until its first signed contract); true/false: Sales's override.
				default: null,
				note: [
					'New customers get a full review and must sign a formal contract. Empty: new until the first signed contract; set it only to override, with the reason',
					'新顾客须全面评审并签订正式合同。空:首份合同签订前为新顾客;仅在需改判时填写并注明原因',
				],
			}),
			f.text('is_new_reason', ['Reason for new/old customer override', '新老顾客改判原因'], {
				note: ['Why Sales changed New customer by hand (e.g. taken over by a new group)', '销售部手工改判新老顾客的原因(如被新集团收购)'],
			}),
			f.string('contact_person', ['Contact person', '联系人']),
			f.string('phone', ['Phone', '电话']),
			f.string('email', ['E-mail', '电子邮件']),
			f.text('contact_emails', ["Contacts' e-mail addresses", '联系人电子邮件'], {
				note: [
					"CP-1: further addresses of the customer's contacts, one per line; mail from them becomes this customer's complaint",
					'CP-1:联系人的其他邮箱,每行一个;来自这些邮箱的邮件记为该顾客的投诉',
				],
			}),
			f.text('address', ['Address', '地址']),
			f.o2m('contracts', ['Contracts', '合同'], { template: '{{code}} {{title}} · {{status}}', fields: ['code', 'title', 'kind', 'status'] }),
			f.o2m('complaints', ['Complaints', '顾客反馈'], { template: '{{code}} {{summary}} · {{status}}', fields: ['code', 'summary', 'status', 'received_at'] }),
			f.o2m('property', ['Customer property', '顾客财产'], { template: '{{code}} {{name}} · {{status}}', fields: ['code', 'name', 'kind', 'status'] }),
			f.o2m('communications', ['Communication and surveys', '沟通与满意度调查'], {
				template: '{{type}} {{summary}} {{period_key}}',
				fields: ['type', 'occurred_at', 'summary', 'period_key', 'survey_status', 'score'],
			}),
		],
	),
	collection(
		'cp_contracts',
		{
			en: ['Contracts', 'Contract'],
			zh: '合同/订单/标书',
			icon: 'contract',
			display_template: '{{code}} {{title}}',
			note: ['Bids, orders and contracts with their review', '标书、订单与合同及其评审'],
		},
		[
			f.steps(),
			f.string('code', ['Number', '编号'], {
				unique: true,
				nullable: false,
				max_length: 64,
				note: [
					'Leave empty to number automatically (pattern in Process settings); type a number for an imported record',
					'留空则自动编号(规则见过程设置);导入的记录可填写原编号',
				],
			}),
			f.string('title', ['Title', '标题'], { required: true }),
			f.choice('kind', ['Kind', '类别'], C.cp_contracts.kind, { required: true, default: 'contract' }),
			f.choice('channel', ['Channel', '渠道'], C.cp_contracts.channel, { required: true, default: 'written' }),
			f.choice('class', ['Contract class', '合同类别'], C.cp_contracts.class, {
				required: true,
				default: 'regular',
				note: ['Decides which departments review the contract', '决定由哪些部门评审'],
			}),
			f.bool('major', ['Major contract', '重大合同'], {
				note: [
					'Tick for a major contract: the General Manager approves it as well; the company rules (amount, new product, export) in Process settings also make it major',
					'重大合同请勾选:还须总经理批准;符合过程设置中公司规则(金额、新产品、出口)的合同亦为重大合同',
				],
			}),
			f.bool('export', ['Export', '出口'], {
				note: ['Tick for an export contract: the company rules may make it major', '出口合同请勾选:按公司规则可为重大合同'],
			}),
			f.choice('status', ['Status', '状态'], C.cp_contracts.status, { required: true, default: 'draft', indexed: true, ...STEP_ONLY }),
			customer({ one_field: 'contracts' }),
			f.userStamp('sales_owner', ['Sales owner', '销售负责人'], { readonly: false, special: ['m2o'] }),
			f.decimal('total_amount', ['Total amount', '合同金额']),
			f.string('currency', ['Currency', '币种'], { default: 'CNY', max_length: 8 }),
			f.date('delivery_date', ['Delivery date', '交货期']),
			f.string('applicable_standard', ['Applicable standard', '适用标准'], {
				note: [
					'The standard the product is made to, e.g. GB 6543-2008 (domestic), SN/T 0262 (export) or the company standard',
					'产品执行的标准,如 GB 6543-2008(内销)、SN/T 0262(出口)或企业标准',
				],
			}),
			// CR-1: one row per requirement (issue #12: a repeater, not JSON typed by hand); the values are
			// domain/contract-review/requirements.ts's, tests/unit/record-pages.test.ts holds them together.
			f.json('requirements', ['Requirements', '产品要求'], {
				interface: 'list',
				options: {
					template: '{{category}} · {{source}} · {{text}}',
					addLabel: 'Add a requirement / 添加要求',
					fields: [
						listField('category', ['Category', '类别'], REQUIREMENT_CATEGORIES),
						listField('source', ['Source', '来源'], REQUIREMENT_SOURCES),
						{
							field: 'text',
							name: 'Requirement / 要求',
							type: 'text',
							meta: { field: 'text', type: 'text', width: 'full', interface: 'input-multiline', required: true },
						},
					],
				},
				note: [
					'One row per requirement: its category (quality, delivery, support), where it comes from (stated by the customer, implied, law, company) and the text',
					'每条要求一行:类别(质量、交付、支持)、来源(顾客明示、隐含、法律法规、公司附加)和内容',
				],
			}),
			f.choice('stage', ['Tender stage', '投标阶段'], C.cp_contracts.stage, {
				note: ['A tender is reviewed twice: first the decision to bid, then the bid document', '招标分两次评审:先评审是否投标,再评审标书'],
			}),
			f.int('review_round', ['Review round', '评审轮次'], { default: 0, readonly: true }),
			f.string('review_route', ['Review route', '评审路线'], { readonly: true, max_length: 64 }),
			f.text('route_reason', ['Why this route', '路线依据'], { readonly: true }),
			f.datetime('review_submitted_at', ['Submitted for review', '提交评审时间'], {
				readonly: true,
				note: ['When the current review round was submitted (or resubmitted)', '本轮评审的提交(或重新提交)时间'],
			}),
			f.text('conclusion', ['Review conclusion', '评审结论'], {
				note: ['CR-6: signed by the sales department manager once every line is signed', 'CR-6:各部门签字后由销售部经理签署'],
			}),
			f.userStamp('conclusion_signed_by', ['Conclusion signed by', '结论签署人']),
			f.datetime('conclusion_signed_at', ['Conclusion signed at', '结论签署时间'], { readonly: true }),
			f.datetime('reviewed_at', ['Review completed', '评审完成时间'], { readonly: true }),
			f.text('confirmation_record', ['Order confirmation record', '订单确认记录'], {
				note: ['Who called, when, what was asked and which conditions cannot be met', '来电人、时间、要求内容及不能满足的条件'],
			}),
			f.datetime('customer_confirmed_at', ['Customer confirmed at', '顾客确认时间']),
			f.choice('customer_confirmation_method', ['Confirmation method', '确认方式'], C.cp_contracts.customer_confirmation_method),
			f.m2o('technical_agreement', ['Technical agreement', '技术协议'], 'directus_files', {
				note: ['Upload the signed technical agreement; it is an annex to the contract', '上传签署的技术协议,作为合同附件'],
			}),
			f.datetime('signed_at', ['Signed at', '签订时间'], { readonly: true }),
			f.userStamp('signed_by', ['Signed by', '签订人']),
			f.text('notes', ['Notes', '备注']),
			f.o2m('lines', ['Contract lines', '合同明细'], {
				template: '{{line_no}} {{product}} × {{quantity}}',
				enableCreate: true,
				fields: ['line_no', 'product', 'specification', 'material', 'quantity', 'unit', 'unit_price', 'delivery_date'],
				note: ['Add and edit the lines here while the contract is a draft', '草稿阶段在此添加和修改明细'],
			}),
			f.o2m('review_lines', ['Review lines', '评审栏'], {
				template: '{{round}} · {{department}} · {{decision}}',
				fields: ['round', 'stage', 'department', 'decision', 'opinion', 'signed_by', 'signed_at'],
			}),
			f.o2m('discrepancies', ['Discrepancies', '不一致问题'], {
				template: '{{clause}}: {{problem}} · {{status}}',
				enableCreate: true,
				fields: ['round', 'raised_by_department', 'clause', 'problem', 'status'],
			}),
			f.o2m('changes', ['Contract changes', '合同变更'], { template: '{{kind}} · {{status}}', fields: ['kind', 'description', 'status', 'consequence'] }),
			f.o2m('task_notices', ['Task notices', '任务通知单'], {
				template: '{{department}} · {{acknowledged_at}}',
				fields: ['department', 'issued_at', 'due_at', 'acknowledged_by', 'acknowledged_at'],
			}),
			f.o2m('samples', ['Samples and tooling', '样品与模具'], { template: '{{code}} {{kind}} · {{status}}', fields: ['code', 'kind', 'status'] }),
		],
	),
	collection(
		'cp_contract_lines',
		{ en: ['Contract lines', 'Contract line'], zh: '合同明细', icon: 'list', display_template: '{{product}} × {{quantity}}', sort: 'line_no' },
		[
			contract({ required: true, on_delete: 'CASCADE', one_field: 'lines' }),
			f.int('line_no', ['Line', '行号']),
			f.string('product', ['Product', '产品'], { required: true }),
			f.string('specification', ['Specification', '规格']),
			f.string('material', ['Material', '材质']),
			f.string('marks', ['Marks', '标识/唛头']),
			f.string('process', ['Process', '工艺']),
			f.decimal('quantity', ['Quantity', '数量'], { required: true }),
			f.string('unit', ['Unit', '单位'], { max_length: 16 }),
			f.decimal('unit_price', ['Unit price', '单价']),
			f.date('delivery_date', ['Delivery date', '交货期']),
		],
	),
	collection(
		'cp_review_lines',
		{
			en: ['Review lines', 'Review line'],
			zh: '评审栏',
			icon: 'how_to_reg',
			display_template: '{{department}} · {{decision}}',
			note: ['One line per department on the bid/contract review form: its decision and opinion', '标书/合同评审单上各部门的评审栏:评审结论与意见'],
		},
		[
			f.steps(),
			contract({ required: true, on_delete: 'CASCADE', one_field: 'review_lines', readonly: true }),
			f.int('round', ['Round', '轮次'], { default: 1, readonly: true }),
			f.choice('stage', ['Stage', '阶段'], C.cp_review_lines.stage, { default: 'review', readonly: true }),
			dept('department', ['Department', '部门'], { required: true, readonly: true, indexed: true }),
			f.json('checklist', ['Aspect checklist', '评审内容'], {
				// The department ticks its aspects when it signs with the steps above (one checkbox per aspect with its label).
				interface: 'list',
				readonly: true,
				options: {
					template: '{{zh}} {{en}}: {{checked}}',
					fields: [
						{ field: 'zh', name: '评审内容', type: 'string', meta: { field: 'zh', type: 'string', width: 'half', interface: 'input', readonly: true } },
						{ field: 'en', name: 'Aspect', type: 'string', meta: { field: 'en', type: 'string', width: 'half', interface: 'input', readonly: true } },
						{ field: 'checked', name: 'Confirmed / 已确认', type: 'boolean', meta: { field: 'checked', type: 'boolean', width: 'half', interface: 'boolean' } },
						{ field: 'note', name: 'Note / 说明', type: 'string', meta: { field: 'note', type: 'string', width: 'half', interface: 'input' } },
					],
				},
				note: [
					'The aspects this department confirms, each ticked (or explained) when it signs with Next steps',
					'本部门负责的评审内容,签字时在「下一步」逐项确认或说明',
				],
			}),
			f.text('opinion', ['Opinion', '评审意见']),
			f.choice('decision', ['Decision', '结论'], C.cp_review_lines.decision, { required: true, default: 'pending', indexed: true, ...STEP_ONLY }),
			f.userStamp('signed_by', ['Signed by', '评审人']),
			f.datetime('signed_at', ['Signed at', '签字时间'], { readonly: true }),
			f.bool('signed_as_admin', ['Signed by admin acting as department', '管理员代签'], { readonly: true }),
		],
	),
	collection(
		'cp_discrepancies',
		{
			en: ['Discrepancies', 'Discrepancy'],
			zh: '合同不一致问题处理单',
			icon: 'report',
			display_template: '{{clause}}: {{problem}}',
			note: [
				'A contract clause a department cannot accept, and how Sales resolved it with the customer',
				'某部门不能接受的合同条款,以及销售部与顾客协商的处理结果',
			],
		},
		[
			f.steps(),
			contract({ required: true, on_delete: 'CASCADE', one_field: 'discrepancies' }),
			f.int('round', ['Round', '轮次'], { readonly: true }),
			dept('raised_by_department', ['Raised by department', '提出部门'], { required: true }),
			f.string('clause', ['Clause', '条款'], { required: true }),
			f.text('problem', ['Problem', '问题'], { required: true }),
			f.text('suggestion', ['Suggestion', '意见/建议']),
			f.choice('status', ['Status', '状态'], C.cp_discrepancies.status, { required: true, default: 'open', indexed: true, ...STEP_ONLY }),
			f.text('resolution', ['Resolution (verified by Sales)', '处理结果(销售核实)']),
			f.text('customer_contact', ['Customer contact record', '与顾客沟通记录'], { note: ['Call notes, fax, letter, mail', '电话记录、传真、信函、邮件'] }),
			f.m2o('evidence', ['Evidence file', '证据文件'], 'directus_files'),
			f.bool('customer_clarified_in_writing', ['Customer clarified in writing', '顾客书面澄清'], {
				note: ['Sends the affected lines back to review', '澄清部分重新评审'],
			}),
			f.userStamp('resolved_by', ['Resolved by', '处理人']),
			f.datetime('resolved_at', ['Resolved at', '处理时间'], { readonly: true }),
			f.userStamp('closed_by', ['Closed by', '确认人']),
			f.datetime('closed_at', ['Closed at', '确认时间'], { readonly: true }),
		],
	),
	collection(
		'cp_task_notices',
		{
			en: ['Task notices', 'Task notice'],
			zh: '销售转生产任务通知单',
			icon: 'assignment',
			display_template: '{{contract.code}} → {{department}}',
			note: ['One notice per receiving department, acknowledged by that department', '每个接收部门一张,由该部门签收'],
		},
		[
			f.steps(),
			// Issued by signing the contract: nothing of it is typed; the receiving department acknowledges it with the step above.
			contract({ required: true, one_field: 'task_notices', readonly: true }),
			dept('department', ['Receiving department', '接收部门'], { required: true, readonly: true }),
			f.datetime('issued_at', ['Issued at', '下达时间'], { readonly: true }),
			f.datetime('due_at', ['Needed by', '要求时间'], { readonly: true }),
			f.text('content', ['Task', '任务内容'], { readonly: true }),
			f.userStamp('acknowledged_by', ['Acknowledged by', '签收人']),
			f.datetime('acknowledged_at', ['Acknowledged at', '签收时间'], { readonly: true, indexed: true }),
			f.m2o('change', ['Re-issued for change', '变更重发'], 'cp_changes', {
				readonly: true,
				note: ['CR-14: issued again after a contract change', 'CR-14:合同变更后重新下达'],
			}),
		],
	),
	collection(
		'cp_changes',
		{
			en: ['Contract changes', 'Contract change'],
			zh: '合同变更',
			icon: 'published_with_changes',
			display_template: '{{contract.code}} · {{kind}}',
			note: [
				'A change the customer or the company asks for after signing: describe it; the process decides what follows',
				'签订后顾客或公司提出的变更:填写变更内容,流程决定后续处理',
			],
		},
		[
			f.steps(),
			contract({ required: true, one_field: 'changes' }),
			f.choice('kind', ['Kind of change', '变更类型'], C.cp_changes.kind, { required: true }),
			f.text('description', ['Description', '变更内容'], { required: true }),
			f.choice('status', ['Status', '状态'], C.cp_changes.status, { default: 'requested', ...STEP_ONLY }),
			f.datetime('customer_consent_at', ['Customer written consent', '顾客书面同意时间']),
			f.m2o('consent_file', ['Consent document', '同意文件'], 'directus_files'),
			f.choice('consequence', ['Consequence', '处理方式'], C.cp_changes.consequence, {
				readonly: true,
				max_length: 255,
				note: ['new work order, new quotation, new review, product change notice, or termination', '重下工单、重出报价、重新评审、产品变更通知或终止'],
			}),
			f.json('affected_departments', ['Affected departments', '受影响部门'], { readonly: true }),
			f.bool('signed_by_customer', ['Signed by customer', '顾客签字'], { note: ['Termination needs both parties', '终止须双方签字'] }),
			f.bool('signed_by_company', ['Signed by company', '公司签字']),
			// CR-14 (Doc 1 4.6 b-d): the amended values, the supervising leader's approval, the customer's
			// confirmation of the change notice, the market department head's signature, the effect.
			f.json('amendments', ['Amended values', '变更后的值'], {
				note: [
					'New values: delivery_date, total_amount, lines [{line_no, quantity, unit_price, delivery_date, ...}]',
					'变更后的值:交货期、合同金额、行 [{行号, 数量, 单价, 交货期, ...}]',
				],
			}),
			f.string('consent_by', ['Customer consent given by', '顾客同意人']),
			f.text('decision_note', ['Approval opinion', '审批意见']),
			f.userStamp('approved_by', ['Approved by (supervising leader)', '批准人(主管领导)']),
			f.datetime('approved_at', ['Approved at', '批准时间'], { readonly: true }),
			dept('approved_as', ['Approved as', '批准部门'], { readonly: true }),
			f.string('customer_confirmed_by', ['Confirmed by (customer)', '顾客确认人']),
			f.datetime('customer_confirmed_at', ['Customer confirmed at', '顾客确认时间']),
			f.choice('customer_confirmation_method', ['Confirmation method', '确认方式'], C.cp_changes.customer_confirmation_method),
			f.m2o('confirmation_file', ['Confirmation evidence', '确认证据'], 'directus_files'),
			f.text('confirmation_record', ['Confirmation record', '确认记录'], { note: ['Fax no., mail, call notes', '传真号、邮件、电话记录'] }),
			f.userStamp('head_signed_by', ['Signed by (market department head)', '市场部部长审核签字']),
			f.datetime('head_signed_at', ['Head signed at', '部长签字时间'], { readonly: true }),
			f.datetime('effective_at', ['Took effect at', '生效时间'], { readonly: true }),
			f.json('amended', ['Amended from → to', '变更前后'], { readonly: true }),
		],
	),
	collection(
		'cp_samples',
		{
			en: ['Samples and tooling', 'Sample / tooling'],
			zh: '样品与模具费用',
			icon: 'science',
			display_template: '{{code}} {{kind}}',
			note: ['Samples sent for the customer’s approval, and tooling cost estimates', '送顾客确认的样品及模具费用预算'],
		},
		[
			f.steps(),
			f.string('code', ['Number', '编号'], { required: true, unique: true, max_length: 64 }),
			f.choice('kind', ['Kind', '类别'], C.cp_samples.kind, { required: true, default: 'sample' }),
			customer(),
			contract({ one_field: 'samples' }),
			f.choice('status', ['Status', '状态'], C.cp_samples.status, { default: 'requested', ...STEP_ONLY }),
			f.text('parameters', ['Recorded parameters', '制作参数']),
			f.choice('inspection_result', ['Inspection result', '检验结论'], C.cp_samples.inspection_result),
			f.text('inspection_report', ['Sample inspection report', '样品检验报告']),
			f.bool('sealed_reference', ['Sealed reference sample', '封样'], {
				note: ['Where the sample the customer approved is kept as the reference', '顾客认可的封样存放位置'],
			}),
			f.decimal('tooling_estimate', ['Tooling estimate', '模具费用预算']),
			f.text('cost_sharing_plan', ['Cost-sharing plan', '费用分摊方案']),
			f.userStamp('approved_by', ['Approved by (GM)', '批准人(总经理)']),
			f.datetime('customer_consent_at', ['Customer consent', '顾客同意时间']),
		],
	),
	collection(
		'cp_complaints',
		{
			en: ['Complaints', 'Complaint'],
			zh: '顾客反馈处理单',
			icon: 'support_agent',
			display_template: '{{code}} {{summary}}',
			note: ['Customer feedback handling form: complaint, investigation, actions, response and verification', '顾客反馈处理单:投诉、调查、措施、答复与验证'],
		},
		[
			f.steps(),
			f.string('code', ['Number', '编号'], {
				unique: true,
				nullable: false,
				max_length: 64,
				note: [
					'Leave empty to number automatically (pattern in Process settings); type a number for an imported record',
					'留空则自动编号(规则见过程设置);导入的记录可填写原编号',
				],
			}),
			customer({ one_field: 'complaints' }),
			contract(),
			f.string('product', ['Product', '产品']),
			f.string('batch', ['Batch', '批号']),
			f.choice('channel', ['Channel', '渠道'], C.cp_complaints.channel, { required: true, default: 'phone' }),
			f.datetime('received_at', ['Received at', '受理时间'], { required: true, indexed: true }),
			f.string('summary', ['Summary', '摘要'], { required: true }),
			f.text('description', ['Customer feedback', '顾客反馈内容']),
			f.choice('status', ['Status', '状态'], C.cp_complaints.status, { required: true, default: 'received', indexed: true, ...STEP_ONLY }),
			f.datetime('response_due_at', ['Written response due', '书面答复期限'], { readonly: true, indexed: true }),
			f.datetime('responded_at', ['Responded at', '答复时间'], { readonly: true }),
			f.text('response_content', ['Written response', '书面答复内容']),
			f.bool('response_breached', ['Response deadline breached', '答复超期'], { readonly: true }),
			f.datetime('resolution_due_at', ['Resolution due', '处理完成期限'], { readonly: true, indexed: true }),
			f.bool('resolution_breached', ['Resolution deadline breached', '处理超期'], { readonly: true }),
			f.json('pauses', ['Clock pauses', '计时暂停'], {
				readonly: true,
				interface: 'list',
				options: {
					template: '{{reason}} {{from}} → {{to}}',
					fields: [
						{ field: 'reason', name: 'Reason / 原因', type: 'string', meta: { field: 'reason', type: 'string', width: 'half', interface: 'input' } },
						{ field: 'from', name: 'From / 自', type: 'string', meta: { field: 'from', type: 'string', width: 'half', interface: 'input' } },
						{ field: 'to', name: 'To / 至', type: 'string', meta: { field: 'to', type: 'string', width: 'half', interface: 'input' } },
						{ field: 'note', name: 'Note / 说明', type: 'string', meta: { field: 'note', type: 'string', width: 'half', interface: 'input' } },
					],
				},
				note: ['Waiting for the customer or a third party; paused and resumed with the steps above', '等待顾客或第三方;通过上方「下一步」暂停与恢复'],
			}),
			f.text('traceability', ['Internal traceability', '内部追溯']),
			f.choice('root_cause_category', ['Root cause category', '原因类别'], C.cp_complaints.root_cause_category),
			f.text('root_cause', ['Root cause', '原因分析']),
			dept('responsible_department', ['Responsible department', '责任部门']),
			// CP-2: the sections D1-D8 (domain/complaints/eight-d.ts), typed in the bundle's interface, checked by the write guard.
			f.json('eight_d', ['8D record', '8D 报告'], {
				interface: 'cp-eight-d',
				options: null,
				note: [
					'The 8D report of the investigation, one text per section: D1 team to D8 recognition; leave a section empty until it is done',
					'调查的 8D 报告,每项填写文字:D1 成立小组至 D8 总结与表彰;未完成的项可暂不填写',
				],
			}),
			f.choice('product_disposition', ['Delivered product disposition', '已交付产品处置'], C.cp_complaints.product_disposition, {
				note: [
					'What happens to product already delivered: nothing, returned, or handled as nonconforming product',
					'已交付产品如何处置:无需处置、退货或按不合格品处理',
				],
			}),
			f.choice('verification', ['Customer verification', '顾客验证'], C.cp_complaints.verification),
			f.datetime('verified_at', ['Verified at', '验证时间'], { readonly: true }),
			f.text('verification_note', ['Verification note', '验证说明']),
			f.text('no_verification_reason', ['Why no verification', '无法验证的原因']),
			f.text('no_action_reason', ['Why no corrective action', '无需纠正措施的原因'], {
				note: [
					'If no corrective action is needed, say why; the complaint cannot close without actions or this reason',
					'如无需纠正措施,请说明原因;没有措施也没有原因时投诉不能关闭',
				],
			}),
			f.string('verify_token_hash', ['Verification link (hash)', '验证链接(散列)'], { hidden: true, readonly: true, max_length: 128 }),
			f.datetime('verify_token_expires_at', ['Verification link expires', '验证链接有效期'], { readonly: true }),
			f.string('dedupe_key', ['Duplicate key', '重复识别码'], { hidden: true, readonly: true, unique: true, max_length: 128 }),
			f.o2m('actions', ['Corrective actions', '纠正措施'], {
				template: '{{title}} · {{status}}',
				enableCreate: true,
				fields: ['title', 'department', 'owner', 'due_at', 'status'],
			}),
		],
	),
	collection(
		'cp_actions',
		{
			en: ['Actions', 'Action'],
			zh: '纠正/预防措施',
			icon: 'task_alt',
			display_template: '{{title}} ({{complaint.code}})',
			note: [
				'Corrective actions with their owner and deadline, for complaints, discrepancies and property problems',
				'纠正措施及其负责人和期限,用于投诉、合同不一致和顾客财产问题',
			],
		},
		[
			f.steps(),
			f.string('title', ['Action', '措施'], { required: true }),
			f.m2o('complaint', ['Complaint', '顾客反馈'], 'cp_complaints', {
				template: '{{code}} {{summary}}',
				one_field: 'actions',
				note: ['The complaint this action corrects', '本措施所纠正的顾客反馈'],
			}),
			// Where the action comes from, as the server records it: filled from Complaint, or by the discrepancy's or
			// property problem's own step; not typed on the form (issue #12: no collection names or ids on screen).
			f.string('source_collection', ['Source', '来源'], {
				max_length: 64,
				hidden: true,
				note: [
					'Filled from Complaint, or by the discrepancy or property problem the action comes from',
					'由「顾客反馈」或措施所来自的不一致问题、顾客财产问题自动填写',
				],
			}),
			f.string('source_id', ['Source record', '来源记录'], { max_length: 64, indexed: true, hidden: true }),
			f.userStamp('owner', ['Owner', '负责人'], { readonly: false, special: ['m2o'] }),
			dept('department', ['Department', '部门']),
			f.datetime('due_at', ['Due', '完成期限'], { indexed: true }),
			f.choice('status', ['Status', '状态'], C.cp_actions.status, { required: true, default: 'open', indexed: true, ...STEP_ONLY }),
			f.datetime('done_at', ['Done at', '完成时间'], { readonly: true }),
			f.datetime('reminded_at', ['Reminder sent', '已提醒'], { readonly: true }),
			f.datetime('escalated_at', ['Escalated', '已升级'], { readonly: true }),
		],
	),
	collection(
		'cp_communications',
		{
			en: ['Customer communication', 'Communication'],
			zh: '顾客沟通记录',
			icon: 'forum',
			display_template: '{{type}} {{summary}}',
			note: ['Contact log, visits and satisfaction surveys', '沟通记录、回访与满意度调查'],
		},
		[
			f.steps(),
			// Nullable under the API's required flag: an e-mail from an unknown sender waits in triage (CP-1) until Sales names the customer.
			customer({ nullable: true, one_field: 'communications' }),
			contract(),
			f.choice('type', ['Type', '类型'], C.cp_communications.type, { required: true, indexed: true }),
			f.choice('channel', ['Channel', '方式'], C.cp_communications.channel),
			f.datetime('occurred_at', ['Date', '日期']),
			f.string('summary', ['Summary', '摘要']),
			f.text('findings', ['Findings', '发现/分析']),
			f.text('follow_up', ['Follow-up', '后续措施']),
			f.string('period_key', ['Survey period', '调查期间'], {
				max_length: 16,
				indexed: true,
				note: ['The survey’s period, e.g. 2026-Q4', '调查所属期间,如 2026-Q4'],
			}),
			f.choice('survey_status', ['Survey status', '调查状态'], C.cp_communications.survey_status, { indexed: true }),
			// CC-4: the questionnaire's questions with their scales (interfaces/cp-survey-answers), checked by planSurveyEntry.
			f.json('answers', ['Answers', '答卷'], {
				interface: 'cp-survey-answers',
				options: null,
				note: [
					'The customer’s rating of each question of the questionnaire and their comment; answered through the survey link, or typed in from a paper form or a call',
					'顾客对调查表各项的评分及意见;由顾客通过调查链接填写,或按纸质调查表、电话记录录入',
				],
			}),
			f.decimal('score', ['Score', '得分'], { numeric_precision: 5, numeric_scale: 2 }),
			f.string('token_hash', ['Link (hash)', '链接(散列)'], { hidden: true, readonly: true, max_length: 128 }),
			f.datetime('token_expires_at', ['Link expires', '链接有效期'], { readonly: true }),
			f.string('dedupe_key', ['Idempotency key', '幂等键'], { hidden: true, readonly: true, unique: true, max_length: 128 }),
			f.m2o('complaint', ['Complaint', '顾客反馈处理单'], 'cp_complaints', {
				template: '{{code}} {{summary}}',
				note: ["CP-1: the e-mails of a complaint (the customer's messages and replies, the written response sent)", 'CP-1:该投诉的往来邮件'],
			}),
			f.string('mail_from', ['From (e-mail)', '发件人'], { readonly: true, max_length: 255 }),
			f.string('message_id', ['Message-ID', '邮件标识'], { readonly: true, hidden: true, max_length: 998 }),
			f.json('attachments', ['Attachments', '附件'], { readonly: true, note: ['Directus files of the e-mail', '邮件附件(文件库)'] }),
			f.choice('triage_status', ['Triage', '待分派'], C.cp_communications.triage_status, {
				indexed: true,
				note: ['CP-1: an e-mail the poller could not file: Sales assigns it to a customer or rejects it', 'CP-1:无法自动归档的邮件,由市场部分派或拒绝'],
			}),
			f.text('triage_note', ['Triage note', '分派说明']),
		],
	),
	collection(
		'cp_property',
		{
			en: ['Customer property', 'Property item'],
			zh: '顾客财产',
			icon: 'inventory_2',
			display_template: '{{code}} {{name}}',
			note: ['Register of customer property in our keeping', '我方保管的顾客财产登记'],
		},
		[
			f.steps(),
			f.string('code', ['Label code', '标识编号'], {
				unique: true,
				nullable: false,
				max_length: 64,
				note: [
					'Printed on the ownership label with a QR code; leave empty to number automatically (pattern in Process settings)',
					'打印在带二维码的所有权标识上;留空则自动编号(规则见过程设置)',
				],
			}),
			f.string('name', ['Name', '名称'], { required: true }),
			f.choice('kind', ['Kind', '类别'], C.cp_property.kind, { required: true }),
			customer({ one_field: 'property' }),
			contract(),
			f.text('scope', ['Agreed scope and responsibilities', '约定范围与责任'], {
				note: [
					'What was agreed with the customer: what we keep or use, who maintains and insures it, what happens on loss',
					'与顾客约定的内容:我方保管或使用什么、由谁维护和投保、损坏丢失如何处理',
				],
			}),
			f.string('specification', ['Specification', '规格']),
			f.string('model', ['Model', '型号']),
			f.decimal('quantity', ['Quantity', '数量']),
			f.string('unit', ['Unit', '单位'], { max_length: 16 }),
			f.string('serial_no', ['Serial number', '出厂编号']),
			f.choice('status', ['Status', '状态'], C.cp_property.status, { required: true, default: 'expected', indexed: true, ...STEP_ONLY }),
			f.string('location', ['Storage location', '存放位置']),
			f.bool('location_segregated', ['Segregated location', '专区存放'], {
				note: ['Tick when the item is stored apart from our own goods, in the customer property area', '与本公司物品分开、存放在顾客财产专区时勾选'],
			}),
			f.date('next_check_due', ['Next check due', '下次检查日期'], { readonly: true, indexed: true }),
			f.datetime('last_check_at', ['Last check', '上次检查'], { readonly: true }),
			f.date('check_notified_for', ['Check reminder sent for', '已提醒的检查日期'], {
				readonly: true,
				hidden: true,
				note: ['Set by the process: the due date already announced, so each check is announced once', '流程自动填写:已提醒的到期日,每次检查只提醒一次'],
			}),
			f.bool('loss_attributed_to_customer', ['Loss attributed to customer material', '损失归因于顾客材料'], {
				note: ['Tick when a loss was caused by the customer’s own material', '损失由顾客提供的材料本身造成时勾选'],
			}),
			f.o2m('history', ['History', '履历'], {
				template: '{{type}} {{occurred_at}} {{result}}',
				fields: ['type', 'occurred_at', 'quantity', 'result', 'to_location', 'note'],
				note: ['Recorded with the steps above', '通过上方「下一步」记录'],
			}),
		],
	),
	collection(
		'cp_property_events',
		{
			en: ['Property history', 'Property event'],
			zh: '顾客财产履历',
			icon: 'history',
			display_template: '{{type}} {{occurred_at}}',
			note: [
				'The item’s history: receipt, inspection, moves, checks, problems; entries are never changed',
				'财产履历:接收、验证、移动、检查、问题;记录只增不改',
			],
		},
		[
			f.m2o('property', ['Property item', '顾客财产'], 'cp_property', { template: '{{code}} {{name}}', required: true, one_field: 'history' }),
			f.choice('type', ['Event', '事件'], C.cp_property_events.type, { required: true }),
			f.datetime('occurred_at', ['When', '时间']),
			f.decimal('quantity', ['Quantity', '数量']),
			f.choice('result', ['Result', '结果'], C.cp_property_events.result),
			f.string('from_location', ['From', '自'], {}),
			f.string('to_location', ['To', '至'], {}),
			f.text('note', ['Note', '说明']),
			f.json('details', ['Details', '详情']),
			f.m2o('evidence', ['Customer evidence file', '顾客书面意见文件'], 'directus_files', {
				note: [
					"PR-6: the customer's disposition as received by Sales (letter, signed report, e-mail)",
					'PR-6:销售部收到的顾客处置意见(函件、签字的报告单、邮件)',
				],
			}),
			f.text('customer_message', ['Customer message', '顾客意见原文'], {
				note: ["PR-6: the customer's message with the disposition, as received", 'PR-6:顾客处置意见原文'],
			}),
		],
	),
	collection(
		'cp_audit',
		{
			en: ['Audit trail', 'Audit entry'],
			zh: '审计记录',
			icon: 'policy',
			pk: 'integer',
			display_template: '{{collection}} {{item}} {{action}}',
			note: ['Who changed what, when and as which department; entries are never changed', '谁、何时、以哪个部门身份改变了什么;记录只增不改'],
		},
		[
			f.datetime('at', ['When', '时间'], { readonly: true, indexed: true }),
			f.userStamp('user', ['User', '用户']),
			f.string('department', ['Department', '部门'], { readonly: true, max_length: 64 }),
			f.bool('as_admin', ['Admin acting', '管理员代行'], { readonly: true }),
			f.string('collection', ['Collection', '集合'], { readonly: true, max_length: 64 }),
			f.string('item', ['Item', '记录'], { readonly: true, max_length: 64, indexed: true }),
			// Indexed: the review cycle time reads the completions of a period (issue 14).
			f.string('action', ['Action', '操作'], { readonly: true, max_length: 64, indexed: true }),
			f.string('from_status', ['From', '原状态'], { readonly: true, max_length: 64 }),
			f.string('to_status', ['To', '新状态'], { readonly: true, max_length: 64 }),
			f.json('data', ['Data', '数据'], { readonly: true }),
			// X-4 (issue 14): a review completion's route and hours (its data.route, data.hours) as plain
			// columns, so that the cycle-time indicator aggregates them from the (action, collection, at)
			// index alone, without reading JSON. Written with the entry (services/audit.ts), empty on others.
			f.string('review_route', ['Review route', '评审路线'], { readonly: true, max_length: 64, hidden: true }),
			f.decimal('cycle_hours', ['Review cycle hours', '评审周期(小时)'], { readonly: true, hidden: true, numeric_precision: 12, numeric_scale: 4 }),
		],
	),
];
