import { describe, it, expect } from 'vitest';
import {
	assertTextBounds,
	calendarFrom,
	complaintDeadlines,
	complaintDedupeKey,
	endPause,
	normaliseText,
	parseInstant,
	startPause,
} from '../../extensions/customer-processes/src/domain/complaints/intake';
import {
	actionAlert,
	assertActionTransition,
	assertFormTransition,
	formCloseBlockers,
	hashToken,
	linkExpiry,
	TOKEN_SHAPE,
} from '../../extensions/customer-processes/src/domain/complaints/lifecycle';
import { escapeHtml, renderComplaintForm } from '../../extensions/customer-processes/src/domain/complaints/form';
import { parseAnswers, parseScore, surveyKey, assertPeriodKey } from '../../extensions/customer-processes/src/domain/communication/communication';
import { catchError as err } from './catch-error';

const CAL = {
	zone: 'Asia/Shanghai',
	workingDays: [1, 2, 3, 4, 5],
	workingHours: { start: '08:30', end: '17:30' },
	holidays: ['2026-10-01'],
	makeUpWorkdays: [],
};

describe('CP-1 intake rules', () => {
	it('CP-1 dedupe key is the same for the same complaint written differently on the same local day', () => {
		const a = complaintDedupeKey({ customer: 'c1', summary: '纸箱受潮 塌箱!', product: 'Box', batch: 'B-1', receivedAt: new Date('2026-11-02T01:00:00Z') });
		const b = complaintDedupeKey({ customer: 'c1', summary: '纸箱受潮塌箱', product: 'box', batch: 'b1', receivedAt: new Date('2026-11-02T15:00:00Z') });
		expect(a).toBe(b);
		expect(a).toMatch(/^[0-9a-f]{64}$/);
		// 2026-11-02T16:30Z is already 3 November in Shanghai: another day, another complaint.
		expect(complaintDedupeKey({ customer: 'c1', summary: '纸箱受潮塌箱', product: 'box', batch: 'b1', receivedAt: new Date('2026-11-02T16:30:00Z') })).not.toBe(
			a,
		);
		expect(complaintDedupeKey({ customer: 'c2', summary: '纸箱受潮塌箱', product: 'box', batch: 'b1', receivedAt: new Date('2026-11-02T01:00:00Z') })).not.toBe(
			a,
		);
	});

	it('CP-1 normalises width, case, spaces and punctuation', () => {
		expect(normaliseText(' ＡＢＣ，  d-e ')).toBe('abcde');
	});

	it('CP-1 refuses future and invalid received_at, oversized text', () => {
		const now = new Date('2026-11-02T00:00:00Z');
		expect(err(() => parseInstant('2026-11-03T00:00:00Z', 'received_at', { now, notInFuture: true })).field).toBe('received_at');
		expect(err(() => parseInstant('not a date', 'received_at')).code).toBe('CP_INVALID_VALUE');
		expect(parseInstant('2026-11-02T00:04:00Z', 'received_at', { now, notInFuture: true }).toISOString()).toBe('2026-11-02T00:04:00.000Z');
		const e = err(() => assertTextBounds({ summary: 'x'.repeat(256) }));
		expect(e.field).toBe('summary');
		expect(e.message).toMatch(/at most 255/);
	});
});

describe('CP-4 deadlines from settings', () => {
	it('CP-4 calendar_hours: 72 real hours', () => {
		const d = complaintDeadlines(new Date('2026-10-02T02:00:00Z'), { response_hours: 72, response_mode: 'calendar_hours', calendar: CAL, resolution_days: 30 });
		expect(d.responseDueAt!.toISOString()).toBe('2026-10-05T02:00:00.000Z');
		expect(d.resolutionDueAt!.toISOString()).toBe('2026-11-01T02:00:00.000Z');
	});

	it('CP-4 working_hours skips the weekend and the holiday', () => {
		// Wed 2026-09-30 16:30 Shanghai; Thu 1 Oct holiday, Sat/Sun rest. 9 working hours a day.
		const d = complaintDeadlines(new Date('2026-09-30T08:30:00Z'), { response_hours: 10, response_mode: 'working_hours', calendar: CAL });
		// 1h on Wed, 9h on Fri 2 Oct -> due Fri 17:30 Shanghai.
		expect(d.responseDueAt!.toISOString()).toBe('2026-10-02T09:30:00.000Z');
	});

	it('CP-4 excludes paused time; an open pause counts up to its maximum length', () => {
		const s = { response_hours: 72, response_mode: 'calendar_hours', calendar: CAL };
		const start = new Date('2026-11-02T00:00:00Z');
		let pauses = startPause([], new Date('2026-11-02T10:00:00Z'), 'waiting for samples', null);
		// CP-4: an open pause counts as ending at its maximum (120 h): 72 h + 120 h after the start.
		expect(complaintDeadlines(start, s, pauses).responseDueAt!.toISOString()).toBe('2026-11-10T00:00:00.000Z');
		pauses = endPause(pauses, new Date('2026-11-02T14:00:00Z'));
		pauses = startPause(pauses, new Date('2026-11-03T00:00:00Z'), 'waiting for customer photos', null);
		pauses = endPause(pauses, new Date('2026-11-03T02:00:00Z'));
		expect(complaintDeadlines(start, s, pauses).responseDueAt!.toISOString()).toBe('2026-11-05T06:00:00.000Z');
		expect(err(() => endPause(pauses, new Date())).code).toBe('CP_CLOCK_NOT_PAUSED');
		expect(err(() => startPause(startPause([], new Date(), 'a', null), new Date(), 'b', null)).code).toBe('CP_CLOCK_ALREADY_PAUSED');
		expect(err(() => startPause([], new Date(), '  ', null)).field).toBe('reason');
	});

	it('CP-4 refuses an invalid calendar setting', () => {
		expect(err(() => calendarFrom({ zone: 'Mars/Base' })).field).toBe('calendar.zone');
	});
});

describe('CP-2..CP-6 form transitions', () => {
	const quality = { departments: ['quality'], privileged: false };
	const sales = { departments: ['sales'], privileged: false };

	it('CP-2 Quality investigates; sales may not; the investigation needs category, cause and department', () => {
		expect(err(() => assertFormTransition('received', 'investigating', {}, sales)).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(assertFormTransition('received', 'investigating', {}, quality)).toBe('investigate');
		const e = err(() => assertFormTransition('investigating', 'action', { rootCause: 'glue' }, quality));
		expect(e.code).toBe('CP_INVESTIGATION_INCOMPLETE');
		expect(e.message).toMatch(/responsible department/);
		expect(e.message).toMatch(/root cause category/);
	});

	it('CP-4 responding needs the response text', () => {
		const e = err(() => assertFormTransition('action', 'responded', { responseSentAt: new Date() }, sales));
		expect(e.code).toBe('CP_REQUIRED_FIELDS_MISSING');
		expect(e.field).toBe('response_content');
	});

	it('CP-3/CP-5/CP-6 close lists everything missing; verified actions count as done', () => {
		const e = err(() => assertFormTransition('verifying', 'closed', { actions: [{ status: 'open' }] }, quality));
		expect(e.code).toBe('CP_COMPLAINT_NOT_CLOSABLE');
		expect(e.details!.missing).toEqual([
			'1 corrective action(s) not done (CP-3)',
			'written response to the customer not sent (CP-4)',
			'customer re-verification not recorded (or a reason why it is not possible) (CP-5)',
			'delivered product disposition not recorded (CP-6)',
		]);
		expect(
			formCloseBlockers({
				actions: [{ status: 'verified' }, { status: 'done' }],
				responseSentAt: new Date(),
				verification: 'confirmed',
				productDisposition: 'none',
			}),
		).toEqual([]);
	});

	it('CP-5 illegal jumps are refused', () => {
		expect(err(() => assertFormTransition('received', 'closed', {}, quality)).code).toBe('CP_ILLEGAL_TRANSITION');
		expect(err(() => assertFormTransition('verifying', 'reopened', { verification: 'confirmed' }, quality)).code).toBe('CP_VERIFICATION_NOT_REJECTED');
	});
});

describe('CP-3 action reminders', () => {
	const due = new Date('2026-11-10T00:00:00Z');
	const lead = 24 * 3600e3;
	it('CP-3 reminds once before, escalates once after the due date', () => {
		expect(actionAlert({ status: 'open', dueAt: due, remindedAt: null, escalatedAt: null }, new Date('2026-11-08T00:00:00Z'), lead)).toBeNull();
		expect(actionAlert({ status: 'open', dueAt: due, remindedAt: null, escalatedAt: null }, new Date('2026-11-09T01:00:00Z'), lead)).toBe('remind');
		expect(actionAlert({ status: 'open', dueAt: due, remindedAt: new Date(), escalatedAt: null }, new Date('2026-11-09T01:00:00Z'), lead)).toBeNull();
		expect(actionAlert({ status: 'open', dueAt: due, remindedAt: null, escalatedAt: null }, new Date('2026-11-10T00:00:01Z'), lead)).toBe('escalate');
		expect(actionAlert({ status: 'overdue', dueAt: due, remindedAt: null, escalatedAt: new Date() }, new Date('2026-11-11T00:00:00Z'), lead)).toBeNull();
		expect(actionAlert({ status: 'done', dueAt: due, remindedAt: null, escalatedAt: null }, new Date('2026-11-11T00:00:00Z'), lead)).toBeNull();
	});
	it('CP-3 action statuses move open -> done -> verified only', () => {
		expect(() => assertActionTransition('open', 'done')).not.toThrow();
		expect(err(() => assertActionTransition('open', 'verified')).code).toBe('CP_ILLEGAL_TRANSITION');
	});
});

describe('CP-5 links, X-1 form, CC-4 surveys', () => {
	it('CP-5 stores only a hash; tokens have one shape; expiry is bounded', () => {
		expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(TOKEN_SHAPE.test('a'.repeat(43))).toBe(true);
		expect(TOKEN_SHAPE.test('a'.repeat(42) + '/')).toBe(false);
		expect(linkExpiry(new Date('2026-01-01T00:00:00Z')).toISOString()).toBe('2026-01-15T00:00:00.000Z');
		expect(err(() => linkExpiry(new Date(), 0)).field).toBe('days');
	});

	it('X-1 form escapes every value', () => {
		expect(escapeHtml('<script>alert("x")</script>')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
		const html = renderComplaintForm({
			company: '示例制造 <b>',
			complaint: { code: 'KF-1', summary: '<script>alert(1)</script>', status: 'received' },
			customer: null,
			contract: null,
			actions: [],
			trail: [],
			zone: 'Asia/Shanghai',
		});
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).not.toContain('<script>');
		expect(html).toContain('示例制造 &lt;b&gt;');
		expect(html).toContain('顾客信息反馈处理单');
	});

	it('CC-4 survey key, score and period validation', () => {
		expect(surveyKey('c1', '2026-Q4')).toBe('survey:c1:2026-Q4');
		expect(parseScore('87.456')).toBe(87.46);
		expect(err(() => parseScore(101)).field).toBe('score');
		expect(err(() => parseAnswers('nope')).field).toBe('answers');
		expect(assertPeriodKey('2026-Q4')).toBe('2026-Q4');
		expect(err(() => assertPeriodKey("2026-Q4' or 1=1")).field).toBe('period');
	});
});
