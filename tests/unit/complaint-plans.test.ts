// The plans of a staff write (CP-2..CP-6, CP-3, CC-4, CR-15/CR-16), with worked examples: what a
// status change of the feedback handling form, of a corrective action, of a survey and of a sample
// writes, decided in the domain without Directus.
import { describe, expect, it } from 'vitest';
import {
	complaintUpdateNeedsActions,
	planActionUpdate,
	planComplaintUpdate,
	type ComplaintUpdateFacts,
} from '../../extensions/customer-processes/src/domain/complaints/lifecycle';
import { DEFAULT_SURVEY_TEMPLATE, planCommunicationUpdate, planSurveyEntry } from '../../extensions/customer-processes/src/domain/communication/communication';
import { planSampleTransition } from '../../extensions/customer-processes/src/domain/contract-review/samples';
import { POLICIES, writeRefusal } from '../../extensions/customer-processes/src/domain/policy';
import { catchError } from './catch-error';

const H = 3600e3;
// Monday 2 March 2026, 09:00 Shanghai: the complaint is received; the 72-hour response is due Thursday 09:00.
const RECEIVED = new Date('2026-03-02T01:00:00.000Z');
const DUE = new Date(RECEIVED.getTime() + 72 * H);

const facts = (now: Date, over: Partial<ComplaintUpdateFacts> = {}): ComplaintUpdateFacts => ({
	now,
	actor: { departments: ['sales'], privileged: false },
	actions: [{ status: 'done' }],
	departments: ['sales', 'quality', 'production'],
	zone: 'Asia/Shanghai',
	deadlines: { response_hours: 72, response_mode: 'calendar_hours' },
	...over,
});

const inAction = {
	id: 'k1',
	status: 'action',
	customer: 'c1',
	summary: '纸箱受潮塌箱',
	received_at: RECEIVED.toISOString(),
	response_due_at: DUE.toISOString(),
	resolution_due_at: new Date(RECEIVED.getTime() + 30 * 24 * H).toISOString(),
	responded_at: null,
	response_breached: 0,
	resolution_breached: 0,
	root_cause: '粘合温度低',
	root_cause_category: 'process',
	responsible_department: 'production',
	verification: null,
};

describe('CP-4 planComplaintUpdate: the written response against the 72-hour clock', () => {
	it('CP-4 answered Wednesday 15:00, 54 hours after receipt: responded_at is stamped, not breached', () => {
		const wednesday = new Date(RECEIVED.getTime() + 54 * H);
		const plan = planComplaintUpdate(inAction, { status: 'responded', response_content: '已调整粘合温度' }, facts(wednesday));
		expect(plan.write.responded_at).toBe('2026-03-04T07:00:00.000Z');
		expect(plan.write.response_breached).toBe(false);
		expect(plan.transition).toMatchObject({ from: 'action', to: 'responded' });
		expect(plan.transition!.change).toMatchObject({ status: 'responded', responded_at: '2026-03-04T07:00:00.000Z', response_content: '已调整粘合温度' });
		expect(plan.audit).toEqual([{ action: 'transition', from_status: 'action', to_status: 'responded' }]);
	});

	it('CP-4 answered Friday 09:00, 96 hours after receipt: the breach is recorded with the response', () => {
		const friday = new Date(RECEIVED.getTime() + 96 * H);
		const plan = planComplaintUpdate(inAction, { status: 'responded', response_content: '迟到的答复' }, facts(friday));
		expect(plan.write.response_breached).toBe(true);
	});

	it('CP-4 a response without its text is refused; Production may not respond', () => {
		expect(catchError(() => planComplaintUpdate(inAction, { status: 'responded' }, facts(RECEIVED))).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		const production = facts(RECEIVED, { actor: { departments: ['production'], privileged: false } });
		expect(catchError(() => planComplaintUpdate(inAction, { status: 'responded', response_content: 'x' }, production)).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
	});
});

describe('CP-5 planComplaintUpdate: the customer verification', () => {
	const verifying = { ...inAction, status: 'verifying', responded_at: new Date(RECEIVED.getTime() + 50 * H).toISOString(), response_content: '已整改' };
	const at = new Date(RECEIVED.getTime() + 80 * H);

	it('CP-5 a rejected verification without a status reopens the complaint, stamped with the time of the answer', () => {
		const plan = planComplaintUpdate(verifying, { verification: 'rejected', verification_note: '仍有塌箱' }, facts(at));
		expect(plan.transition).toMatchObject({ from: 'verifying', to: 'reopened' });
		expect(plan.write).toMatchObject({ status: 'reopened', verification: 'rejected', verified_at: at.toISOString(), verification_note: '仍有塌箱' });
	});

	it('CP-5 a new verification round forgets the earlier rejection', () => {
		const responded = { ...verifying, status: 'responded', verification: 'rejected', verified_at: at.toISOString() };
		const plan = planComplaintUpdate(responded, { status: 'verifying' }, facts(at));
		expect(plan.write).toMatchObject({ status: 'verifying', verification: null, verified_at: null });
	});

	it('CP-5 a confirmation closes when nothing is missing, recording the resolution clock; a verification outside verifying is refused', () => {
		const plan = planComplaintUpdate({ ...verifying, product_disposition: 'none' }, { verification: 'confirmed', status: 'closed' }, facts(at));
		expect(plan.write).toMatchObject({ status: 'closed', resolution_breached: false });
		expect(catchError(() => planComplaintUpdate(inAction, { verification: 'confirmed' }, facts(at))).field).toBe('verification');
		// CP-3: an action still open blocks the close.
		const open = facts(at, { actions: [{ status: 'open' }] });
		expect(
			catchError(() => planComplaintUpdate({ ...verifying, product_disposition: 'none' }, { verification: 'confirmed', status: 'closed' }, open)).code,
		).toBe('CP_COMPLAINT_NOT_CLOSABLE');
	});

	it('CP-1 a change of the complaint text asks for the duplicate check of its new identity', () => {
		const plan = planComplaintUpdate({ ...inAction, status: 'received' }, { summary: '纸箱印刷错位' }, facts(RECEIVED));
		expect(plan.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
		expect(plan.write.dedupe_key).toBe(plan.dedupeKey);
		expect(planComplaintUpdate({ ...inAction, status: 'received' }, { channel: 'mail' }, facts(RECEIVED)).dedupeKey).toBeNull();
	});
});

describe('CP-3 planActionUpdate', () => {
	const now = new Date('2026-03-05T02:00:00.000Z');
	const actor = { departments: ['production'], privileged: false, system: false };
	const plan = (row: Record<string, unknown>, payload: Record<string, unknown>, a = actor) =>
		planActionUpdate(row, payload, { now, actor: a, departments: ['production', 'quality'] });
	const open = { id: 'a1', status: 'open', due_at: '2026-03-06T02:00:00.000Z', reminded_at: '2026-03-05T01:00:00.000Z', escalated_at: null };

	it('CP-3 done stamps done_at; back to open clears it; Quality verifies', () => {
		expect(plan(open, { status: 'done' }).write.done_at).toBe(now.toISOString());
		expect(plan({ ...open, status: 'done' }, { status: 'open' }).write.done_at).toBeNull();
		expect(catchError(() => plan({ ...open, status: 'done' }, { status: 'verified' })).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(plan({ ...open, status: 'done' }, { status: 'verified' }, { departments: ['quality'], privileged: false, system: false }).transition).toMatchObject({
			from: 'done',
			to: 'verified',
		});
		expect(catchError(() => plan(open, { status: 'verified' })).code).toBe('CP_ILLEGAL_TRANSITION');
		expect(catchError(() => plan(open, { status: 'overdue' })).code).toBe('CP_SYSTEM_ONLY');
	});

	it('CP-3 a new deadline restarts the reminder and escalation, and reopens an overdue action', () => {
		const overdue = { ...open, status: 'overdue', escalated_at: '2026-03-06T03:00:00.000Z' };
		const p = plan(overdue, { due_at: '2026-03-10T02:00:00.000Z' });
		expect(p.write).toMatchObject({ due_at: '2026-03-10T02:00:00.000Z', reminded_at: null, escalated_at: null, status: 'open' });
		expect(p.transition).toMatchObject({ from: 'overdue', to: 'open' });
		expect(catchError(() => plan(open, { due_at: '2026-03-01T00:00:00.000Z' })).message).toMatch(/in the past/);
	});
});

describe('CC-4 planSurveyEntry', () => {
	const now = new Date('2026-03-05T02:00:00.000Z');
	const due = { id: 's1', type: 'survey', customer: 'c1', survey_status: 'due', score: null };
	const f = { now, template: DEFAULT_SURVEY_TEMPLATE };

	it('CC-4 ratings 5, 4, 4, 5, 3 on the five 1-5 questions score 84 and answer the survey, dated today', () => {
		const e = planSurveyEntry(due, { answers: { quality: 5, delivery: 4, service: 4, communication: 5, price: 3 } }, f);
		expect(e.write).toMatchObject({ score: 84, survey_status: 'answered', occurred_at: now.toISOString() });
		expect(e.audit).toEqual([{ action: 'transition', from_status: 'due', to_status: 'answered', data: { via: 'staff' } }]);
	});

	it('CC-4 a partly answered questionnaire without a score is refused; a paper total is kept', () => {
		expect(catchError(() => planSurveyEntry(due, { answers: { quality: 5 } }, f)).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(planSurveyEntry(due, { answers: { quality: 5 }, score: 86.5 }, f).write.score).toBe(86.5);
	});

	it('CC-1 a contact log entry takes no questionnaire; a survey keeps its customer', () => {
		expect(catchError(() => planCommunicationUpdate({ ...due, type: 'visit', survey_status: null }, { score: 90 }, f)).field).toBe('score');
		expect(catchError(() => planCommunicationUpdate(due, { customer: 'c2' }, f)).field).toBe('customer');
	});
});

describe('CR-15 CR-16 planSampleTransition', () => {
	it('CR-16 the GM approval is stamped with the approver; CR-15 a remade sample is inspected again', () => {
		const tooling = {
			id: 't1',
			kind: 'tooling',
			status: 'in_progress',
			tooling_estimate: 36000,
			cost_sharing_plan: '顾客承担 50%',
			customer_consent_at: '2026-03-01',
		};
		const gm = { userId: 'u-gm', departments: ['gm'], privileged: false };
		expect(planSampleTransition(tooling, { status: 'approved' }, gm)).toEqual({
			stamps: { approved_by: 'u-gm' },
			audit: { action: 'gm_approve', from_status: 'in_progress', to_status: 'approved' },
		});
		const failed = { id: 's1', kind: 'sample', status: 'inspected', inspection_result: 'fail', parameters: 'K=A' };
		expect(planSampleTransition(failed, { status: 'in_progress' }, { userId: 'u', departments: ['sales'], privileged: false })!.stamps).toEqual({
			inspection_result: null,
		});
		expect(planSampleTransition(failed, { parameters: 'K=B' }, gm)).toBeNull();
	});
});

describe('X-5 the area policies, worked examples', () => {
	const w = (departments: string[], isAdmin = false) => ({ departments, isAdmin, system: false });
	const refusal = (collection: string, row: Record<string, unknown> | null, payload: Record<string, unknown>, writer = w(['sales']), records = 1) =>
		writeRefusal(POLICIES[collection]!, { row, payload, writer, records })?.code ?? null;

	it('CC-4 Doc 2 4.6.3: Sales enters a due survey’s score; the analysis and follow-up go on after the answer', () => {
		const due = { type: 'survey', survey_status: 'due', score: null };
		expect(refusal('cp_communications', due, { score: 90 }, w(['quality']))).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(refusal('cp_communications', due, { score: 90 })).toBeNull();
		const answered = { ...due, survey_status: 'answered', score: 90 };
		expect(refusal('cp_communications', answered, { findings: '交货及时性得分偏低', follow_up: '与计划部核对交期' }, w(['quality']))).toBeNull();
		expect(refusal('cp_communications', answered, { score: 60 }, w([], true))).toBe('CP_RECORD_FROZEN');
		expect(refusal('cp_communications', { type: 'visit', survey_status: null }, { findings: '运行正常' }, w(['production']))).toBeNull();
	});

	it('CP-5 X-5 a closed complaint only reopens (the customer comes back); CP-3 a verified action is evidence; a new deadline goes one at a time', () => {
		const closed = { status: 'closed', response_content: '已整改' };
		expect(refusal('cp_complaints', closed, { status: 'reopened' }, w(['quality']))).toBeNull();
		expect(refusal('cp_complaints', closed, { status: 'reopened', response_content: '改写' }, w(['quality']))).toBe('CP_RECORD_FROZEN');
		expect(refusal('cp_actions', { status: 'verified' }, { title: '改写' }, w(['quality']))).toBe('CP_RECORD_FROZEN');
		expect(refusal('cp_actions', { status: 'open' }, { due_at: '2026-04-01T00:00:00Z' }, w(['quality']), 2)).toBe('CP_ONE_AT_A_TIME');
		expect(refusal('cp_actions', { status: 'open' }, { department: 'quality' }, w(['quality']), 2)).toBeNull();
	});

	it('CR-15 the inspection is Quality’s, written while the sample is made; CR-16 the estimate is fixed once Sales checked it', () => {
		const making = { kind: 'sample', status: 'in_progress' };
		expect(refusal('cp_samples', making, { inspection_result: 'pass' }, w(['sales']))).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(refusal('cp_samples', making, { inspection_result: 'pass' }, w(['quality']))).toBeNull();
		expect(refusal('cp_samples', { ...making, status: 'sent' }, { inspection_report: '改写' }, w(['quality']))).toBe('CP_CHANGE_NOT_ALLOWED');
		expect(refusal('cp_samples', { kind: 'tooling', status: 'in_progress', tooling_estimate: 36000 }, { tooling_estimate: 12000 })).toBe(
			'CP_CHANGE_NOT_ALLOWED',
		);
	});
});

describe('complaintUpdateNeedsActions (issue 14: the actions are read only for closing)', () => {
	it('follows where the write moves the complaint', () => {
		expect(complaintUpdateNeedsActions({ status: 'received' }, { status: 'investigating' })).toBe(false);
		expect(complaintUpdateNeedsActions({ status: 'responded' }, { status: 'closed' })).toBe(true);
		expect(complaintUpdateNeedsActions({ status: 'verifying' }, { verification: 'confirmed', status: 'closed' })).toBe(true);
		// CP-5: a rejection without a status reopens, which needs no actions.
		expect(complaintUpdateNeedsActions({ status: 'verifying' }, { verification: 'rejected' })).toBe(false);
		expect(complaintUpdateNeedsActions({ status: 'action' }, { summary: 'x' })).toBe(false);
	});
});
