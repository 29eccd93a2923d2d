/**
 * The next steps a record offers on its page (issue #12): read from the collections' own
 * transition tables, never restated. Pure: the adapter (services/steps.ts) loads the record,
 * asks this file which steps exist in its status, then checks each one by a rolled-back trial
 * of the very write the step makes, so the policies and guards decide what is allowed and the
 * refusal says what is missing. A step added to a table appears on the page by itself.
 */
import { CATALOGUE, bilingual, type Choice } from './catalogue';
import { CONTRACT_TRANSITIONS } from './contract-review/contract-status';
import { DISCREPANCY_TRANSITIONS } from './contract-review/review';
import { SAMPLE_TRANSITIONS, TOOLING_TRANSITIONS } from './contract-review/samples';
import { CHANGE_TRANSITIONS } from './contract-review/changes';
import { COMPLAINT_TRANSITIONS } from './complaints/complaint-status';
import { ACTION_TRANSITIONS } from './complaints/lifecycle';
import { PAUSE_REASONS, PAUSE_REASON_KEYS } from './complaints/pauses';
import { PROPERTY_EVENT_TYPES, assertEventAllowed, type PropertyStatus } from './property/property-status';
import { PROBLEM_TYPES, DISPOSITION_DECISIONS, type DispositionDecision } from './property/events';
import { FIELD_LABELS } from './policy/labels.generated';

export type Row = Record<string, unknown>;
export interface Text {
	en: string;
	zh: string;
}

/** A value the user gives when taking the step (an opinion, a reason, a checklist). */
export interface StepInput {
	/** Where the value goes in the request body; a dotted name goes into an object (details.decision). */
	name: string;
	type: 'text' | 'string' | 'choice' | 'checklist' | 'number' | 'datetime' | 'boolean';
	label: Text;
	required?: boolean;
	choices?: { value: string; text: string }[];
	/** For a checklist: the aspects with their labels, as stored on the record. */
	value?: unknown;
}

/** What the panel sends to take the step: an ordinary Directus or /cp request. */
export interface StepRequest {
	method: 'PATCH' | 'POST';
	path: string;
	body: Row;
}

export interface StepCandidate {
	key: string;
	label: Text;
	/** The record the step writes (the page's own, or a line or notice of it). */
	target: { collection: string; id: string; title?: string };
	request: StepRequest;
	inputs?: StepInput[];
	/** The record's edits on the page go with the write (fields the user filled in before the step). */
	withEdits?: boolean;
	/** Placeholder values for the trial when the user has not typed them yet. */
	probe?: Row;
}

export interface StepLink {
	key: string;
	label: Text;
	href: string;
}

type Table = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** The collections whose status moves by a plain write of the status field, with their table. */
export const STATE_MACHINES: Readonly<Record<string, { field: string; table: (row: Row) => Table }>> = {
	cp_contracts: { field: 'status', table: () => CONTRACT_TRANSITIONS },
	cp_complaints: { field: 'status', table: () => COMPLAINT_TRANSITIONS },
	cp_actions: { field: 'status', table: () => ACTION_TRANSITIONS },
	cp_discrepancies: { field: 'status', table: () => DISCREPANCY_TRANSITIONS },
	cp_changes: { field: 'status', table: () => CHANGE_TRANSITIONS },
	cp_samples: { field: 'status', table: (row) => (row.kind === 'tooling' ? TOOLING_TRANSITIONS : SAMPLE_TRANSITIONS) },
};

/** The collections that have a record page with a steps panel. */
export const STEP_COLLECTIONS = [...Object.keys(STATE_MACHINES), 'cp_review_lines', 'cp_task_notices', 'cp_property', 'cp_communications'] as const;

const choices = (list: readonly Choice[]) => list.map(([value, en, zh]) => ({ value, text: `${zh} ${en}` }));

function choiceText(collection: string, field: string, value: string): Text {
	const list = (CATALOGUE as Record<string, Record<string, readonly Choice[]>>)[collection]?.[field] ?? [];
	const c = list.find((x) => x[0] === value);
	return { en: c?.[1] ?? value, zh: c?.[2] ?? value };
}

const label = (collection: string, field: string): Text => {
	const l = FIELD_LABELS[collection]?.[field];
	return { en: l?.[0] ?? field, zh: l?.[1] ?? field };
};

const itemPath = (collection: string, id: string) => `/items/${collection}/${encodeURIComponent(id)}`;

/** Status moves of a record, one step per target its table allows from the current status. */
export function statusSteps(collection: string, row: Row): StepCandidate[] {
	const machine = STATE_MACHINES[collection];
	if (!machine) return [];
	const from = String(row[machine.field] ?? '');
	const targets = Object.keys(machine.table(row)[from] ?? {});
	const id = String(row.id);
	return targets.map((to) => {
		const name = choiceText(collection, machine.field, to);
		return {
			key: `status:${to}`,
			label: { en: `→ ${name.en}`, zh: `→ ${name.zh}` },
			target: { collection, id },
			request: { method: 'PATCH', path: itemPath(collection, id), body: { [machine.field]: to } },
			withEdits: true,
		};
	});
}

/** CR-3/CR-4: sign or reject a pending review line, with the opinion and the line's own checklist. */
export function reviewLineSteps(line: Row, title?: string): StepCandidate[] {
	if (String(line.decision ?? 'pending') !== 'pending') return [];
	const id = String(line.id);
	const dept = choiceText('cp_review_lines', 'department', String(line.department));
	const checklist = parseList(line.checklist);
	const inputs = (withChecklist: boolean): StepInput[] => [
		{ name: 'opinion', type: 'text', label: label('cp_review_lines', 'opinion'), required: true },
		...(withChecklist ? [{ name: 'checklist', type: 'checklist' as const, label: label('cp_review_lines', 'checklist'), value: checklist }] : []),
	];
	const step = (decision: 'approved' | 'rejected'): StepCandidate => {
		const d = choiceText('cp_review_lines', 'decision', decision);
		return {
			key: `${decision === 'approved' ? 'sign' : 'reject'}:${id}`,
			label: { en: `${dept.en}: ${d.en}`, zh: `${dept.zh}：${d.zh}` },
			target: { collection: 'cp_review_lines', id, ...(title ? { title } : {}) },
			request: { method: 'PATCH', path: itemPath('cp_review_lines', id), body: { decision } },
			inputs: inputs(decision === 'approved'),
			probe: {
				opinion: '—',
				...(decision === 'approved' && checklist.length ? { checklist: checklist.map((a: any) => ({ ...a, checked: true })) } : {}),
			},
		};
	};
	return [step('approved'), step('rejected')];
}

/** CR-6: once every line is signed and nothing is open, the sales manager signs the review conclusion. */
export function contractExtraSteps(row: Row): StepCandidate[] {
	if (String(row.status) !== 'in_review' || row.conclusion) return [];
	const id = String(row.id);
	return [
		{
			key: 'conclusion',
			label: { en: 'Sign the review conclusion', zh: '签署评审结论' },
			target: { collection: 'cp_contracts', id },
			request: { method: 'PATCH', path: itemPath('cp_contracts', id), body: {} },
			inputs: [{ name: 'conclusion', type: 'text', label: label('cp_contracts', 'conclusion'), required: true }],
			probe: { conclusion: '—' },
		},
	];
}

/** CR-13: the receiving department acknowledges its task notice, once. */
export function taskNoticeSteps(notice: Row): StepCandidate[] {
	if (notice.acknowledged_at) return [];
	const id = String(notice.id);
	const dept = choiceText('cp_task_notices', 'department', String(notice.department));
	return [
		{
			key: `acknowledge:${id}`,
			label: { en: `Acknowledge task notice (${dept.en})`, zh: `签收任务通知单（${dept.zh}）` },
			target: { collection: 'cp_task_notices', id },
			request: { method: 'PATCH', path: itemPath('cp_task_notices', id), body: { acknowledged_at: '$NOW' } },
		},
	];
}

/** CP-4: pause the clock with its reason, or run it on; CP-5: send the verification link. */
export function complaintExtraSteps(row: Row, paused: boolean): StepCandidate[] {
	const id = String(row.id);
	const base = `/cp/complaints/${encodeURIComponent(id)}`;
	const steps: StepCandidate[] = [];
	steps.push(
		paused
			? {
					key: 'resume',
					label: { en: 'Resume the clock', zh: '恢复计时' },
					target: { collection: 'cp_complaints', id },
					request: { method: 'POST', path: `${base}/resume`, body: {} },
				}
			: {
					key: 'pause',
					label: { en: 'Pause the clock', zh: '暂停计时' },
					target: { collection: 'cp_complaints', id },
					request: { method: 'POST', path: `${base}/pause`, body: {} },
					inputs: [
						{
							name: 'reason',
							type: 'choice',
							label: { en: 'Waiting for', zh: '暂停原因' },
							required: true,
							choices: PAUSE_REASON_KEYS.map((k) => ({ value: k, text: `${PAUSE_REASONS[k].zh} ${PAUSE_REASONS[k].en}` })),
						},
						{ name: 'note', type: 'text', label: { en: 'Note', zh: '说明' } },
					],
					probe: { reason: PAUSE_REASON_KEYS[0] },
				},
	);
	// CP-4: the written response to the customer by e-mail, in the thread of the customer's mails.
	if (['investigating', 'responded', 'verifying'].includes(String(row.status)))
		steps.push({
			key: 'send_response',
			label: { en: 'E-mail the written response to the customer', zh: '将书面答复邮件发送给顾客' },
			target: { collection: 'cp_complaints', id },
			request: { method: 'POST', path: `${base}/send-response`, body: {} },
			inputs: [{ name: 'to', type: 'string', label: { en: 'To (empty: the customer’s address)', zh: '收件人(留空:顾客的邮箱)' } }],
		});
	steps.push({
		key: 'verification_link',
		label: { en: 'Send the verification link to the customer', zh: '向顾客发送验证链接' },
		target: { collection: 'cp_complaints', id },
		request: { method: 'POST', path: `${base}/verification-link`, body: {} },
	});
	return steps;
}

/** CP-1: an e-mail waiting in the triage list: Sales files it for the customer picked on the page, or rejects it with the reason. */
export function triageSteps(row: Row): StepCandidate[] {
	if (row.type !== 'mail_in' || row.triage_status !== 'pending') return [];
	const id = String(row.id);
	const path = `/cp/communications/${encodeURIComponent(id)}/triage`;
	return [
		{
			key: 'triage:assign',
			label: { en: 'File as a complaint of the chosen customer', zh: '按所选顾客登记为投诉' },
			target: { collection: 'cp_communications', id },
			request: { method: 'POST', path, body: { decision: 'assign' } },
			// The customer is picked in the page's own Customer field and goes with the step.
			withEdits: true,
		},
		{
			key: 'triage:reject',
			label: { en: 'Reject (not a complaint)', zh: '拒绝(不是投诉)' },
			target: { collection: 'cp_communications', id },
			request: { method: 'POST', path, body: { decision: 'reject' } },
			inputs: [{ name: 'note', type: 'text', label: { en: 'Reason', zh: '原因' }, required: true }],
			probe: { note: '—' },
		},
	];
}

/** What the problem and the customer's decision are called on the screens. */
const PROBLEM_NAMES: Readonly<Record<(typeof PROBLEM_TYPES)[number], Text>> = {
	damage: { en: 'Damaged', zh: '损坏' },
	loss: { en: 'Lost', zh: '丢失' },
	unsuitable: { en: 'Unsuitable for use', zh: '不适用' },
	quantity_mismatch: { en: 'Quantity does not match', zh: '数量不符' },
	nonconforming_material: { en: 'Nonconforming material', zh: '材料不合格' },
};
const DISPOSITION_NAMES: Readonly<Record<DispositionDecision, Text>> = {
	continue_use: { en: 'Continue to use', zh: '继续使用' },
	store: { en: 'Keep in store', zh: '继续保管' },
	return: { en: 'Return to the customer', zh: '退还顾客' },
	dispose: { en: 'Dispose of it', zh: '报废处置' },
};

/** PR-3..PR-8: the events the item's status allows (property-status.ts#assertEventAllowed), as one form each. */
export function propertySteps(row: Row): StepCandidate[] {
	const id = String(row.id);
	const status = String(row.status) as PropertyStatus;
	const ev = (f: string) => label('cp_property_events', f);
	return PROPERTY_EVENT_TYPES.filter((type) => {
		try {
			assertEventAllowed(status, type);
			return true;
		} catch {
			return false;
		}
	}).map((type) => {
		const name = choiceText('cp_property_events', 'type', type);
		const inputs: StepInput[] = [];
		if (['receipt', 'inspection', 'check', 'movement', 'use', 'return', 'problem'].includes(type))
			inputs.push({ name: 'quantity', type: 'number', label: ev('quantity') });
		if (['inspection', 'check'].includes(type))
			inputs.push({ name: 'result', type: 'choice', label: ev('result'), required: true, choices: choices(CATALOGUE.cp_property_events.result) });
		if (type === 'problem')
			inputs.push({
				name: 'details.problem_type',
				type: 'choice',
				label: { en: 'Problem', zh: '问题类型' },
				required: true,
				choices: PROBLEM_TYPES.map((p) => ({ value: p, text: `${PROBLEM_NAMES[p].zh} ${PROBLEM_NAMES[p].en}` })),
			});
		if (type === 'disposition')
			inputs.push({
				name: 'details.decision',
				type: 'choice',
				label: { en: "Customer's decision", zh: '顾客处置意见' },
				required: true,
				choices: (Object.keys(DISPOSITION_DECISIONS) as DispositionDecision[]).map((d) => ({
					value: d,
					text: `${DISPOSITION_NAMES[d].zh} ${DISPOSITION_NAMES[d].en}`,
				})),
			});
		if (['receipt', 'inspection', 'movement', 'use', 'return', 'disposition', 'problem'].includes(type))
			inputs.push({ name: 'to_location', type: 'string', label: ev('to_location') });
		if (type === 'return')
			inputs.push({
				name: 'details.customer_acknowledged',
				type: 'boolean',
				label: { en: 'The customer acknowledged the return or disposal', zh: '顾客已签收归还/处置' },
				required: true,
			});
		inputs.push({ name: 'note', type: 'text', label: ev('note'), required: type === 'problem' });
		return {
			key: `event:${type}`,
			label: { en: `Record: ${name.en}`, zh: `记录：${name.zh}` },
			target: { collection: 'cp_property', id },
			request: { method: 'POST', path: `/cp/property/${encodeURIComponent(id)}/events`, body: { type } },
			inputs,
			// The return is tried as the user will send it: with the customer's acknowledgement ticked.
			...(type === 'return' ? { probe: { 'details.customer_acknowledged': true } } : {}),
		};
	});
}

/** The printable forms of a record: buttons that open the bundle's pages for it. */
export function formLinks(collection: string, row: Row): StepLink[] {
	const id = encodeURIComponent(String(row.id));
	const l = (key: string, en: string, zh: string, href: string): StepLink => ({ key, label: { en, zh }, href });
	switch (collection) {
		case 'cp_contracts':
			return [
				l('review-form', 'Print the review form', '打印评审单', `/cp/contracts/${id}/review-form`),
				l('order-confirmation', 'Print the order confirmation', '打印订单确认记录', `/cp/contracts/${id}/order-confirmation`),
				l('task-notice', 'Print the task notice', '打印任务通知单', `/cp/contracts/${id}/task-notice`),
				l('outbound-slip', 'Print the outbound slip', '打印出库单', `/cp/contracts/${id}/outbound-slip`),
			];
		case 'cp_discrepancies':
			return [l('form', 'Print the discrepancy form', '打印不一致问题处理单', `/cp/discrepancies/${id}/form`)];
		case 'cp_changes':
			return row.kind === 'design'
				? [l('design-request', 'Print the design change request', '打印设计变更申请单', `/cp/changes/${id}/design-request`)]
				: [l('notice', 'Print the change notice', '打印变更通知', `/cp/changes/${id}/notice`)];
		case 'cp_samples':
			return [
				l('request-form', 'Print the sample request', '打印样箱试制委托书', `/cp/samples/${id}/request-form`),
				l('inspection-report', 'Print the sample report', '打印样品检验报告', `/cp/samples/${id}/inspection-report`),
			];
		case 'cp_complaints':
			return [l('form', 'Print the feedback handling form', '打印顾客反馈处理单', `/cp/complaints/${id}/form`)];
		case 'cp_property':
			return [
				l('label', 'Print the ownership label', '打印所有权标识', `/cp/property/${id}/label`),
				l('problem-report', 'Print the problem report', '打印问题报告单', `/cp/property/${id}/problem-report`),
			];
		case 'cp_task_notices':
			return [l('task-notice', 'Print the task notice', '打印任务通知单', `/cp/contracts/${encodeURIComponent(String(row.contract))}/task-notice`)];
		default:
			return [];
	}
}

function parseList(v: unknown): unknown[] {
	if (Array.isArray(v)) return v;
	if (typeof v === 'string') {
		try {
			const p = JSON.parse(v);
			return Array.isArray(p) ? p : [];
		} catch {
			return [];
		}
	}
	return [];
}

export { bilingual };
