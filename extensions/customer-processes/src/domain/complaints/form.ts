/**
 * The printable 《顾客信息反馈处理单》 (customer feedback handling form, X-1): every field,
 * the corrective actions, the written response, the customer's verification, and the
 * signatures (who, which department, when) taken from the audit trail. Pure: data in, HTML out;
 * the shell, escaping and the signatures block come from ../forms/layout.
 * Every value is escaped, so text like "<script>" prints as text and never runs.
 */
import {
	correctionsSection,
	departmentLabel,
	escapeHtml,
	fields,
	formatTime,
	person,
	renderHtml,
	signaturesFrom,
	table,
	yes,
	type FormDoc,
} from '../forms/layout';
import { fieldLabel } from '../policy/labels';
import { bilingual, CATALOGUE } from '../catalogue';

export { escapeHtml };

export interface FormInput {
	company: string;
	complaint: Record<string, any>;
	customer: { code?: string; name?: string; contact_person?: string | null; phone?: string | null } | null;
	contract: { code?: string; title?: string } | null;
	actions: Record<string, any>[];
	trail: Record<string, any>[];
	zone: string;
	departments?: string[];
}

const STATUS: Record<string, string> = {
	received: '已受理 Received',
	investigating: '调查中 Investigating',
	action: '纠正措施中 Corrective action',
	responded: '已答复 Responded',
	verifying: '顾客验证中 Customer verifying',
	closed: '已关闭 Closed',
	reopened: '重新打开 Reopened',
};
const CHANNEL: Record<string, string> = { visit: '来访', phone: '电话', mail: '邮件', hotline: '热线', letter: '信函', web: '网页表单' };
// Choice values printed by their labels (the catalogue's, both languages), never by their keys.
const CAUSE: Record<string, string> = bilingual(CATALOGUE.cp_complaints.root_cause_category);
const DISPOSITION: Record<string, string> = bilingual(CATALOGUE.cp_complaints.product_disposition);
const VERIFICATION: Record<string, string> = { confirmed: '确认 Confirmed', rejected: '不认可 Rejected' };
const ACTION_STATUS: Record<string, string> = { open: '进行中', done: '已完成', verified: '已验证', overdue: '已超期' };
const STEP: Record<string, string> = {
	create: '受理 Intake',
	investigating: '开始调查 Investigation',
	action: '原因分析完成/制定措施 Root cause & actions',
	responded: '书面答复 Written response',
	verifying: '顾客复核 Customer re-verification',
	closed: '关闭 Closed',
	reopened: '重新打开 Reopened',
};

const when = formatTime;

/** The audit entries the form prints: its steps as signatures, and the recorded corrections. */
export const FORM_TRAIL_ACTIONS = ['create', 'transition', 'verification', 'pause', 'resume', 'response_breached', 'resolution_breached', 'correction'];

/** The form as a FormDoc: rendered to HTML here and to PDF in the evidence pack. */
export function complaintFormDoc(input: FormInput): FormDoc {
	const { complaint: c, zone } = input;
	const pauses = (() => {
		try {
			const p = typeof c.pauses === 'string' ? JSON.parse(c.pauses) : c.pauses;
			return Array.isArray(p) ? p : [];
		} catch {
			return [];
		}
	})();
	const step = (t: Record<string, any>) =>
		t.action === 'correction'
			? null
			: t.action === 'create'
				? STEP.create
				: t.action === 'transition'
					? (STEP[t.to_status] ?? t.to_status)
					: t.action === 'verification'
						? '顾客验证 Verification'
						: t.action;
	const corrections = correctionsSection(input.trail, zone, (f) => fieldLabel('cp_complaints', f));
	return {
		company: input.company,
		title: { zh: '顾客信息反馈处理单', en: 'Customer Feedback Handling Form' },
		no: c.code ?? '',
		sections: [
			fields('一、顾客反馈 Feedback (CP-1)', [
				{ label: '顾客 Customer', value: `${input.customer?.code ?? ''} ${input.customer?.name ?? ''}`.trim() },
				{ label: '联系人 Contact', value: [input.customer?.contact_person, input.customer?.phone].filter(Boolean).join(' ') },
				{ label: '合同 Contract', value: input.contract ? `${input.contract.code ?? ''} ${input.contract.title ?? ''}`.trim() : '' },
				{ label: '产品 / 批号 Product / batch', value: [c.product, c.batch].filter(Boolean).join(' / ') },
				{ label: '渠道 Channel', value: CHANNEL[c.channel] ? `${CHANNEL[c.channel]} ${c.channel}` : (c.channel ?? '') },
				{ label: '受理时间 Received', value: when(c.received_at, zone) },
				{ label: '状态 Status', value: STATUS[c.status] ?? c.status ?? '' },
				{ label: '摘要 Summary', value: c.summary ?? '' },
				{ label: '顾客反馈内容 Customer feedback', value: c.description, text: true },
			]),
			fields('二、调查与原因分析 Investigation (CP-2)', [
				{ label: '内部追溯 Internal traceability', value: c.traceability, text: true },
				{ label: '原因类别 Root cause category', value: c.root_cause_category ? (CAUSE[c.root_cause_category] ?? c.root_cause_category) : '' },
				{ label: '原因分析 Root cause', value: c.root_cause, text: true },
				{ label: '责任部门 Responsible department', value: departmentLabel(c.responsible_department) },
				{
					label: '已交付产品处置 Product disposition (CP-6)',
					value: c.product_disposition ? (DISPOSITION[c.product_disposition] ?? c.product_disposition) : '',
				},
			]),
			table(
				'三、纠正措施 Corrective actions (CP-3)',
				['#', '措施 Action', '负责人 Owner', '部门 Dept.', '期限 Due', '状态 Status', '完成 Done'],
				input.actions.map((a, i) => [
					i + 1,
					a.title,
					person(a),
					departmentLabel(a.department),
					when(a.due_at, zone),
					ACTION_STATUS[a.status] ?? a.status,
					when(a.done_at, zone),
				]),
			),
			fields('四、书面答复 Written response (CP-4)', [
				{ label: '答复期限 Response due', value: when(c.response_due_at, zone) },
				{ label: '答复时间 Responded', value: when(c.responded_at, zone) },
				{ label: '答复超期 Response late', value: yes(c.response_breached) ? '是 Yes' : '否 No' },
				{ label: '处理完成期限 Resolution due', value: when(c.resolution_due_at, zone) },
				{
					label: '计时暂停 Clock pauses',
					value: pauses.map((p: any) => `${when(p.from, zone)} – ${p.to ? when(p.to, zone) : '…'} ${p.reason ?? ''}`).join('\n'),
				},
				{ label: '答复内容 Response', value: c.response_content, text: true },
			]),
			fields('五、顾客复核 Customer verification (CP-5)', [
				{ label: '验证结果 Verification', value: c.verification ? (VERIFICATION[c.verification] ?? c.verification) : '' },
				{ label: '验证时间 Verified at', value: when(c.verified_at, zone) },
				{ label: '验证说明 Note', value: c.verification_note, text: true },
				{ label: '无法验证的原因 Why no verification', value: c.no_verification_reason, text: true },
				{ label: '无需纠正措施的原因 Why no corrective action', value: c.no_action_reason, text: true },
			]),
			...(corrections ? [corrections] : []),
		],
		signatures: signaturesFrom(input.trail, zone, step),
	};
}

export function renderComplaintForm(input: FormInput): string {
	return renderHtml(complaintFormDoc(input));
}
