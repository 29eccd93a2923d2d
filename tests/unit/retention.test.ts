// CR-17, X-3: records are kept for the retention period counted from when they are closed.
// Worked examples: retention 3 years, checked on 2026-12-01.
import { describe, expect, it } from 'vitest';
import { deletionRefusal, laterClosure } from '../../extensions/customer-processes/src/domain/records';

const NOW = new Date('2026-12-01T08:00:00Z');
const d = (s: string) => new Date(`${s}T08:00:00Z`);

describe('CR-17 retention from closure (X-3)', () => {
	it('CR-17: a contract created 2021-01-10 and completed 2025-06-01 is kept until 2028-06-01, so not deletable on 2026-12-01', () => {
		const refusal = deletionRefusal(
			{ collection: 'cp_contracts', createdAt: d('2021-01-10'), closedAt: d('2025-06-01'), contractStatus: 'completed', reviewRound: 1 },
			NOW,
			3,
		);
		expect(refusal).toContain('2028-06-01');
		expect(refusal).toMatch(/保存至 2028-06-01/);
		// ... and deletable from 2028-06-01 on.
		expect(deletionRefusal({ collection: 'cp_contracts', createdAt: d('2021-01-10'), closedAt: d('2025-06-01') }, d('2028-06-01'), 3)).toBeNull();
		expect(deletionRefusal({ collection: 'cp_contracts', createdAt: d('2021-01-10'), closedAt: d('2025-06-01') }, d('2028-05-31'), 3)).toContain('2028-06-01');
	});

	it('CR-17: a complaint closed 2022-11-30 is deletable on 2026-12-01 with 3-year retention (kept until 2025-11-30)', () => {
		expect(deletionRefusal({ collection: 'cp_complaints', createdAt: d('2022-10-01'), closedAt: d('2022-11-30') }, NOW, 3)).toBeNull();
		// With a 5-year retention it is kept until 2027-11-30.
		expect(deletionRefusal({ collection: 'cp_complaints', createdAt: d('2022-10-01'), closedAt: d('2022-11-30') }, NOW, 5)).toContain('2027-11-30');
	});

	it('CR-17: a contract in production since 2020 is never past retention (not closed)', () => {
		for (const now of [NOW, d('2040-01-01')]) {
			const refusal = deletionRefusal(
				{ collection: 'cp_contracts', createdAt: d('2020-03-01'), closedAt: null, contractStatus: 'in_production', reviewRound: 1 },
				now,
				3,
			);
			expect(refusal).toMatch(/not closed/);
			expect(refusal).toMatch(/尚未关闭/);
		}
	});

	it('CR-17: a contract line follows its contract; an unused draft and its lines may still be deleted', () => {
		expect(
			deletionRefusal({ collection: 'cp_contract_lines', createdAt: d('2020-03-01'), closedAt: null, contractStatus: 'in_production', reviewRound: 1 }, NOW, 3),
		).toBeTruthy();
		expect(
			deletionRefusal({ collection: 'cp_contract_lines', createdAt: d('2020-03-01'), closedAt: null, contractStatus: 'draft', reviewRound: 0 }, NOW, 3),
		).toBeNull();
		expect(deletionRefusal({ collection: 'cp_contracts', createdAt: NOW, closedAt: null, contractStatus: 'draft', reviewRound: null }, NOW, 3)).toBeNull();
	});

	it('CR-17: a corrective action verified 2023-01-10 whose complaint closed 2024-02-01 is kept until 2027-02-01 (the later closure)', () => {
		const closedAt = laterClosure(d('2023-01-10'), d('2024-02-01'));
		expect(deletionRefusal({ collection: 'cp_actions', createdAt: d('2022-12-01'), closedAt }, NOW, 3)).toContain('2027-02-01');
		expect(laterClosure(null, null)).toBeNull();
		expect(laterClosure(d('2023-01-10'), null)).toEqual(d('2023-01-10'));
	});

	it('CR-17: a customer named by retained records is kept; an unreferenced one may be deleted', () => {
		expect(deletionRefusal({ collection: 'cp_customers', createdAt: d('2015-01-01'), references: 2 }, NOW, 3)).toBeTruthy();
		expect(deletionRefusal({ collection: 'cp_customers', createdAt: NOW, references: 0 }, NOW, 3)).toBeNull();
	});

	it('X-3: the audit trail is never deleted', () => {
		expect(deletionRefusal({ collection: 'cp_audit', createdAt: d('2000-01-01'), closedAt: d('2000-01-01') }, NOW, 3)).toBeTruthy();
	});
});
