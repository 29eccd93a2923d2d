import { describe, expect, it } from 'vitest';
import {
	custodianDepartments,
	departmentsToNotify,
	isQuarantineLocation,
	planEvent,
	problemIsOpen,
	type EventFacts,
	type RegisterState,
} from '../../extensions/customer-processes/src/domain/property/events';
import { escapeHtml, problemEpisode, renderLabel, renderProblemReport } from '../../extensions/customer-processes/src/domain/property/forms';
import { catchError as caught } from './catch-error';

const NOW = new Date('2026-03-10T02:00:00Z');
const facts = (over: Partial<EventFacts> = {}): EventFacts => ({
	now: NOW,
	zone: 'Asia/Shanghai',
	checkIntervalMonths: 6,
	actor: { departments: ['warehouse'], isAdmin: false, system: false },
	problemOpen: false,
	...over,
});
const quality = facts({ actor: { departments: ['quality'], isAdmin: false, system: false } });
const item = (over: Partial<RegisterState> = {}): RegisterState => ({
	code: 'CP-M-1',
	name: '模切版',
	kind: 'tooling',
	status: 'in_store',
	specification: '600x400',
	model: null,
	quantity: 1,
	location: 'A-01',
	...over,
});

describe('receipt (PR-8)', () => {
	it('records the slip, notes mismatches and schedules the first check', () => {
		const plan = planEvent(
			item({ kind: 'material', status: 'expected', quantity: '100.00' }),
			{ type: 'receipt', quantity: 98, to_location: 'B-1', details: { model: 'X' } },
			facts(),
		);
		expect(plan.to).toBe('received');
		expect(plan.register).toEqual({ quantity: 98, location: 'B-1', next_check_due: '2026-09-10' });
		expect(plan.event.details).toMatchObject({
			slip: { name: '模切版', specification: '600x400', model: 'X', quantity: 98 },
			mismatches: [
				{ field: 'model', registered: null, received: 'X' },
				{ field: 'quantity', registered: 100, received: 98 },
			],
		});
	});

	it('needs the quantity and a date that is not in the future', () => {
		expect(caught(() => planEvent(item({ status: 'expected' }), { type: 'receipt' }, facts())).field).toBe('quantity');
		expect(caught(() => planEvent(item({ status: 'expected' }), { type: 'receipt', quantity: 1, occurred_at: '2026-03-11T00:00:00Z' }, facts())).field).toBe(
			'occurred_at',
		);
	});

	// PR-5 (Doc 5 4): every kind we hold is checked every 6 months, technical documents included.
	it('PR-5: a drawing received 2026-01-10 is due for its check on 2026-07-10', () => {
		const plan = planEvent(
			item({ kind: 'drawing', status: 'expected', quantity: 12, location: null }),
			{ type: 'receipt', quantity: 12, occurred_at: '2026-01-10T02:00:00Z' },
			facts(),
		);
		expect(plan.register.next_check_due).toBe('2026-07-10');
	});

	it('PR-5: every kind the register holds gets its first check date on receipt', () => {
		const kinds = [
			'material',
			'part',
			'equipment',
			'tooling',
			'gauge',
			'drawing',
			'specification',
			'sample',
			'data_media',
			'intellectual_property',
			'personal_data',
		];
		for (const kind of kinds) {
			const plan = planEvent(
				item({ kind: kind as RegisterState['kind'], status: 'expected', quantity: 1 }),
				{ type: 'receipt', quantity: 1, occurred_at: '2026-01-10T02:00:00Z' },
				facts(),
			);
			expect([kind, plan.register.next_check_due]).toEqual([kind, '2026-07-10']);
		}
	});
});

describe('incoming inspection (PR-3)', () => {
	it('is Quality’s; admins may act', () => {
		expect(caught(() => planEvent(item({ status: 'received' }), { type: 'inspection', result: 'accepted' }, facts())).code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		const plan = planEvent(
			item({ status: 'received' }),
			{ type: 'inspection', result: 'accepted' },
			facts({ actor: { departments: [], isAdmin: true, system: false } }),
		);
		expect(plan.event.details).toMatchObject({ verification: { result: 'accepted', by: 'admin' } });
	});

	it('accepted goes to store, and needs a storage location for physical items', () => {
		expect(planEvent(item({ status: 'received' }), { type: 'inspection', result: 'accepted' }, quality).to).toBe('in_store');
		expect(caught(() => planEvent(item({ status: 'received', location: null }), { type: 'inspection', result: 'accepted' }, quality)).field).toBe(
			'to_location',
		);
	});

	it('rejected goes back with feedback to the customer, and needs the reason', () => {
		expect(caught(() => planEvent(item({ status: 'received' }), { type: 'inspection', result: 'rejected' }, quality)).field).toBe('note');
		const plan = planEvent(item({ status: 'received' }), { type: 'inspection', result: 'rejected', note: 'chipped' }, quality);
		expect([plan.to, plan.feedbackToCustomer, plan.register.next_check_due]).toEqual(['returned', true, null]);
		expect(departmentsToNotify('inspection', 'rejected')).toEqual(['sales']);
	});
});

describe('movement and checks (PR-4, PR-5)', () => {
	it('a movement needs the target and records where from', () => {
		expect(caught(() => planEvent(item(), { type: 'movement' }, facts())).code).toBe('CP_REQUIRED_FIELDS_MISSING');
		const plan = planEvent(item(), { type: 'movement', to_location: 'C-2', details: { segregated: true } }, facts());
		expect(plan.event).toMatchObject({ from_location: 'A-01', to_location: 'C-2' });
		expect(plan.register).toEqual({ location: 'C-2', location_segregated: true });
		expect(caught(() => planEvent(item(), { type: 'movement', from_location: 'Z-9', to_location: 'C-2' }, facts())).field).toBe('from_location');
	});

	it('PR-5: a checked specification gets its next check six months after the check', () => {
		const spec = item({ kind: 'specification', status: 'in_store', location: null, quantity: 3 });
		const plan = planEvent(spec, { type: 'check', result: 'ok', occurred_at: '2026-03-02T01:00:00Z' }, facts());
		expect(plan.to).toBe('in_store');
		expect(plan.register).toEqual({ last_check_at: '2026-03-02T01:00:00.000Z', next_check_due: '2026-09-02' });
	});

	it('PR-5, PR-6: an abnormal check of a gauge blocks it and is reported like a problem', () => {
		const gauge = item({ kind: 'gauge', status: 'in_use', code: 'CP-G-1', name: '卡尺' });
		const plan = planEvent(gauge, { type: 'check', result: 'not_ok', note: '示值超差 reading out of tolerance', occurred_at: '2026-03-02T01:00:00Z' }, facts());
		expect([plan.from, plan.to, plan.problemReported]).toEqual(['in_use', 'blocked', true]);
		expect(plan.event.details).toMatchObject({ status_before: 'in_use' });
		// The same people hear of it as of a problem report (PR-6: Sales, Technical, Quality).
		expect(departmentsToNotify('check', 'not_ok', 'gauge')).toEqual(departmentsToNotify('problem', null, 'gauge'));
		expect(departmentsToNotify('check', 'not_ok', 'gauge').sort()).toEqual(['quality', 'sales', 'technical']);
		// It stays open until the customer's disposition, and only then may the gauge be used again.
		expect(problemIsOpen([{ type: 'receipt' }, { type: 'check', result: 'not_ok' }])).toBe(true);
		expect(problemIsOpen([{ type: 'check', result: 'not_ok' }, { type: 'disposition' }])).toBe(false);
		expect(caught(() => planEvent({ ...gauge, status: 'blocked' }, { type: 'use', details: { action: 'use' } }, facts())).code).toBe('CP_PROPERTY_BLOCKED');
		// An OK check does not start the problem path.
		const fine = planEvent(gauge, { type: 'check', result: 'ok', occurred_at: '2026-03-02T01:00:00Z' }, facts());
		expect([fine.to, fine.problemReported]).toEqual(['in_use', false]);
		expect(departmentsToNotify('check', 'ok', 'gauge')).toEqual([]);
	});

	it('a check needs its result and moves the next check date', () => {
		expect(caught(() => planEvent(item(), { type: 'check' }, facts())).field).toBe('result');
		expect(caught(() => planEvent(item(), { type: 'check', result: 'not_ok' }, facts())).field).toBe('note');
		const plan = planEvent(item(), { type: 'check', result: 'ok', occurred_at: '2025-08-31T04:00:00Z' }, facts());
		expect(plan.register).toEqual({ last_check_at: '2025-08-31T04:00:00.000Z', next_check_due: '2026-02-28' });
		expect(caught(() => planEvent(item({ status: 'returned' }), { type: 'check', result: 'ok' }, facts())).code).toBe('CP_EVENT_NOT_ALLOWED');
	});

	it('custodians by kind (Doc 5 1)', () => {
		expect(custodianDepartments('tooling')).toEqual(['production']);
		expect(custodianDepartments('sample')).toEqual(['technical']);
		expect(custodianDepartments('material')).toEqual(['warehouse']);
		// a company's setting replaces a kind's custodians; the other kinds keep the procedure's.
		const setting = { tooling: ['mould_shop'] };
		expect(custodianDepartments('tooling', setting)).toEqual(['mould_shop']);
		expect(custodianDepartments('drawing', setting)).toEqual(['technical']);
	});
});

describe('use, problems and disposition (PR-6, PR-7)', () => {
	it('issues and puts back', () => {
		expect(planEvent(item(), { type: 'use' }, facts()).to).toBe('in_use');
		expect(planEvent(item({ status: 'in_use' }), { type: 'use', details: { action: 'put_back' } }, facts()).to).toBe('in_store');
		expect(caught(() => planEvent(item(), { type: 'use', details: { action: 'use' } }, facts())).code).toBe('CP_EVENT_NOT_ALLOWED');
		const mat = planEvent(item({ kind: 'material', quantity: 10 }), { type: 'use', details: { consumed: 4 } }, facts());
		expect(mat.register.quantity).toBe(6);
		expect(caught(() => planEvent(item({ kind: 'material', quantity: 10 }), { type: 'use', details: { consumed: 11 } }, facts())).field).toBe(
			'details.consumed',
		);
	});

	it('a problem needs its type and description and blocks the item', () => {
		expect(caught(() => planEvent(item(), { type: 'problem', note: 'x', details: { problem_type: 'bad' } }, facts())).field).toBe('details.problem_type');
		expect(caught(() => planEvent(item(), { type: 'problem', details: { problem_type: 'loss' } }, facts())).field).toBe('note');
		const plan = planEvent(
			item({ status: 'in_use' }),
			{ type: 'problem', note: 'broken', to_location: '隔离区 1', details: { problem_type: 'damage' } },
			facts(),
		);
		expect(plan.to).toBe('blocked');
		expect(plan.register.location).toBe('隔离区 1');
		expect(plan.event.details).toMatchObject({ status_before: 'in_use' });
		expect(caught(() => planEvent(item(), { type: 'problem', note: 'x', to_location: 'B-2', details: { problem_type: 'damage' } }, facts())).field).toBe(
			'to_location',
		);
		expect(departmentsToNotify('problem')).toEqual(['sales', 'technical', 'quality']);
		// PR-1: a problem with personal data is reported only to those who may read it.
		expect(departmentsToNotify('problem', null, 'personal_data')).toEqual(['sales', 'quality']);
	});

	it('while blocked: no use, moves only into quarantine', () => {
		const blocked = item({ status: 'blocked' });
		const open = facts({ problemOpen: true });
		expect(caught(() => planEvent(blocked, { type: 'use' }, open)).code).toBe('CP_PROPERTY_BLOCKED');
		expect(caught(() => planEvent(blocked, { type: 'movement', to_location: 'A-02' }, open)).code).toBe('CP_PROPERTY_BLOCKED');
		expect(planEvent(blocked, { type: 'movement', to_location: 'Quarantine cage' }, open).register.location).toBe('Quarantine cage');
		expect(isQuarantineLocation('隔离区 Q-1')).toBe(true);
		expect(isQuarantineLocation('Rack 1')).toBe(false);
	});

	it('a disposition needs an open problem and a decision, and records PR-7 attribution', () => {
		expect(caught(() => planEvent(item(), { type: 'disposition', details: { decision: 'store' } }, facts())).code).toBe('CP_NO_OPEN_PROBLEM');
		const blocked = item({ status: 'blocked', location: '隔离区 Q-1' });
		const open = facts({ problemOpen: true, actor: { departments: ['sales'], isAdmin: false, system: false } });
		const letter = { customer_message: '顾客函:同意报废 The customer agrees to dispose' };
		expect(caught(() => planEvent(blocked, { type: 'disposition', ...letter, details: {} }, open)).field).toBe('details.decision');
		const plan = planEvent(blocked, { type: 'disposition', ...letter, details: { decision: 'dispose', loss_attributed_to_customer: true } }, open);
		expect(plan.to).toBe('disposed');
		expect(plan.register).toEqual({ loss_attributed_to_customer: true, next_check_due: null });
		expect(
			caught(() => planEvent(blocked, { type: 'disposition', ...letter, details: { decision: 'store', loss_attributed_to_customer: 'yes' } }, open)).code,
		).toBe('CP_INVALID_VALUE');
	});

	describe("PR-6: isolation before any disposition; the customer's disposition received by Sales with the customer's evidence", () => {
		const sales = (over: Partial<EventFacts> = {}) => facts({ problemOpen: true, actor: { departments: ['sales'], isAdmin: false, system: false }, ...over });
		const letter = { customer_message: '顾客邮件 2026-03-09:修复后继续使用 repair and continue use' };
		// Doc 5 5: 立即停止使用,隔离、标识 — a die found cracked at the press stays at the press: not isolated.
		const atPress = item({ status: 'blocked', location: '二车间 模切机旁 Workshop 2, at the press' });
		const isolated = item({ status: 'blocked', location: '隔离区 Q-1' });

		it('PR-6: a blocked tooling never moved to quarantine cannot get any disposition', () => {
			for (const decision of ['continue_use', 'store', 'return', 'dispose']) {
				const e = caught(() => planEvent(atPress, { type: 'disposition', ...letter, details: { decision } }, sales()));
				expect([e.code, e.status, e.field], decision).toEqual(['CP_ISOLATION_REQUIRED', 409, 'to_location']);
				expect(e.message).toContain('隔离');
			}
			// Once in quarantine, the same disposition is recorded, with where it was isolated.
			const plan = planEvent(isolated, { type: 'disposition', ...letter, to_location: 'A-01', details: { decision: 'continue_use' } }, sales());
			expect(plan.to).toBe('in_use');
			expect(plan.event.details).toMatchObject({ isolation: { location: '隔离区 Q-1' } });
			expect(plan.event.customer_message).toBe(letter.customer_message);
		});

		it('PR-6: a specification (information) is isolated when a problem event says how its use was withdrawn', () => {
			const spec = item({ kind: 'specification', status: 'blocked', location: null });
			expect(
				caught(() =>
					planEvent(spec, { type: 'disposition', ...letter, details: { decision: 'store' } }, sales({ episode: [{ type: 'check', result: 'not_ok' }] })),
				).code,
			).toBe('CP_ISOLATION_REQUIRED');
			const withdrawn = sales({
				episode: [
					{ type: 'check', result: 'not_ok' },
					{ type: 'problem', details: { isolation: '收回全部复印件,原件封存并标识"停用" all copies recalled, original sealed and marked' } },
				],
			});
			const plan = planEvent(spec, { type: 'disposition', ...letter, details: { decision: 'store' } }, withdrawn);
			expect(plan.event.details).toMatchObject({ isolation: { how: '收回全部复印件,原件封存并标识"停用" all copies recalled, original sealed and marked' } });
		});

		it("PR-6: the disposition is Sales' to record: Production may not, an admin may", () => {
			const e = caught(() =>
				planEvent(
					isolated,
					{ type: 'disposition', ...letter, details: { decision: 'continue_use' } },
					sales({ actor: { departments: ['production'], isAdmin: false, system: false } }),
				),
			);
			expect([e.code, e.status]).toEqual(['CP_NOT_DEPARTMENT_MEMBER', 403]);
			expect(
				planEvent(
					isolated,
					{ type: 'disposition', ...letter, details: { decision: 'store' } },
					sales({ actor: { departments: [], isAdmin: true, system: false } }),
				).to,
			).toBe('in_store');
		});

		it("PR-6: without the customer's evidence (a file or the message) the disposition is refused", () => {
			const e = caught(() =>
				planEvent(isolated, { type: 'disposition', note: '电话说继续用 said on the phone', details: { decision: 'continue_use' } }, sales()),
			);
			expect([e.code, e.status, e.field]).toEqual(['CP_EVIDENCE_REQUIRED', 400, 'evidence']);
			expect(caught(() => planEvent(isolated, { type: 'disposition', customer_message: '  ', details: { decision: 'continue_use' } }, sales())).code).toBe(
				'CP_EVIDENCE_REQUIRED',
			);
			// A file that does not exist is no evidence.
			expect(
				caught(() => planEvent(isolated, { type: 'disposition', evidence: 'f-404', details: { decision: 'store' } }, sales({ evidenceFileExists: false })))
					.field,
			).toBe('evidence');
			const plan = planEvent(isolated, { type: 'disposition', evidence: { id: 'f-1' }, details: { decision: 'store' } }, sales({ evidenceFileExists: true }));
			expect([plan.to, plan.event.evidence]).toEqual(['in_store', 'f-1']);
		});
	});

	it('a problem is open until a disposition follows it', () => {
		expect(problemIsOpen([{ type: 'receipt' }, { type: 'problem' }])).toBe(true);
		expect(problemIsOpen([{ type: 'problem' }, { type: 'disposition' }])).toBe(false);
	});
});

describe('return at contract end', () => {
	it('needs the customer acknowledgement', () => {
		expect(caught(() => planEvent(item(), { type: 'return', details: {} }, facts())).code).toBe('CP_CUSTOMER_ACK_REQUIRED');
		expect(planEvent(item(), { type: 'return', details: { customer_acknowledged: true, action: 'dispose' } }, facts()).to).toBe('disposed');
	});
});

describe('printed forms (PR-4, PR-6, X-1)', () => {
	it('label: code, customer, ownership and the QR image; user text escaped', () => {
		const html = renderLabel({
			id: 1,
			code: 'CP-M-0001',
			name: '<b>模切版</b>',
			kind: 'tooling',
			customer: { code: 'C-1', name: '华东' },
			qrSvg: '<svg viewBox="0 0 1 1"></svg>',
		});
		expect(html).toContain('CP-M-0001');
		expect(html).toContain('顾客财产 Customer property');
		expect(html).toContain('<svg viewBox');
		expect(html).toContain('&lt;b&gt;模切版');
		expect(html).toContain('<meta charset="utf-8">');
	});

	it('problem report: the problems and a blank decision until the customer answers', () => {
		const html = renderProblemReport({
			item: { code: 'CP-M-1', name: '模切版', kind: 'tooling', status: 'blocked' },
			customer: { name: '华东' },
			problems: [{ id: 1, note: '刃口断裂', details: { problem_type: 'damage' }, reported_by: 'Production' }],
			printedAt: NOW.toISOString(),
		});
		expect(html).toContain('顾客财产问题报告单');
		expect(html).toContain('损坏 Damage');
		expect(html).toContain('□ 继续使用');
		expect(escapeHtml(`a"<'&`)).toBe('a&quot;&lt;&#39;&amp;');
	});
});

describe('PR-6 the problem report covers the open problem, a periodic check found not OK included', () => {
	it('an abnormal check is the open problem; after the decision it is the last episode', () => {
		const check = { id: 1, type: 'check', result: 'not_ok', note: 'page 3 missing' };
		expect(problemEpisode([{ id: 0, type: 'check', result: 'ok' }])).toBeNull();
		expect(problemEpisode([check])).toEqual({ problems: [{ ...check, details: { problem_type: 'check_not_ok' } }], disposition: null });
		const decided = problemEpisode([check, { id: 2, type: 'disposition', note: 'resend' }, { id: 3, type: 'check', result: 'ok' }]);
		expect(decided?.disposition?.id).toBe(2);
		expect(decided?.problems.map((p) => p.id)).toEqual([1]);
	});
});
