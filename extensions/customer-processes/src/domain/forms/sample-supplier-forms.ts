/**
 * Two forms the procedures name:
 * - 《样箱试制委托书》 sample request (Doc 3 4.4.1): after the contract takes effect the salesperson
 *   fills it in and reviews it with the workshops, the technical department and the technical
 *   quality department, clarifying doubts about the sample; printed from a cp_samples record.
 * - 《供方产品质量反馈表》 / 供方质量跟踪反馈记录 supplier quality feedback (Doc 1 4.8.2, Doc 2 4.7.2,
 *   Doc 3 4.4.5): customer-provided material that fails incoming inspection, or is found
 *   nonconforming in use, is recorded and passed to the customer (the supplier of it) through Sales;
 *   printed from a cp_property line. Pure: the adapter reads, these lay out.
 */
import { choice, fields, figure, formatTime, person, renderHtml, signaturesFrom, table, type AuditRow, type FormDoc, type Section } from './layout';
import { SAMPLE_KIND, SAMPLE_STATUS } from './labels';
import { KIND_LABELS, PROBLEM_LABELS, DECISION_LABELS } from '../property/forms';
import { DomainError } from '../errors';

type Row = Record<string, any>;

const customerText = (c: Row | null | undefined) => (c && typeof c === 'object' ? [c.code, c.name].filter(Boolean).join(' ') : '');
const contractText = (c: Row | null | undefined) => (c && typeof c === 'object' ? [c.code, c.title].filter(Boolean).join(' ') : '');

export interface SampleRequestInput {
	company: string;
	zone: string;
	/** customer, contract and user_created expanded. */
	sample: Row;
	trail: AuditRow[];
}

/** Doc 3 4.4.1: who reviews the sample request with Sales. */
export const SAMPLE_REQUEST_REVIEWERS: readonly string[] = ['各车间 Workshops', '技术部 Technical', '技术质量部 Technical quality'];

export function sampleRequestDoc(input: SampleRequestInput): FormDoc {
	const { sample: s, zone } = input;
	const sections: Section[] = [
		fields('一、委托 Request (CR-15)', [
			{ label: '编号 No.', value: s.code },
			{ label: '类别 Kind', value: choice(SAMPLE_KIND, s.kind) },
			{ label: '顾客 Customer', value: customerText(s.customer) },
			{ label: '合同 Contract', value: contractText(s.contract) },
			{ label: '委托人(销售员) Requested by (salesperson)', value: person(s.user_created) },
			{ label: '委托时间 Requested at', value: formatTime(s.date_created, zone) },
			{ label: '状态 Status', value: choice(SAMPLE_STATUS, s.status) },
		]),
		fields('二、试制要求与工艺参数 Requirements and process parameters', [
			{ label: '要求/参数 Requirements / parameters', value: s.parameters ?? '', text: true },
		]),
		table(
			'三、评审 Review (疑点澄清 doubts clarified)',
			['部门 Department', '意见 Opinion', '签名 Signature', '日期 Date'],
			SAMPLE_REQUEST_REVIEWERS.map((d) => [d, '', '', '']),
		),
	];
	return {
		company: input.company,
		title: { zh: '样箱试制委托书', en: 'Sample Request' },
		no: s.code ?? '',
		sections,
		signatures: signaturesFrom(input.trail, zone, (t) => (t.action === 'create' ? '委托 Requested' : null)),
	};
}

export const renderSampleRequest = (input: SampleRequestInput): string => renderHtml(sampleRequestDoc(input));

export interface SupplierFeedbackInput {
	company: string;
	zone: string;
	/** customer and contract expanded. */
	item: Row;
	/** The line's events of type inspection, problem and disposition, oldest first, user_created expanded. */
	events: Row[];
}

const detailsOf = (e: Row): Row => {
	const d = e.details;
	if (typeof d === 'string') {
		try {
			return JSON.parse(d) ?? {};
		} catch {
			return {};
		}
	}
	return d && typeof d === 'object' ? d : {};
};

/** The findings the feedback reports: rejections at incoming inspection and material found nonconforming (PR-3, PR-6). */
export function supplierFindings(events: readonly Row[]): Row[] {
	return events.filter(
		(e) => (e.type === 'inspection' && e.result === 'rejected') || (e.type === 'problem' && detailsOf(e).problem_type === 'nonconforming_material'),
	);
}

export function supplierFeedbackDoc(input: SupplierFeedbackInput): FormDoc {
	const { item: it, zone } = input;
	const findings = supplierFindings(input.events);
	if (!findings.length) {
		throw new DomainError(
			'CP_EVENT_REQUIRED',
			`${it.code} 无进货检验拒收或材料不合格记录 has no rejected incoming inspection or nonconforming material to feed back (PR-3, PR-6)`,
			{ field: 'inspection' },
		);
	}
	const decision = [...input.events].reverse().find((e) => e.type === 'disposition');
	const sections: Section[] = [
		fields('一、产品 Product', [
			{ label: '供方(顾客) Supplier (customer)', value: customerText(it.customer) },
			{ label: '合同 Contract', value: contractText(it.contract) },
			{ label: '财产编号 Code', value: it.code },
			{ label: '名称 Name', value: it.name },
			{ label: '类别 Kind', value: KIND_LABELS[it.kind] ?? it.kind },
			{ label: '规格/型号 Spec / model', value: [it.specification, it.model].filter(Boolean).join(' / ') },
			{ label: '数量 Quantity', value: [figure(it.quantity), it.unit ?? ''].join(' ').trim() },
		]),
		table(
			'二、质量问题 Quality problems found',
			['时间 When', '环节 Found at', '问题 Problem', '数量 Qty', '记录人 Recorded by'],
			findings.map((e) => [
				formatTime(e.occurred_at ?? e.date_created, zone),
				e.type === 'inspection' ? '进货检验拒收 Incoming inspection rejected' : `使用中 In use: ${PROBLEM_LABELS.nonconforming_material ?? ''}`,
				e.note ?? '',
				figure(e.quantity),
				person(e.user_created),
			]),
		),
		fields('三、反馈 Feedback', [
			{ label: '转达 Passed on', value: '通过销售部转达顾客处理 Passed to the customer through Sales' },
			{
				label: '供方处理意见 Supplier’s reply',
				value: decision ? `${DECISION_LABELS[String(detailsOf(decision).decision)] ?? ''} ${decision.customer_message ?? decision.note ?? ''}`.trim() : '',
				text: true,
			},
		]),
		table('四、签认 Signatures', ['检验员 Inspector', '销售部 Sales', '供方确认 Supplier', '日期 Date'], [['', '', '', '']]),
	];
	return { company: input.company, title: { zh: '供方产品质量反馈表', en: 'Supplier Quality Feedback' }, no: it.code ?? '', sections };
}

export const renderSupplierFeedback = (input: SupplierFeedbackInput): string => renderHtml(supplierFeedbackDoc(input));
