// CP-4: the clock cannot be defeated by those it measures. A pause names a listed reason and
// ends (by resume or by itself after its maximum length); an answer after the unpaused deadline
// is a breach however the clock was paused. Worked examples, decided in the domain.
import { describe, expect, it } from 'vitest';
import { planComplaintUpdate, type ComplaintUpdateFacts } from '../../extensions/customer-processes/src/domain/complaints/lifecycle';
import { planPause, planResume, type ClockFacts } from '../../extensions/customer-processes/src/domain/complaints/pauses';
import { catchError } from './catch-error';

const H = 3600e3;
// Monday 2 March 2026, 09:00 Shanghai: received; 72 hours to answer in writing (Thursday 09:00).
const RECEIVED = new Date('2026-03-02T01:00:00.000Z');
const at = (hours: number) => new Date(RECEIVED.getTime() + hours * H);
const DEADLINES = { response_hours: 72, response_mode: 'calendar_hours', resolution_days: 30 };

const complaint = {
	id: 'k1',
	status: 'action',
	customer: 'c1',
	summary: '纸箱受潮塌箱',
	received_at: RECEIVED.toISOString(),
	response_due_at: at(72).toISOString(),
	resolution_due_at: at(30 * 24).toISOString(),
	responded_at: null,
	response_breached: 0,
	resolution_breached: 0,
	root_cause: '粘合温度低',
	root_cause_category: 'process',
	responsible_department: 'production',
	verification: null,
	pauses: null,
};
const clockFacts = (now: Date): ClockFacts => ({ now, actor: { userId: 'u-quality', departments: ['quality'], privileged: false }, deadlines: DEADLINES });
const updateFacts = (now: Date): ComplaintUpdateFacts => ({
	now,
	actor: { departments: ['sales'], privileged: false },
	actions: [{ status: 'done' }],
	departments: ['sales', 'quality', 'production'],
	zone: 'Asia/Shanghai',
	deadlines: DEADLINES,
});
/** The row as the adapter writes it back after a pause or resume. */
const after = (row: Record<string, any>, plan: ReturnType<typeof planPause>) => ({
	...row,
	pauses: JSON.stringify(plan.update.pauses),
	response_due_at: plan.update.response_due_at?.toISOString() ?? row.response_due_at,
});
const answer = { status: 'responded', response_content: '已调整粘合温度' };

describe('CP-4 the complaint clock cannot be defeated by those it measures', () => {
	it("CP-4 paused at 70 h by Quality for the customer's samples, answered at 90 h while it waits (resumed 30 h after the pause): breached, 90 h > 72 h", () => {
		const pause = planPause(complaint, { id: 'k1', reason: 'customer_samples', note: '顾客寄回样品' }, clockFacts(at(70)));
		expect(pause.paused).toBe(true);
		expect(pause.audit).toEqual({ action: 'pause', data: { reason: 'customer_samples', note: '顾客寄回样品' } });
		const paused = after(complaint, pause);
		const plan = planComplaintUpdate(paused, answer, updateFacts(at(90)));
		expect(plan.write.response_breached).toBe(true);
		// The pause still ends: resumed 30 h after it began, the working target is 72 + 30 = 102 h.
		const resume = planResume({ ...paused, status: 'responded' }, { id: 'k1' }, clockFacts(at(100)));
		expect(resume.paused).toBe(false);
	});

	it('CP-4 paused at 70 h, resumed 30 h later: the working target moves to 102 h, yet an answer at 101 h is a breach (101 h > 72 h)', () => {
		const pause = planPause(complaint, { id: 'k1', reason: 'customer_samples' }, clockFacts(at(70)));
		const resume = planResume(after(complaint, pause), { id: 'k1' }, clockFacts(at(100)));
		expect(resume.update.response_due_at?.toISOString()).toBe(at(102).toISOString());
		const resumed = { ...after(complaint, pause), pauses: JSON.stringify(resume.update.pauses), response_due_at: at(102).toISOString() };
		expect(planComplaintUpdate(resumed, answer, updateFacts(at(101))).write.response_breached).toBe(true);
		// Answered within 72 h of receipt, before the pause: on time.
		expect(planComplaintUpdate(complaint, answer, updateFacts(at(71))).write.response_breached).toBe(false);
	});

	it('CP-4 a pause without a listed reason is refused, naming the field reason; a zh label names the same reason', () => {
		for (const reason of [undefined, '', '   ', 'because', 42]) {
			const e = catchError(() => planPause(complaint, { id: 'k1', reason }, clockFacts(at(10))));
			expect([e.code, e.field]).toEqual(['CP_REQUIRED_FIELDS_MISSING', 'reason']);
		}
		const byLabel = planPause(complaint, { id: 'k1', reason: '等待第三方检测报告' }, clockFacts(at(10)));
		expect(byLabel.update.pauses[0]!.reason).toBe('third_party_test');
	});

	it('CP-4 a pause nobody resumes ends by itself after 120 hours: the clock runs again and the target is 72 + 120 h', () => {
		const pause = planPause(complaint, { id: 'k1', reason: 'third_party_test' }, clockFacts(at(10)));
		// While it waits, the working target already counts the pause at its maximum length.
		expect(pause.update.response_due_at?.toISOString()).toBe(at(192).toISOString());
		const paused = after(complaint, pause);
		// 130 h after the pause began it has lapsed: no longer paused, nothing to resume, a new pause may start.
		expect(catchError(() => planResume(paused, { id: 'k1' }, clockFacts(at(140)))).code).toBe('CP_CLOCK_NOT_PAUSED');
		const again = planPause(paused, { id: 'k1', reason: 'customer_photos' }, clockFacts(at(140)));
		expect(again.update.pauses[0]!.to).toBe(at(130).toISOString());
		expect(again.update.pauses).toHaveLength(2);
	});

	it('CP-4 a pause resumed just before its maximum counts its real length (119 h)', () => {
		const pause = planPause(complaint, { id: 'k1', reason: 'customer_samples' }, clockFacts(at(10)));
		// Resumed at 129 h, one hour before it would have lapsed: 119 paused hours count.
		const resume = planResume(after(complaint, pause), { id: 'k1' }, clockFacts(at(129)));
		expect(resume.update.response_due_at?.toISOString()).toBe(at(72 + 119).toISOString());
	});
});
