/**
 * Printable contract review forms (X-1): 标书/合同评审单 (CR-1..CR-9), 合同不一致问题处理单 (CR-5),
 * 订单确认记录 (CR-10), 销售转生产任务通知单 (CR-13), 合同变更通知单 (CR-14) and
 * 样品检验报告 (CR-15). Each is a FormDoc (see ./layout) rendered to HTML; the evidence pack
 * renders the same FormDoc to PDF. Pure: the adapter reads the records, these only lay them out.
 */
import {
	choice,
	departmentLabel,
	fields,
	formatDay,
	formatTime,
	parseJsonValue,
	person,
	renderHtml,
	signaturesFrom,
	table,
	yes,
	yesNo,
	type AuditRow,
	figure,
	money,
	type Field,
	type FormDoc,
	type Section,
} from './layout';
import { planAmendment, type AmendedValue } from '../contract-review/changes';
import {
	CHANGE_CONFIRMATION_METHOD,
	CHANGE_CONSEQUENCE,
	CHANGE_KIND,
	CHANGE_STATUS,
	CONFIRMATION_METHOD,
	CONTRACT_CHANNEL,
	CONTRACT_CLASS,
	CONTRACT_KIND,
	CONTRACT_STATUS,
	DISCREPANCY_STATUS,
	INSPECTION_RESULT,
	REQUIREMENT_CATEGORY,
	REQUIREMENT_SOURCE,
	REVIEW_DECISION,
	REVIEW_STAGE,
	SAMPLE_KIND,
	SAMPLE_STATUS,
} from './labels';

type Row = Record<string, any>;

export interface FormContext {
	company: string;
	zone: string;
}

/** A contract as read with its customer (and optionally sales owner / signer) expanded. */
export type ContractRow = Row & { customer?: Row | null };

const customerText = (c: Row | null | undefined) => (c && typeof c === 'object' ? [c.code, c.name].filter(Boolean).join(' ') : '');
const contractText = (c: Row | null | undefined) => (c && typeof c === 'object' ? [c.code, c.title].filter(Boolean).join(' ') : '');
const qty = (q: unknown, unit: unknown) => [figure(q), unit ?? ''].filter((x) => x !== '').join(' ');

/** The contract block every contract form starts with. */
function contractFields(c: ContractRow, zone: string, extra: Field[] = []): Field[] {
	return [
		{ label: '合同编号 Contract No.', value: c.code },
		{ label: '标题 Title', value: c.title },
		{ label: '顾客 Customer', value: customerText(c.customer) },
		{ label: '类别 Kind', value: choice(CONTRACT_KIND, c.kind) },
		{ label: '渠道 Channel', value: choice(CONTRACT_CHANNEL, c.channel) },
		{ label: '合同类别 Class', value: choice(CONTRACT_CLASS, c.class) },
		{ label: '重大合同 Major contract', value: yesNo(c.major) },
		{ label: '状态 Status', value: choice(CONTRACT_STATUS, c.status) },
		{ label: '合同金额 Amount', value: c.total_amount === null || c.total_amount === undefined ? '' : `${money(c.total_amount)} ${c.currency ?? ''}`.trim() },
		{ label: '交货期 Delivery date', value: formatDay(c.delivery_date) },
		...extra,
	];
}

function linesSection(lines: Row[], heading = '合同明细 Lines (CR-1)'): Section {
	return table(
		heading,
		['#', '产品 Product', '规格 Spec.', '材质 Material', '标识 Marks', '工艺 Process', '数量 Qty', '单价 Unit price', '交货期 Delivery'],
		lines.map((l, i) => [
			l.line_no ?? i + 1,
			l.product,
			l.specification,
			l.material,
			l.marks,
			l.process,
			qty(l.quantity, l.unit),
			money(l.unit_price),
			formatDay(l.delivery_date),
		]),
	);
}

const CONTRACT_STEP: Readonly<Record<string, string>> = {
	create: '编制 Prepared',
	submitted: '提交评审 Submitted for review',
	resubmitted: '重新提交评审 Resubmitted for review',
	review_completed: '评审完成 Review completed',
	signed: '合同签订 Contract signed',
	conclusion_signed: '审核结论签署 Review conclusion signed',
	change_review: '变更重新评审 Re-review after a change',
	terminated: '合同终止 Terminated',
};

/** Steps of a contract's own trail; plain field edits are left out. */
export function contractStep(t: AuditRow): string | null {
	if (t.action && CONTRACT_STEP[t.action]) return CONTRACT_STEP[t.action]!;
	if (t.action === 'transition' && t.to_status) return `状态 Status → ${choice(CONTRACT_STATUS, t.to_status)}`;
	return null;
}

/**
 * Steps of a record whose trail is create + status changes (discrepancies, changes, samples):
 * any entry that moved the status counts, whatever the adapter named the action ('transition',
 * or a guard such as 'inspect'); plain field edits are left out.
 */
export const statusStep =
	(created: string, labels: Readonly<Record<string, string>>) =>
	(t: AuditRow): string | null => {
		if (t.action === 'create') return created;
		if (t.to_status && t.to_status !== t.from_status && t.action !== 'update') return `状态 Status → ${choice(labels, t.to_status)}`;
		return null;
	};

// ---------------------------------------------------------------------- 标书/合同评审单

export interface ChecklistAspect {
	key?: string;
	zh?: string;
	en?: string;
	checked?: boolean;
	note?: string;
}

export interface ReviewFormInput extends FormContext {
	contract: ContractRow;
	lines: Row[];
	/** Review lines of every round, signed_by expanded to the user. */
	reviewLines: Row[];
	discrepancies?: Row[];
	trail: AuditRow[];
}

export function checklistText(v: unknown): string {
	const list = parseJsonValue<ChecklistAspect[]>(v, []);
	if (!Array.isArray(list)) return '';
	return list
		.map((a) => `${a.checked ? '√' : '□'} ${[a.zh, a.en].filter(Boolean).join(' ') || a.key || ''}${!a.checked && a.note ? `：${a.note}` : ''}`)
		.join('\n');
}

function requirementsSection(v: unknown, standard: unknown): Section {
	const list = parseJsonValue<Row[]>(v, []);
	const rows = (Array.isArray(list) ? list : []).map((r, i) => [
		i + 1,
		choice(REQUIREMENT_CATEGORY, r?.category),
		choice(REQUIREMENT_SOURCE, r?.source),
		r?.text ?? '',
	]);
	if (standard) rows.unshift(['', '适用标准 Standard', '', String(standard)]);
	return table('三、产品要求 Requirements (CR-1)', ['#', '类别 Category', '来源 Source', '要求 Requirement'], rows);
}

export function reviewFormDoc(input: ReviewFormInput): FormDoc {
	const { contract: c, zone } = input;
	const round = Number(c.review_round ?? 0);
	const current = input.reviewLines.filter((l) => Number(l.round) === round);
	const earlier = new Map<number, Row[]>();
	for (const l of input.reviewLines) {
		const r = Number(l.round);
		if (r < round) earlier.set(r, [...(earlier.get(r) ?? []), l]);
	}
	const signer = (l: Row) => person(l.signed_by);
	return {
		company: input.company,
		title: { zh: '标书/合同评审单', en: 'Bid / Contract Review Form' },
		no: c.code ?? '',
		sections: [
			fields(
				'一、合同信息 Contract (CR-1, CR-7)',
				contractFields(c, zone, [
					...(c.kind === 'bid' ? [{ label: '投标阶段 Tender stage', value: choice(REVIEW_STAGE, c.stage) }] : []),
					{ label: '评审路线 Review route', value: c.review_route ?? '' },
					{ label: '路线依据 Why this route', value: c.route_reason ?? '', text: true },
					{ label: '评审轮次 Review round', value: round || '' },
					{ label: '评审完成 Review completed', value: formatTime(c.reviewed_at, zone) },
				]),
			),
			linesSection(input.lines, '二、合同明细 Lines (CR-1)'),
			requirementsSection(c.requirements, c.applicable_standard),
			table(
				`四、评审意见 Review (CR-3, CR-4) — 第 ${round} 轮 Round ${round}`,
				['部门 Department', '评审内容 Aspects', '评审意见 Opinion', '结论 Decision', '评审人 Signed by', '时间 Date', '管理员代签 Admin acting as'],
				current.map((l) => [
					departmentLabel(l.department),
					checklistText(l.checklist),
					l.opinion ?? '',
					choice(REVIEW_DECISION, l.decision),
					signer(l),
					formatTime(l.signed_at, zone),
					yes(l.signed_as_admin) ? `是 Yes: ${departmentLabel(l.department)}` : '',
				]),
				'未提交评审 Not submitted for review',
			),
			fields('审核结论与签订 Conclusion and signature (CR-6, CR-11)', [
				{ label: '评审结论 Review conclusion', value: c.conclusion ?? '', text: true },
				{ label: '销售部经理 Sales manager', value: person(c.conclusion_signed_by) },
				{ label: '签署时间 Signed at', value: formatTime(c.conclusion_signed_at, zone) },
				{ label: '销售副总经理代表公司签订 Signed for the company by the sales VP', value: person(c.signed_by) },
				{ label: '签订时间 Signed at', value: formatTime(c.signed_at, zone) },
			]),
			table(
				'五、合同不一致问题 Discrepancies (CR-5)',
				['轮次 Round', '提出部门 Raised by', '条款 Clause', '问题 Problem', '处理结果 Resolution', '状态 Status'],
				(input.discrepancies ?? []).map((d) => [
					d.round ?? '',
					departmentLabel(d.raised_by_department),
					d.clause,
					d.problem,
					d.resolution ?? '',
					choice(DISCREPANCY_STATUS, d.status),
				]),
			),
			table(
				'六、以往评审轮次 Earlier rounds',
				['轮次 Round', '阶段 Stage', '各部门结论 Decisions'],
				[...earlier.entries()]
					.sort(([a], [b]) => a - b)
					.map(([r, lines]) => [
						r,
						choice(REVIEW_STAGE, lines[0]?.stage),
						lines
							.map(
								(l) =>
									`${departmentLabel(l.department)}: ${choice(REVIEW_DECISION, l.decision)}${signer(l) ? ` (${signer(l)}, ${formatTime(l.signed_at, zone)})` : ''}`,
							)
							.join('\n'),
					]),
			),
		],
		signatures: signaturesFrom(input.trail, zone, contractStep),
	};
}

export const renderReviewForm = (input: ReviewFormInput): string => renderHtml(reviewFormDoc(input));

// ---------------------------------------------------------------------- 出库单 (CR-7 in-stock lane)

export interface OutboundSlipInput extends FormContext {
	contract: ContractRow;
	lines: Row[];
	/** Review lines of every round, signed_by expanded. */
	reviewLines: Row[];
}

/**
 * Doc 3 4.2.2.5: for an in-stock regular contract Sales writes product, model, quantity and price on
 * the outbound slip and signs it; the warehouse keeper confirms and signs: that is the review record.
 */
export function outboundSlipDoc(input: OutboundSlipInput): FormDoc {
	const { contract: c, zone } = input;
	const round = Number(c.review_round ?? 0);
	const line = (dept: string) => input.reviewLines.find((l) => Number(l.round) === round && l.department === dept && l.decision === 'approved');
	const sales = line('sales');
	const keeper = line('warehouse');
	return {
		company: input.company,
		title: { zh: '出库单', en: 'Outbound Slip' },
		no: c.code ?? '',
		sections: [
			fields('一、合同 Contract (CR-7)', [
				{ label: '合同编号 Contract No.', value: c.code },
				{ label: '标题 Title', value: c.title },
				{ label: '顾客 Customer', value: customerText(c.customer) },
				{ label: '合同类别 Class', value: choice(CONTRACT_CLASS, c.class) },
				{ label: '交货期 Delivery date', value: formatDay(c.delivery_date) },
			]),
			table(
				'二、出库明细 Goods issued',
				['#', '产品名称 Product', '规格型号 Spec./model', '数量 Qty', '单价 Unit price', '金额 Amount'],
				input.lines.map((l, i) => [
					l.line_no ?? i + 1,
					l.product,
					l.specification,
					qty(l.quantity, l.unit),
					money(l.unit_price),
					l.unit_price == null || l.quantity == null ? '' : money(Number(l.unit_price) * Number(l.quantity)),
				]),
			),
			fields('三、签名 Signatures (Doc 3 4.2.2.5)', [
				{ label: '销售处业务主办 Sales', value: person(sales?.signed_by) },
				{ label: '签名时间 Signed at', value: formatTime(sales?.signed_at, zone) },
				{ label: '仓库保管员确认 Warehouse keeper confirmed', value: person(keeper?.signed_by) },
				{ label: '确认时间 Confirmed at', value: formatTime(keeper?.signed_at, zone) },
				{ label: '意见 Opinion', value: keeper?.opinion ?? '', text: true },
				{ label: '评审完成 Review completed', value: formatTime(c.reviewed_at, zone) },
			]),
		],
		signatures: [],
	};
}

export const renderOutboundSlip = (input: OutboundSlipInput): string => renderHtml(outboundSlipDoc(input));

// ---------------------------------------------------------------------- 合同不一致问题处理单

export interface DiscrepancyFormInput extends FormContext {
	discrepancy: Row;
	contract: ContractRow;
	trail: AuditRow[];
}

export function discrepancyFormDoc(input: DiscrepancyFormInput): FormDoc {
	const { discrepancy: d, contract: c, zone } = input;
	const evidence = d.evidence && typeof d.evidence === 'object' ? d.evidence.title || d.evidence.filename_download || d.evidence.id : d.evidence;
	return {
		company: input.company,
		title: { zh: '合同不一致问题处理单', en: 'Contract Discrepancy Handling Form' },
		no: `${c.code ?? ''}${d.round ? ` / R${d.round}` : ''}`,
		sections: [
			fields('一、合同 Contract', [
				{ label: '合同编号 Contract No.', value: c.code },
				{ label: '标题 Title', value: c.title },
				{ label: '顾客 Customer', value: customerText(c.customer) },
				{ label: '评审轮次 Review round', value: d.round ?? '' },
			]),
			fields('二、问题 Discrepancy (CR-5)', [
				{ label: '条款 Clause', value: d.clause },
				{ label: '问题 Problem', value: d.problem, text: true },
				{ label: '意见/建议 Suggestion', value: d.suggestion ?? '', text: true },
				{ label: '提出部门 Raised by department', value: departmentLabel(d.raised_by_department) },
				{ label: '提出人 Raised by', value: person(d.user_created) },
				{ label: '提出时间 Raised at', value: formatTime(d.date_created, zone) },
				{ label: '状态 Status', value: choice(DISCREPANCY_STATUS, d.status) },
			]),
			fields('三、处理 Resolution (Sales)', [
				{ label: '与顾客沟通记录 Customer contact record', value: d.customer_contact ?? '', text: true },
				{ label: '证据文件 Evidence file', value: evidence ?? '' },
				{ label: '顾客书面澄清 Customer clarified in writing', value: yesNo(d.customer_clarified_in_writing) },
				{ label: '处理结果 Resolution', value: d.resolution ?? '', text: true },
				{ label: '销售核实人 Verified by (Sales)', value: person(d.resolved_by) },
				{ label: '核实时间 Verified at', value: formatTime(d.resolved_at, zone) },
			]),
			fields('四、确认关闭 Closing sign-off (raising department)', [
				{ label: '确认人 Closed by', value: person(d.closed_by) },
				{ label: '部门 Department', value: d.closed_at ? departmentLabel(d.raised_by_department) : '' },
				{ label: '确认时间 Closed at', value: formatTime(d.closed_at, zone) },
			]),
		],
		signatures: signaturesFrom(input.trail, zone, statusStep('提出 Raised', DISCREPANCY_STATUS)),
	};
}

export const renderDiscrepancyForm = (input: DiscrepancyFormInput): string => renderHtml(discrepancyFormDoc(input));

// ---------------------------------------------------------------------- 订单确认记录

export interface OrderConfirmationInput extends FormContext {
	contract: ContractRow;
	lines: Row[];
	trail: AuditRow[];
}

export function orderConfirmationDoc(input: OrderConfirmationInput): FormDoc {
	const { contract: c, zone } = input;
	return {
		company: input.company,
		title: { zh: '订单确认记录', en: 'Order Confirmation Record' },
		no: c.code ?? '',
		sections: [
			fields(
				'一、订单 Order',
				contractFields(c, zone, [{ label: '联系人 Contact', value: [c.customer?.contact_person, c.customer?.phone].filter(Boolean).join(' ') }]),
			),
			linesSection(input.lines),
			fields('二、确认 Confirmation (CR-10)', [
				{ label: '来电记录 Confirmation record', value: c.confirmation_record ?? '', text: true },
				{ label: '顾客确认时间 Customer confirmed at', value: formatTime(c.customer_confirmed_at, zone) },
				{ label: '确认方式 Method', value: choice(CONFIRMATION_METHOD, c.customer_confirmation_method) },
				{ label: '销售负责人 Sales owner', value: person(c.sales_owner) },
			]),
		],
		signatures: signaturesFrom(input.trail, zone, contractStep),
	};
}

export const renderOrderConfirmation = (input: OrderConfirmationInput): string => renderHtml(orderConfirmationDoc(input));

// ---------------------------------------------------------------------- 销售转生产任务通知单

export interface TaskNoticeInput extends FormContext {
	contract: ContractRow;
	lines: Row[];
	/** One row per receiving department; acknowledged_by expanded to the user. */
	notices: Row[];
}

export function taskNoticeDoc(input: TaskNoticeInput): FormDoc {
	const { contract: c, zone } = input;
	const issued = input.notices.map((n) => n.issued_at).find(Boolean);
	return {
		company: input.company,
		title: { zh: '销售转生产任务通知单', en: 'Sales-to-Production Task Notice' },
		no: c.code ?? '',
		sections: [
			fields(
				'一、合同 Contract',
				contractFields(c, zone, [
					{ label: '签订时间 Signed at', value: formatTime(c.signed_at, zone) },
					{ label: '签订人 Signed by', value: person(c.signed_by) },
					{ label: '下达时间 Issued at', value: formatTime(issued, zone) },
				]),
			),
			linesSection(input.lines),
			table(
				'二、接收部门 Receiving departments (CR-13)',
				['部门 Department', '任务内容 Task', '要求时间 Needed by', '签收人 Acknowledged by', '签收时间 Acknowledged at'],
				input.notices.map((n) => [
					departmentLabel(n.department),
					n.content ?? '',
					formatDay(n.due_at),
					n.acknowledged_at ? person(n.acknowledged_by) : '未签收 Not acknowledged',
					n.acknowledged_at ? formatTime(n.acknowledged_at, zone) : '',
				]),
				'未下达 Not issued',
			),
		],
	};
}

export const renderTaskNotice = (input: TaskNoticeInput): string => renderHtml(taskNoticeDoc(input));

// ---------------------------------------------------------------------- 合同变更通知单

export interface ChangeNoticeInput extends FormContext {
	/** user_created, approved_by, head_signed_by, consent_file and confirmation_file expanded. */
	change: Row;
	contract: ContractRow;
	/** The contract's lines now (before the change takes effect, the "from" values). */
	lines?: Row[];
	trail: AuditRow[];
}

const CHANGE_FIELD: Readonly<Record<string, string>> = {
	quantity: '数量 Quantity',
	unit_price: '单价 Unit price',
	delivery_date: '交货期 Delivery date',
	specification: '规格 Specification',
	material: '材质 Material',
	marks: '标识/唛头 Marks',
	process: '工艺 Process',
	total_amount: '合同金额 Total amount',
};
const fileText = (f: unknown) => (f && typeof f === 'object' ? (f as Row).title || (f as Row).filename_download || (f as Row).id : f);
const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));

/**
 * The change's values from -> to: as it amended the contract once in effect (kept on the change),
 * before that the contract's values now against the amended ones the change carries.
 */
function fromTo(ch: Row, lines: Row[], c: ContractRow): { amended: AmendedValue[]; effective: boolean } {
	const kept = parseJsonValue<AmendedValue[] | null>(ch.amended, null);
	if (Array.isArray(kept)) return { amended: kept, effective: true };
	try {
		return { amended: planAmendment(ch.kind, ch.amendments, c, lines as any).amended, effective: false };
	} catch {
		return { amended: [], effective: false };
	}
}

function fromToSection(heading: string, ch: Row, lines: Row[], c: ContractRow): Section {
	const { amended, effective } = fromTo(ch, lines, c);
	return table(
		heading,
		['项目 Item', '字段 Field', effective ? '变更前 Before' : '现值 Now', effective ? '变更后 After' : '变更为 To'],
		amended.map((a) => [
			a.target === 'line' ? `第 ${a.line_no} 行 Line ${a.line_no}` : '合同 Contract',
			CHANGE_FIELD[a.field] ?? a.field,
			shown(a.from),
			shown(a.to),
		]),
		'无 None',
	);
}

export function changeNoticeDoc(input: ChangeNoticeInput): FormDoc {
	const { change: ch, contract: c, zone } = input;
	const affected = parseJsonValue<string[]>(ch.affected_departments, []);
	const sections: Section[] = [
		fields('一、合同 Contract', [
			{ label: '合同编号 Contract No.', value: c.code },
			{ label: '标题 Title', value: c.title },
			{ label: '顾客 Customer', value: customerText(c.customer) },
			{ label: '合同状态 Contract status', value: choice(CONTRACT_STATUS, c.status) },
		]),
		fields('二、变更 Change (CR-14)', [
			{ label: '变更类型 Kind', value: choice(CHANGE_KIND, ch.kind) },
			{ label: '变更内容 Description', value: ch.description, text: true },
			{ label: '状态 Status', value: choice(CHANGE_STATUS, ch.status) },
			{ label: '顾客书面同意 Customer written consent', value: formatTime(ch.customer_consent_at, zone) },
			{ label: '顾客同意人 Consent given by', value: ch.consent_by ?? '' },
			{ label: '同意文件 Consent document', value: fileText(ch.consent_file) ?? '' },
			{ label: '处理方式 Consequence', value: choice(CHANGE_CONSEQUENCE, ch.consequence) },
			{ label: '受影响部门 Affected departments', value: (Array.isArray(affected) ? affected : []).map(departmentLabel).join('\n') },
			{ label: '登记人 Recorded by', value: person(ch.user_created) },
			{ label: '登记时间 Recorded at', value: formatTime(ch.date_created, zone) },
		]),
		fromToSection('三、变更前后 Values from → to', ch, input.lines ?? [], c),
		fields('四、主管领导批准 Approval by the supervising leader', [
			{ label: '批准人 Approved by', value: ch.approved_at ? person(ch.approved_by) : '未批准 Not approved' },
			{ label: '部门 Department', value: departmentLabel(ch.approved_as) },
			{ label: '批准时间 Approved at', value: formatTime(ch.approved_at, zone) },
			{ label: '审批意见 Opinion', value: ch.decision_note ?? '', text: true },
		]),
		fields('五、顾客确认 Confirmed by the customer', [
			{ label: '顾客确认人 Confirmed by', value: ch.customer_confirmed_by ?? (ch.customer_confirmed_at ? '' : '未确认 Not confirmed') },
			{ label: '确认时间 Confirmed at', value: formatTime(ch.customer_confirmed_at, zone) },
			{ label: '确认方式 Method', value: choice(CHANGE_CONFIRMATION_METHOD, ch.customer_confirmation_method) },
			{ label: '确认证据 Evidence', value: [fileText(ch.confirmation_file), ch.confirmation_record].filter(Boolean).join('\n'), text: true },
		]),
		fields('六、市场部部长审核签字 Signed by the market department head', [
			{ label: '签字人 Signed by', value: ch.head_signed_at ? person(ch.head_signed_by) : '未签字 Not signed' },
			{ label: '签字时间 Signed at', value: formatTime(ch.head_signed_at, zone) },
			{ label: '生效时间 Took effect at', value: formatTime(ch.effective_at, zone) },
		]),
	];
	if (ch.kind === 'termination') {
		sections.push(
			fields('七、终止签字 Termination signatures', [
				{ label: '顾客签字 Signed by customer', value: yesNo(ch.signed_by_customer) },
				{ label: '公司签字 Signed by company', value: yesNo(ch.signed_by_company) },
			]),
		);
	}
	return {
		company: input.company,
		title: { zh: '合同变更通知单', en: 'Contract Change Notice' },
		no: c.code ?? '',
		sections,
		signatures: signaturesFrom(input.trail, zone, statusStep('登记 Recorded', CHANGE_STATUS)),
	};
}

export const renderChangeNotice = (input: ChangeNoticeInput): string => renderHtml(changeNoticeDoc(input));

// ---------------------------------------------------------------------- 设计变更申请单

/**
 * Doc 1 4.6 a-b: R&D's design change request. For a change that does not affect the customer it
 * is the whole record (R&D approves and carries it out); for one that does, it goes on to Sales,
 * the customer and the supervising leader (the change notice carries those steps).
 */
export function designChangeRequestDoc(input: ChangeNoticeInput): FormDoc {
	const { change: ch, contract: c, zone } = input;
	const affected = parseJsonValue<string[]>(ch.affected_departments, []);
	const customer = ch.kind !== 'design';
	return {
		company: input.company,
		title: { zh: '设计变更申请单', en: 'Design Change Request' },
		no: c.code ?? '',
		sections: [
			fields('一、合同与产品 Contract and product', [
				{ label: '合同编号 Contract No.', value: c.code },
				{ label: '标题 Title', value: c.title },
				{ label: '顾客 Customer', value: customerText(c.customer) },
			]),
			fields('二、变更 Change', [
				{ label: '变更类型 Kind', value: choice(CHANGE_KIND, ch.kind) },
				{ label: '变更内容 Description', value: ch.description, text: true },
				{ label: '影响顾客要求 Affects the customer’s requirements', value: customer ? '是 Yes' : '否 No' },
				{
					label: '处理途径 Route',
					value: customer
						? '市场部征得顾客同意,主管领导批准(见合同变更通知单) Sales obtains the customer’s consent, the supervising leader approves (see the contract change notice)'
						: '研发部按设计更改规定执行 R&D carries it out under the design change rules',
				},
				{ label: '状态 Status', value: choice(CHANGE_STATUS, ch.status) },
				{ label: '受影响部门 Affected departments', value: (Array.isArray(affected) ? affected : []).map(departmentLabel).join('\n') },
				{ label: '申请人 Requested by', value: person(ch.user_created) },
				{ label: '申请时间 Requested at', value: formatTime(ch.date_created, zone) },
			]),
			fields('三、批准 Approval', [
				{ label: '批准人 Approved by', value: ch.approved_at ? person(ch.approved_by) : '未批准 Not approved' },
				{ label: '部门 Department', value: departmentLabel(ch.approved_as) },
				{ label: '批准时间 Approved at', value: formatTime(ch.approved_at, zone) },
				{ label: '审批意见 Opinion', value: ch.decision_note ?? '', text: true },
				{ label: '执行时间 Carried out at', value: formatTime(ch.effective_at, zone) },
			]),
		],
		signatures: signaturesFrom(input.trail, zone, statusStep('申请 Requested', CHANGE_STATUS)),
	};
}

export const renderDesignChangeRequest = (input: ChangeNoticeInput): string => renderHtml(designChangeRequestDoc(input));

// ---------------------------------------------------------------------- 样品检验报告

export interface SampleReportInput extends FormContext {
	/** customer, contract, approved_by and user_created expanded. */
	sample: Row;
	trail: AuditRow[];
}

export function sampleReportDoc(input: SampleReportInput): FormDoc {
	const { sample: s, zone } = input;
	const sections: Section[] = [
		fields('一、样品 Sample (CR-15)', [
			{ label: '编号 No.', value: s.code },
			{ label: '类别 Kind', value: choice(SAMPLE_KIND, s.kind) },
			{ label: '顾客 Customer', value: customerText(s.customer) },
			{ label: '合同 Contract', value: contractText(s.contract) },
			{ label: '状态 Status', value: choice(SAMPLE_STATUS, s.status) },
			{ label: '制作参数 Recorded parameters', value: s.parameters ?? '', text: true },
		]),
		fields('二、检验 Inspection', [
			{ label: '检验结论 Result', value: choice(INSPECTION_RESULT, s.inspection_result) },
			{ label: '检验报告 Report', value: s.inspection_report ?? '', text: true },
			{ label: '封样 Sealed reference sample', value: yesNo(s.sealed_reference) },
			{ label: '顾客同意时间 Customer consent', value: formatTime(s.customer_consent_at, zone) },
		]),
	];
	if (s.kind === 'tooling' || s.tooling_estimate || s.cost_sharing_plan) {
		sections.push(
			fields('三、模具费用 Tooling cost (CR-16)', [
				{ label: '模具费用预算 Estimate', value: s.tooling_estimate ?? '' },
				{ label: '费用分摊方案 Cost-sharing plan', value: s.cost_sharing_plan ?? '', text: true },
				{ label: '批准人(总经理) Approved by (GM)', value: person(s.approved_by) },
			]),
		);
	}
	return {
		company: input.company,
		title: { zh: '样品检验报告', en: 'Sample Inspection Report' },
		no: s.code ?? '',
		sections,
		signatures: signaturesFrom(input.trail, zone, statusStep('申请 Requested', SAMPLE_STATUS)),
	};
}

export const renderSampleReport = (input: SampleReportInput): string => renderHtml(sampleReportDoc(input));
