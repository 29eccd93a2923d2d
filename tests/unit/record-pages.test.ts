// Issue #12: the record pages' structured inputs and next steps, without Directus.
import { describe, expect, it } from 'vitest';
import { collections, REQUIREMENT_CHOICES } from '../../scripts/schema/collections.mjs';
import { REQUIREMENT_CATEGORIES, REQUIREMENT_SOURCES } from '../../extensions/customer-processes/src/domain/contract-review/requirements';
import { formLinks, propertySteps, reviewLineSteps, statusSteps, taskNoticeSteps } from '../../extensions/customer-processes/src/domain/steps';

const field = (c: string, f: string) => collections.find((x: any) => x.collection === c)!.fields.find((x: any) => x.field === f)!;

describe('issue #12 structured inputs', () => {
	it('CR-1: the requirements are a repeater whose category and source choices are the ones the server accepts', () => {
		const meta = field('cp_contracts', 'requirements').meta;
		expect(meta.interface).toBe('list');
		const cols = Object.fromEntries(meta.options.fields.map((f: any) => [f.field, f]));
		expect(Object.keys(cols)).toEqual(['category', 'source', 'text']);
		expect(cols.category.meta.options.choices.map((c: any) => c.value)).toEqual([...REQUIREMENT_CATEGORIES]);
		expect(cols.source.meta.options.choices.map((c: any) => c.value)).toEqual([...REQUIREMENT_SOURCES]);
		expect(REQUIREMENT_CHOICES.category.map((c: any) => c[0])).toEqual(['quality', 'delivery', 'support']);
	});
	it('status fields are read-only on the forms; each record with steps has the panel', () => {
		for (const c of ['cp_contracts', 'cp_complaints', 'cp_actions', 'cp_discrepancies', 'cp_changes', 'cp_samples', 'cp_property']) {
			expect(field(c, 'status').meta.readonly, c).toBe(true);
			expect(field(c, 'next_steps').meta.interface, c).toBe('cp-steps');
		}
		expect(field('cp_review_lines', 'decision').meta.readonly).toBe(true);
	});
});

describe('issue #12 next steps come from the transition tables', () => {
	it('Doc 1 4.2.2: a draft contract is submitted for review or cancelled, nothing else', () => {
		expect(statusSteps('cp_contracts', { id: 'c1', status: 'draft' }).map((s) => s.key)).toEqual(['status:in_review', 'status:cancelled']);
		// CR-14: after signing no cancel, a two-party termination instead.
		expect(statusSteps('cp_contracts', { id: 'c1', status: 'signed' }).map((s) => s.key)).not.toContain('status:cancelled');
		expect(statusSteps('cp_contracts', { id: 'c1', status: 'completed' })).toEqual([]);
		expect(statusSteps('cp_contracts', { id: 'c1', status: 'draft' })[0]!.request).toEqual({
			method: 'PATCH',
			path: '/items/cp_contracts/c1',
			body: { status: 'in_review' },
		});
	});
	it('CR-3/CR-4: a pending line offers signing with the opinion and its own aspects, a signed one nothing', () => {
		const aspects = [{ key: 'capacity', en: 'Capacity', zh: '产能', checked: false }];
		const [sign, reject] = reviewLineSteps({ id: 'l1', department: 'production', decision: 'pending', checklist: JSON.stringify(aspects) });
		expect(sign!.request.body).toEqual({ decision: 'approved' });
		expect(sign!.inputs!.find((i) => i.type === 'checklist')!.value).toEqual(aspects);
		expect(reject!.request.body).toEqual({ decision: 'rejected' });
		expect(reviewLineSteps({ id: 'l1', department: 'production', decision: 'approved' })).toEqual([]);
	});
	it('CR-13: a notice is acknowledged once', () => {
		expect(taskNoticeSteps({ id: 'n1', department: 'production', acknowledged_at: null })).toHaveLength(1);
		expect(taskNoticeSteps({ id: 'n1', department: 'production', acknowledged_at: '2026-01-01' })).toEqual([]);
	});
	it('PR-3: an announced item can only be received; a returned one has no event left', () => {
		expect(propertySteps({ id: 'p1', status: 'expected' }).map((s) => s.key)).toEqual(['event:receipt']);
		expect(propertySteps({ id: 'p1', status: 'returned' })).toEqual([]);
		expect(formLinks('cp_property', { id: 'p1' }).map((l) => l.href)).toContain('/cp/property/p1/label');
	});
});
