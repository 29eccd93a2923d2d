// The plans of a new complaint (CP-1), a clock pause and resume (CP-4), a new corrective action
// (CP-3) and a new survey, its link and the customer's answer (CC-4), with worked examples: what
// each request writes or why it is refused, decided in the domain without Directus.
import { describe, expect, it } from 'vitest';
import {
	intakeDedupeKey,
	planActionCreation,
	planIntake,
	type ActionCreationFacts,
	type IntakeFacts,
} from '../../extensions/customer-processes/src/domain/complaints/lifecycle';
import { CLOCK_PAUSE_DEPARTMENTS, planPause, planResume, type ClockFacts } from '../../extensions/customer-processes/src/domain/complaints/pauses';
import {
	DEFAULT_SURVEY_TEMPLATE,
	planSurveyAnswer,
	planSurveyCreation,
	planSurveyLink,
	SURVEY_LINK_DEPARTMENTS,
	surveyCreationKey,
	type CommunicationCreationFacts,
} from '../../extensions/customer-processes/src/domain/communication/communication';
import { catchError } from './catch-error';

// Monday 2 March 2026, 09:00 Shanghai (01:00 UTC): the complaint is received.
const RECEIVED = new Date('2026-03-02T01:00:00.000Z');
const AT = (iso: string) => new Date(iso);
// 72 calendar hours to respond, 30 calendar days to resolve.
const DEADLINES = { response_hours: 72, response_mode: 'calendar_hours', resolution_days: 30, calendar: { zone: 'Asia/Shanghai' } };

// ------------------------------------------------------------------ CP-4 clock pauses

const open = {
	id: 'k1',
	status: 'investigating',
	received_at: RECEIVED.toISOString(),
	responded_at: null,
	response_due_at: '2026-03-05T01:00:00.000Z',
	resolution_due_at: '2026-04-01T01:00:00.000Z',
	pauses: null,
};
const clockFacts = (now: Date, departments: string[] = ['sales'], privileged = false): ClockFacts => ({
	now,
	actor: { userId: 'u-sales', departments, privileged },
	deadlines: DEADLINES,
});

describe('CP-4 pausing and resuming the complaint clock', () => {
	it('CP-4 paused Monday 10:00 and resumed 13:00 (3 hours): the 72-hour response moves from Thursday 09:00 to 12:00, the resolution by 3 hours too', () => {
		const pause = planPause(open, { id: 'k1', reason: '等待顾客提供照片' }, clockFacts(AT('2026-03-02T02:00:00Z')));
		expect(pause.paused).toBe(true);
		// CP-4: while the clock waits, the working target counts the pause at its maximum (120 h): Thursday 09:00 + 5 days.
		expect(pause.update.response_due_at?.toISOString()).toBe('2026-03-10T01:00:00.000Z');
		expect(pause.audit).toEqual({ action: 'pause', data: { reason: 'customer_photos' } });
		expect(pause.update.pauses).toEqual([{ from: '2026-03-02T02:00:00.000Z', to: null, reason: 'customer_photos', by: 'u-sales' }]);

		const paused = { ...open, pauses: JSON.stringify(pause.update.pauses) };
		const resume = planResume(paused, { id: 'k1' }, clockFacts(AT('2026-03-02T05:00:00Z'), ['quality']));
		expect(resume.paused).toBe(false);
		expect(resume.update.response_due_at?.toISOString()).toBe('2026-03-05T04:00:00.000Z');
		expect(resume.responseDueAt?.toISOString()).toBe('2026-03-05T04:00:00.000Z');
		expect(resume.update.resolution_due_at?.toISOString()).toBe('2026-04-01T04:00:00.000Z');
		expect(resume.audit).toEqual({ action: 'resume', data: null });
		expect(resume.from).toBe('investigating');
	});

	it('CP-4 a pause on a closed complaint is refused (nothing left to wait for)', () => {
		const e = catchError(() => planPause({ ...open, status: 'closed' }, { id: 'k1', reason: 'x' }, clockFacts(AT('2026-03-02T02:00:00Z'))));
		expect([e.code, e.field]).toEqual(['CP_ACTION_NOT_ALLOWED', 'status']);
		expect(catchError(() => planResume({ ...open, status: 'closed' }, { id: 'k1' }, clockFacts(AT('2026-03-02T02:00:00Z')))).code).toBe(
			'CP_ACTION_NOT_ALLOWED',
		);
	});

	it('CP-4 Sales and Quality pause the clock, the warehouse may not; an unknown complaint is not found', () => {
		expect(CLOCK_PAUSE_DEPARTMENTS).toEqual(['quality', 'sales']);
		const now = AT('2026-03-02T02:00:00Z');
		expect(catchError(() => planPause(open, { id: 'k1', reason: 'customer_photos' }, clockFacts(now, ['warehouse']))).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(planPause(open, { id: 'k1', reason: 'customer_photos' }, clockFacts(now, [], true)).paused).toBe(true);
		const missing = catchError(() => planPause(null, { id: 'nope', reason: 'customer_photos' }, clockFacts(now)));
		expect([missing.code, missing.status, missing.field]).toEqual(['CP_INVALID_VALUE', 404, 'id']);
	});

	it('CP-4 a pause needs a reason; a second pause and a resume of a running clock are refused', () => {
		const now = AT('2026-03-02T02:00:00Z');
		expect(catchError(() => planPause(open, { id: 'k1' }, clockFacts(now))).field).toBe('reason');
		const paused = { ...open, pauses: [{ from: now.toISOString(), to: null, reason: 'x' }] };
		expect(catchError(() => planPause(paused, { id: 'k1', reason: 'y' }, clockFacts(now))).code).toBe('CP_CLOCK_ALREADY_PAUSED');
		expect(catchError(() => planResume(open, { id: 'k1' }, clockFacts(now))).code).toBe('CP_CLOCK_NOT_PAUSED');
	});

	it('CP-4 once answered, the response deadline is history: a pause moves only the resolution deadline', () => {
		const answered = { ...open, status: 'responded', responded_at: '2026-03-03T01:00:00.000Z' };
		const pause = planPause(answered, { id: 'k1', reason: '等待第三方检测报告' }, clockFacts(AT('2026-03-04T01:00:00Z')));
		expect(Object.hasOwn(pause.update, 'response_due_at')).toBe(false);
		expect(pause.responseDueAt?.toISOString()).toBe('2026-03-05T01:00:00.000Z');
	});
});

// ------------------------------------------------------------------ CP-1 intake

const NOW = AT('2026-03-02T03:00:00Z');
const intakeFacts = (over: Partial<IntakeFacts> = {}): IntakeFacts => ({
	now: NOW,
	departments: ['sales', 'quality', 'production'],
	zone: 'Asia/Shanghai',
	deadlines: DEADLINES,
	customerExists: true,
	contract: null,
	duplicate: null,
	...over,
});
const complaint = { customer: 'c1', channel: 'phone', summary: '纸箱受潮塌箱', product: '纸箱', batch: 'B-7', received_at: RECEIVED.toISOString() };

describe('CP-1 intake of a customer complaint', () => {
	it("CP-1 received Monday 09:00 Shanghai: starts 'received', response due Thursday 09:00, resolution in 30 days, numbered by the system", () => {
		const plan = planIntake(complaint, intakeFacts());
		expect(plan.write.status).toBe('received');
		expect(plan.write.response_due_at).toBe('2026-03-05T01:00:00.000Z');
		expect(plan.write.resolution_due_at).toBe('2026-04-01T01:00:00.000Z');
		expect([plan.write.response_breached, plan.write.resolution_breached]).toEqual([false, false]);
		expect(plan.numberCode).toBe(true);
		expect(planIntake({ ...complaint, code: 'KF-2026-0100' }, intakeFacts()).numberCode).toBe(false);
		// The adapter looks the duplicate up under the same key the plan stores.
		expect(intakeDedupeKey(complaint, { now: NOW, zone: 'Asia/Shanghai' })).toBe(plan.dedupeKey);
		expect(plan.write.dedupe_key).toBe(plan.dedupeKey);
	});

	it('CP-1 an intake without summary is refused naming the field summary', () => {
		const { summary: _, ...noSummary } = complaint;
		const e = catchError(() => planIntake(noSummary, intakeFacts()));
		expect([e.code, e.field]).toEqual(['CP_REQUIRED_FIELDS_MISSING', 'summary']);
		expect(catchError(() => planIntake({ ...complaint, summary: '   ' }, intakeFacts())).field).toBe('summary');
	});

	it("CP-1 a complaint starts as 'received', without the customer's verification, with a receipt time, of an existing customer", () => {
		expect(catchError(() => planIntake({ ...complaint, status: 'closed' }, intakeFacts())).field).toBe('status');
		expect(catchError(() => planIntake({ ...complaint, verification: 'confirmed' }, intakeFacts())).field).toBe('verification');
		const { received_at: _, ...noTime } = complaint;
		const e = catchError(() => planIntake(noTime, intakeFacts()));
		expect([e.code, e.field]).toEqual(['CP_REQUIRED_FIELDS_MISSING', 'received_at']);
		expect(intakeDedupeKey(noTime, { now: NOW, zone: 'Asia/Shanghai' })).toBeNull();
		// Received tomorrow is a typing error.
		expect(catchError(() => planIntake({ ...complaint, received_at: '2026-03-03T03:00:00Z' }, intakeFacts())).field).toBe('received_at');
		expect(catchError(() => planIntake(complaint, intakeFacts({ customerExists: false }))).field).toBe('customer');
		expect(catchError(() => planIntake({ ...complaint, customer: { name: 'new' } }, intakeFacts())).code).toBe('CP_INVALID_VALUE');
		const other = catchError(() => planIntake({ ...complaint, contract: 'k9' }, intakeFacts({ contract: { customer: 'c2' } })));
		expect([other.code, other.field]).toEqual(['CP_INVALID_VALUE', 'contract']);
	});

	it('CP-1 the same complaint recorded again the same day (phone, then mail) is refused, naming the first one', () => {
		const e = catchError(() => planIntake({ ...complaint, channel: 'mail' }, intakeFacts({ duplicate: { id: 'k1', code: 'KF-2026-0001' } })));
		expect([e.code, e.field, e.status]).toEqual(['CP_DUPLICATE_COMPLAINT', 'summary', 409]);
		expect(e.details).toEqual({ existing: 'KF-2026-0001', existing_id: 'k1' });
	});
});

// ------------------------------------------------------------------ CP-3 a new corrective action

const actionFacts = (over: Partial<ActionCreationFacts> = {}): ActionCreationFacts => ({
	now: NOW,
	departments: ['sales', 'quality', 'production'],
	ownerExists: true,
	source: { id: 'k1', status: 'action', code: 'KF-2026-0001' },
	...over,
});
const action = {
	title: 'Raise the gluing temperature',
	owner: 'u-production',
	department: 'production',
	due_at: '2026-03-09T01:00:00Z',
	source_collection: 'cp_complaints',
	source_id: 'k1',
};

describe('CP-3 a new corrective action', () => {
	it("CP-3 an action from a complaint in 'action', owned and due in a week, starts 'open'", () => {
		const { write } = planActionCreation(action, actionFacts());
		expect(write.status).toBe('open');
		expect(write.due_at).toBe('2026-03-09T01:00:00.000Z');
		expect(write.source_id).toBe('k1');
	});

	it('CP-3 an action on a closed complaint is refused: reopen it first', () => {
		const e = catchError(() => planActionCreation(action, actionFacts({ source: { id: 'k1', status: 'closed', code: 'KF-2026-0001' } })));
		expect([e.code, e.field, e.status]).toEqual(['CP_ACTION_NOT_ALLOWED', 'source_id', 409]);
		expect(e.message).toContain('KF-2026-0001');
	});

	it("CP-3 what will be done, by whom and when are required; an action starts 'open'", () => {
		expect(catchError(() => planActionCreation({ ...action, title: '' }, actionFacts())).field).toBe('title');
		expect(catchError(() => planActionCreation({ ...action, status: 'done' }, actionFacts())).field).toBe('status');
		expect(catchError(() => planActionCreation({ ...action, owner: null }, actionFacts())).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(catchError(() => planActionCreation(action, actionFacts({ ownerExists: false }))).field).toBe('owner');
		expect(catchError(() => planActionCreation({ ...action, due_at: null }, actionFacts())).field).toBe('due_at');
	});

	it('CP-3 the source is one of the tracked records and exists', () => {
		const noCollection = catchError(() => planActionCreation({ ...action, source_collection: null }, actionFacts()));
		expect([noCollection.code, noCollection.field]).toEqual(['CP_INVALID_VALUE', 'source_collection']);
		expect(catchError(() => planActionCreation({ ...action, source_collection: 'directus_users' }, actionFacts())).field).toBe('source_collection');
		expect(catchError(() => planActionCreation({ ...action, source_id: null }, actionFacts())).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(catchError(() => planActionCreation(action, actionFacts({ source: null }))).field).toBe('source_id');
		// A survey's finding may lead to an action too (CC-4).
		const fromSurvey = { ...action, source_collection: 'cp_communications', source_id: 's1' };
		expect(planActionCreation(fromSurvey, actionFacts({ source: { id: 's1', status: null } })).write.status).toBe('open');
	});
});

// ------------------------------------------------------------------ CC-4 surveys

const quarterly = { now: AT('2026-07-05T02:00:00Z'), zone: 'Asia/Shanghai', cadenceMonths: 3 };
const surveyFacts = (over: Partial<CommunicationCreationFacts> = {}): CommunicationCreationFacts => ({
	...quarterly,
	template: DEFAULT_SURVEY_TEMPLATE,
	customerExists: true,
	contract: null,
	duplicate: null,
	...over,
});
const survey = (date: string) => ({ type: 'survey', customer: 'c1', channel: 'visit', occurred_at: date, summary: 'Q survey' });

describe('CC-4 one satisfaction survey per customer and period', () => {
	it('CC-4 surveys of 10 May and 20 June 2026 are the same quarter 2026-Q2, 1 July starts 2026-Q3', () => {
		const may = surveyCreationKey(survey('2026-05-10T02:00:00Z'), quarterly);
		expect(may).not.toBeNull();
		expect(surveyCreationKey(survey('2026-06-20T02:00:00Z'), quarterly)).toBe(may);
		expect(surveyCreationKey(survey('2026-07-01T02:00:00Z'), quarterly)).not.toBe(may);
		expect(planSurveyCreation(survey('2026-05-10T02:00:00Z'), surveyFacts()).write.period_key).toBe('2026-Q2');
		// A contact log entry has no period and no key.
		expect(surveyCreationKey({ ...survey('2026-05-10T02:00:00Z'), type: 'visit' }, quarterly)).toBeNull();
	});

	it('CC-4 a second survey of the same customer and quarter is refused', () => {
		const e = catchError(() => planSurveyCreation(survey('2026-06-20T02:00:00Z'), surveyFacts({ duplicate: { id: 's1' } })));
		expect([e.code, e.field, e.status]).toEqual(['CP_DUPLICATE_SURVEY', 'period_key', 409]);
		expect(e.message).toContain('2026-Q2');
	});

	it('CC-4 a survey entered with five ratings 5, 4, 4, 5, 3 is answered with score 84', () => {
		const answers = { quality: 5, delivery: 4, service: 4, communication: 5, price: 3 };
		const { write } = planSurveyCreation({ ...survey('2026-05-10T02:00:00Z'), answers }, surveyFacts());
		expect([write.score, write.survey_status]).toEqual([84, 'answered']);
	});

	it('CC-4 a survey is of an existing customer; a log entry carries no questionnaire', () => {
		expect(catchError(() => planSurveyCreation(survey('2026-05-10T02:00:00Z'), surveyFacts({ customerExists: false }))).field).toBe('customer');
		expect(catchError(() => planSurveyCreation({ ...survey('2026-05-10T02:00:00Z'), type: 'visit', score: 80 }, surveyFacts())).field).toBe('score');
	});
});

describe('CC-4 the survey link and the customer answer', () => {
	const NOW_LINK = AT('2026-06-01T00:00:00Z');
	const due = { id: 's1', type: 'survey', survey_status: 'due', period_key: '2026-Q2' };
	const sales = { now: NOW_LINK, actor: { departments: ['sales'], privileged: false } };

	it('CC-4 a link made 1 June 2026 for a due survey expires 15 June (14 days); the database keeps only its hash', () => {
		const plan = planSurveyLink(due, { id: 's1', token: 'T'.repeat(43) }, sales);
		expect(plan.expiresAt.toISOString()).toBe('2026-06-15T00:00:00.000Z');
		expect(plan.update.token_hash).toMatch(/^[0-9a-f]{64}$/);
		expect(plan.update.token_hash).not.toContain('TTT');
		expect(plan.audit).toEqual({ action: 'survey_link', data: { expires_at: '2026-06-15T00:00:00.000Z' } });
		expect(planSurveyLink(due, { id: 's1', days: '7', token: 'T'.repeat(43) }, sales).expiresAt.toISOString()).toBe('2026-06-08T00:00:00.000Z');
	});

	it('CC-4 only a due survey gets a link; Sales or Quality send it', () => {
		const answered = catchError(() => planSurveyLink({ ...due, survey_status: 'answered' }, { id: 's1', token: 't' }, sales));
		expect([answered.code, answered.field]).toEqual(['CP_ACTION_NOT_ALLOWED', 'survey_status']);
		const visit = catchError(() => planSurveyLink({ ...due, type: 'visit' }, { id: 's1', token: 't' }, sales));
		expect([visit.code, visit.status, visit.field]).toEqual(['CP_INVALID_VALUE', 404, 'id']);
		expect(SURVEY_LINK_DEPARTMENTS).toEqual(['sales', 'quality']);
		expect(
			catchError(() => planSurveyLink(due, { id: 's1', token: 't' }, { now: NOW_LINK, actor: { departments: ['warehouse'], privileged: false } })).code,
		).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(catchError(() => planSurveyLink(due, { id: 's1', days: 120, token: 't' }, sales)).field).toBe('days');
	});

	it('CC-4 the customer answers every question (5, 4, 4, 5, 3 scores 84) or gives a score; four answers and no score are refused', () => {
		const linked = { ...due, token_expires_at: '2026-06-15T00:00:00.000Z' };
		const facts = { now: AT('2026-06-02T00:00:00Z'), template: DEFAULT_SURVEY_TEMPLATE };
		const all = planSurveyAnswer(linked, { answers: { quality: 5, delivery: 4, service: 4, communication: 5, price: 3 } }, facts);
		expect(all.update).toMatchObject({ score: 84, survey_status: 'answered', channel: 'link', token_hash: null });
		expect(all.audit).toEqual({ action: 'transition', from_status: 'due', to_status: 'answered', data: { via: 'link' } });
		expect(planSurveyAnswer(linked, { score: 90 }, facts).update.score).toBe(90);
		const partial = catchError(() => planSurveyAnswer(linked, { answers: { quality: 5, delivery: 4, service: 4, communication: 5 } }, facts));
		expect([partial.code, partial.field]).toEqual(['CP_REQUIRED_FIELDS_MISSING', 'score']);
		// After 15 June the link tells nothing.
		expect(catchError(() => planSurveyAnswer(linked, { score: 90 }, { ...facts, now: AT('2026-06-16T00:00:00Z') })).code).toBe('CP_LINK_INVALID');
		expect(catchError(() => planSurveyAnswer({ ...linked, survey_status: 'answered' }, { score: 90 }, facts)).code).toBe('CP_LINK_INVALID');
	});
});
