// the write policy of each collection, with worked examples from the procedures.
import { describe, expect, it } from 'vitest';
import { POLICIES, planCorrection, writeRefusal } from '../../extensions/customer-processes/src/domain/policy';
import { FIELD_LABELS } from '../../extensions/customer-processes/src/domain/policy/labels.generated';
import { labelTable } from '../../scripts/labels-generate.mjs';

const sales = { departments: ['sales'], isAdmin: false, system: false };
const quality = { departments: ['quality'], isAdmin: false, system: false };
const production = { departments: ['production'], isAdmin: false, system: false };
const admin = { departments: [], isAdmin: true, system: false };
const engine = { departments: [], isAdmin: true, system: true };

const refusal = (collection: string, row: Record<string, unknown> | null, payload: Record<string, unknown>, writer = sales, records = 1) =>
	writeRefusal(POLICIES[collection]!, { row, payload, writer, records })?.code ?? null;

describe('X-5 write policy', () => {
	it('a status change, a signature or a stamp goes one record at a time; a note may go to several', () => {
		const draft = { id: 'c1', status: 'draft', title: 'Boxes' };
		expect(refusal('cp_contracts', draft, { status: 'in_review' }, sales, 2)).toBe('CP_ONE_AT_A_TIME');
		expect(refusal('cp_contracts', draft, { notes: 'call back' }, sales, 2)).toBeNull();
		expect(refusal('cp_review_lines', { decision: 'pending', department: 'sales' }, { decision: 'approved' }, sales, 2)).toBe('CP_ONE_AT_A_TIME');
	});

	it('CR-4: only the line’s department writes its opinion; a signed line stays as signed', () => {
		const line = { decision: 'pending', department: 'production' };
		expect(refusal('cp_review_lines', line, { opinion: 'capacity ok' }, sales)).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(refusal('cp_review_lines', line, { opinion: 'capacity ok' }, production)).toBeNull();
		expect(refusal('cp_review_lines', { ...line, decision: 'approved' }, { opinion: 'changed my mind' }, production)).toBe('CP_LINE_ALREADY_SIGNED');
		expect(refusal('cp_review_lines', line, { department: 'sales' }, admin)).toBe('CP_SYSTEM_ONLY');
	});

	it('CR-5: the problem is the raising department’s text; Sales writes the resolution; a closed item is evidence', () => {
		const item = { status: 'open', raised_by_department: 'quality', problem: 'tolerance unclear' };
		expect(refusal('cp_discrepancies', item, { problem: 'nothing wrong' }, production)).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(refusal('cp_discrepancies', item, { problem: 'tolerance ±0.1 unclear' }, quality)).toBeNull();
		expect(refusal('cp_discrepancies', item, { resolution: 'customer confirmed ±0.1' }, quality)).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(refusal('cp_discrepancies', item, { resolution: 'customer confirmed ±0.1' }, sales)).toBeNull();
		expect(refusal('cp_discrepancies', { ...item, status: 'closed' }, { resolution: 'rewritten' }, sales)).toBe('CP_RECORD_FROZEN');
	});

	it('CP-4, X-5: the receipt time is fixed at intake; a closed complaint does not change, an unchanged value is no write', () => {
		const closed = { status: 'closed', response_content: 'We replaced the batch', received_at: '2026-03-02T01:00:00.000Z' };
		expect(refusal('cp_complaints', { ...closed, status: 'received' }, { received_at: '2026-03-01T01:00:00.000Z' })).toBe('CP_CHANGE_NOT_ALLOWED');
		expect(refusal('cp_complaints', closed, { response_content: 'We apologised' }, quality)).toBe('CP_RECORD_FROZEN');
		expect(refusal('cp_complaints', closed, { response_content: 'We replaced the batch' }, quality)).toBeNull();
		expect(refusal('cp_complaints', { status: 'investigating' }, { root_cause: 'glue' }, sales)).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(refusal('cp_complaints', { status: 'investigating' }, { pauses: '[]' }, admin)).toBe('CP_SYSTEM_ONLY');
		expect(refusal('cp_complaints', closed, { pauses: '[]' }, engine)).toBeNull();
	});

	it('CC-4: an answered survey’s score is evidence', () => {
		expect(refusal('cp_communications', { survey_status: 'answered', score: 80 }, { score: 95 }, quality)).toBe('CP_RECORD_FROZEN');
		expect(refusal('cp_communications', { survey_status: 'due', score: null }, { score: 95 }, sales)).toBeNull();
	});

	it('X-5: a correction keeps the original, the author’s department check and the reason', () => {
		const closed = { status: 'closed', response_content: 'We replaced the batch' };
		const plan = planCorrection(POLICIES.cp_complaints!, closed, 'response_content', 'We replaced batch 2026-03', 'batch number was missing', quality);
		expect(plan.update).toEqual({ response_content: 'We replaced batch 2026-03' });
		expect(plan.audit.data).toEqual({
			field: 'response_content',
			from: 'We replaced the batch',
			to: 'We replaced batch 2026-03',
			reason: 'batch number was missing',
		});
		expect(() => planCorrection(POLICIES.cp_complaints!, closed, 'response_content', 'x', '  ', quality)).toThrow(/reason/);
		expect(() => planCorrection(POLICIES.cp_complaints!, closed, 'response_content', 'x', 'typo', production)).toThrow(/质量部/);
		expect(() => planCorrection(POLICIES.cp_complaints!, { ...closed, status: 'action' }, 'response_content', 'x', 'typo', quality)).toThrow(/not closed/);
		expect(() => planCorrection(POLICIES.cp_complaints!, closed, 'pauses', '[]', 'typo', quality)).toThrow(/cannot be corrected/);
	});

	it('every cp_ collection has a policy and the field labels match the schema declaration', () => {
		expect(Object.keys(POLICIES).sort()).toEqual(Object.keys(labelTable()).sort());
		expect(FIELD_LABELS).toEqual(labelTable());
		for (const p of Object.values(POLICIES)) {
			for (const f of [...Object.keys(p.fields), ...p.batch, ...(p.correctable ?? [])])
				expect(FIELD_LABELS[p.collection]?.[f], `${p.collection}.${f}`).toBeDefined();
		}
	});
});
