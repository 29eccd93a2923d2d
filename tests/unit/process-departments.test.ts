// X-6 departments are data: who receives the task notice, who takes each step of a complaint, who
// raises discrepancies and who keeps which property are settings; empty = the procedures' defaults.
// Expected defaults come from the procedure text (Doc 1 4.5.2: the task notice goes to production,
// purchasing, quality and the warehouse; Doc 2 4.6.4: Quality (技术质量部) traces the complaint, Sales
// and Quality answer it; Doc 5 1: Production keeps tooling, Technical keeps documents and samples).
import { describe, expect, it } from 'vitest';
import { processDepartments } from '../../extensions/customer-processes/src/domain/process-departments';
import { validateSettingsChange } from '../../extensions/customer-processes/src/domain/settings';
import { planTaskNotices } from '../../extensions/customer-processes/src/domain/contract-review/task-notices';
import { planRaiseDiscrepancy } from '../../extensions/customer-processes/src/domain/contract-review/discrepancies';
import { assertFormTransition } from '../../extensions/customer-processes/src/domain/complaints/lifecycle';
import { planPause } from '../../extensions/customer-processes/src/domain/complaints/pauses';
import { catchError } from './catch-error';

const ROLE = 'c0ffee00-0000-4000-8000-000000000010';
const facts = { roleIds: [ROLE], departments: { sales: 'r1', mould_shop: ROLE } };
const check = (change: Record<string, unknown>) => () => validateSettingsChange(change, facts);
const actor = (departments: string[]) => ({ userId: 'u1', departments, isAdmin: false, system: false });

describe('X-6 defaults are the procedures’ assignment', () => {
	it('X-6: with nothing set, the task notice goes to Production, Purchasing, Quality and Warehouse; Quality investigates; tooling is Production’s', () => {
		const d = processDepartments({});
		expect([...d.taskNotice].sort()).toEqual(['production', 'purchasing', 'quality', 'warehouse']);
		expect(d.complaint.investigate).toEqual(['quality']);
		expect([...d.complaint.respond].sort()).toEqual(['quality', 'sales']);
		expect([...d.complaint.pause].sort()).toEqual(['quality', 'sales']);
		expect(d.custodians.tooling).toEqual(['production']);
		expect(d.custodians.drawing).toEqual(['technical']);
		expect(d.discrepancy).toContain('technical');
	});
	it('X-6: a company’s entries replace the defaults one by one (JSON text as stored on SQLite too)', () => {
		const d = processDepartments({
			task_notice_departments: JSON.stringify(['production', 'mould_shop']),
			complaint_departments: { investigate: ['quality', 'mould_shop'] },
			property_custodians: { tooling: ['mould_shop'] },
		});
		expect(d.taskNotice).toEqual(['production', 'mould_shop']);
		expect(d.complaint.investigate).toEqual(['quality', 'mould_shop']);
		expect(d.complaint.close).toEqual(processDepartments(null).complaint.close);
		expect(d.custodians.tooling).toEqual(['mould_shop']);
		expect(d.custodians.gauge).toEqual(['production']);
	});
});

describe('X-6 settings validation: the departments named exist', () => {
	it('accepts catalogue departments and one of the company’s department map', () => {
		expect(check({ task_notice_departments: ['production', 'mould_shop'] })).not.toThrow();
		expect(check({ complaint_departments: { investigate: ['mould_shop'], pause: ['sales'] } })).not.toThrow();
		expect(check({ discrepancy_departments: ['technical', 'quality'], property_custodians: null })).not.toThrow();
		// A department added in the same change counts.
		expect(check({ departments: { paint_shop: ROLE }, task_notice_departments: ['paint_shop'] })).not.toThrow();
	});
	it('refuses a department that does not exist, an empty list, an unknown step or kind, naming the field by its label', () => {
		const ghost = catchError(check({ task_notice_departments: ['production', 'paint_shop'] }));
		expect([ghost.code, ghost.status, ghost.field]).toEqual(['CP_INVALID_VALUE', 400, 'task_notice_departments']);
		expect(ghost.message).toContain('任务通知单接收部门');
		expect(ghost.message).toContain('paint_shop');
		expect(catchError(check({ discrepancy_departments: [] })).field).toBe('discrepancy_departments');
		expect(catchError(check({ complaint_departments: { approve: ['quality'] } })).message).toContain('approve');
		expect(catchError(check({ complaint_departments: ['quality'] })).field).toBe('complaint_departments');
		expect(catchError(check({ property_custodians: { furniture: ['warehouse'] } })).field).toBe('property_custodians');
	});
	it('PR-1: personal data is kept only by departments that may see it', () => {
		const e = catchError(check({ property_custodians: { personal_data: ['warehouse'] } }));
		expect(e.field).toBe('property_custodians');
		expect(e.message).toContain('warehouse');
	});
});

describe('X-6 the plans take the settings as data', () => {
	it('CR-13: the task notices go to the recipients passed in, one each, due on the delivery date', () => {
		const plan = planTaskNotices({ code: 'HT-1', title: '纸箱 2000 只', delivery_date: '2026-05-01' }, ['production', 'mould_shop', 'production']);
		expect(plan.taskNotices).toEqual([
			{ department: 'production', due_at: '2026-05-01', content: '纸箱 2000 只' },
			{ department: 'mould_shop', due_at: '2026-05-01', content: '纸箱 2000 只' },
		]);
		expect(plan.notification.departments).toEqual(['production', 'mould_shop']);
		expect(plan.notification.subject).toContain('HT-1');
	});
	it('CR-5: a company-added department raises a discrepancy once listed; a department not listed may not', () => {
		const contract = { status: 'in_review', review_round: 1 };
		const payload = { contract: 'c1', raised_by_department: 'mould_shop', clause: '3.1', problem: '模切版交期不足' };
		expect(catchError(() => planRaiseDiscrepancy(contract, payload, actor(['mould_shop']))).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(planRaiseDiscrepancy(contract, payload, actor(['mould_shop']), ['technical', 'mould_shop'])).toMatchObject({ raised_by_department: 'mould_shop' });
		const e = catchError(() => planRaiseDiscrepancy(contract, { ...payload, raised_by_department: 'technical' }, actor(['technical']), ['mould_shop']));
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(e.message).toContain('研发部');
	});
	it('CP-2: the complaint movers passed in decide who investigates; the message names departments as the screens do', () => {
		const shop = { departments: ['mould_shop'], privileged: false };
		const e = catchError(() => assertFormTransition('received', 'investigating', {}, shop));
		expect(e.message).toContain('质量部 Quality');
		expect(assertFormTransition('received', 'investigating', {}, shop, { investigate: ['quality', 'mould_shop'] })).toBe('investigate');
	});
	it('CP-4: the pause departments passed in decide who pauses the clock', () => {
		const row = { id: 'k1', status: 'investigating', received_at: '2026-03-02T01:00:00Z', pauses: null, response_due_at: '2026-03-05T01:00:00Z' };
		const f = (departments: string[], pauseDepartments?: string[]) => ({
			now: new Date('2026-03-02T02:00:00Z'),
			actor: { userId: 'u1', departments, privileged: false },
			deadlines: { response_hours: 72 },
			pauseDepartments,
		});
		expect(catchError(() => planPause(row, { id: 'k1', reason: 'customer_photos' }, f(['mould_shop']))).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(planPause(row, { id: 'k1', reason: 'customer_photos' }, f(['mould_shop'], ['quality', 'mould_shop'])).paused).toBe(true);
	});
});
