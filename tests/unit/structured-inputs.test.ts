// Issue #12: the complaint's 8D record and the survey's answers as structured inputs, without Directus.
import { describe, expect, it } from 'vitest';
import { collections } from '../../scripts/schema/collections.mjs';
import { EIGHT_D_SECTIONS, parseEightD, readEightD } from '../../extensions/customer-processes/src/domain/complaints/eight-d';
import { assertFieldValues } from '../../extensions/customer-processes/src/domain/policy/values';
import { localizeMessage } from '../../extensions/customer-processes/src/domain/error-text';
import { DEFAULT_SURVEY_TEMPLATE, scoreSurvey } from '../../extensions/customer-processes/src/domain/communication/communication';
import { propertySteps } from '../../extensions/customer-processes/src/domain/steps';
import { POLICIES, writeRefusal } from '../../extensions/customer-processes/src/domain/policy';
import { MIGRATIONS } from '../../scripts/migrations/steps.mjs';
import { catchError } from './catch-error';

const field = (c: string, f: string) => collections.find((x: any) => x.collection === c)!.fields.find((x: any) => x.field === f)!;

describe('CP-2 the 8D record in sections D1-D8 (issue #12)', () => {
	it('has the eight disciplines in order, each labelled and explained in both languages', () => {
		expect(EIGHT_D_SECTIONS.map((s) => `${s.key} ${s.en}`)).toEqual([
			'd1 Team',
			'd2 Problem description',
			'd3 Containment',
			'd4 Root cause',
			'd5 Corrective action',
			'd6 Verification of effectiveness',
			'd7 Prevention',
			'd8 Recognition',
		]);
		expect(EIGHT_D_SECTIONS.map((s) => s.zh)).toEqual(['成立小组', '问题描述', '临时措施', '根本原因', '纠正措施', '效果验证', '预防再发生', '总结与表彰']);
		for (const s of EIGHT_D_SECTIONS) expect(s.help.en && s.help.zh, s.key).toBeTruthy();
	});

	it('keeps the sections that are filled in, trimmed; an empty record is {}', () => {
		expect(parseEightD({ d4: ' 套色系统未校准 ', d5: '校准并首检', d6: '' })).toEqual({ d4: '套色系统未校准', d5: '校准并首检' });
		expect(parseEightD('{"d1":"质量部、生产部"}')).toEqual({ d1: '质量部、生产部' });
		expect(parseEightD(null)).toEqual({});
		expect(parseEightD({ d2: null })).toEqual({});
	});

	it('refuses what the sections cannot hold, naming the field and the section by their labels in the user language', () => {
		const bad = catchError(() => parseEightD({ d4: 42 }));
		expect([bad.code, bad.field]).toEqual(['CP_INVALID_VALUE', 'eight_d']);
		expect(localizeMessage(bad.message, 'zh', { collection: 'cp_complaints' })).toBe('8D 报告「D4 根本原因」须为文字');
		expect(localizeMessage(bad.message, 'en', { collection: 'cp_complaints' })).toBe('8D record, D4 (Root cause) must be text');
		const long = catchError(() => parseEightD({ d7: 'x'.repeat(10_001) }));
		expect(localizeMessage(long.message, 'en')).toBe('8D record, D7 (Prevention) must be at most 10000 characters');
		const unknown = catchError(() => parseEightD({ team: ['质量部'] }));
		expect(localizeMessage(unknown.message, 'zh')).toBe('8D 报告没有「team」这一项，只有 D1 至 D8');
		expect(localizeMessage(unknown.message, 'en')).toBe('8D record has no section team, only D1 to D8');
		for (const v of [['d1'], 'not json', 7])
			expect(localizeMessage(catchError(() => parseEightD(v)).message, 'en')).toBe('8D record is filled in by its sections D1 to D8');
	});

	it('an earlier record shows in its sections, and once saved it is sections only', () => {
		const earlier = { team: ['质量部', '生产部'], containment: '库存同批次纸箱隔离复检', d4: '烘干温度偏低' };
		expect(readEightD(earlier)).toEqual({ d1: '质量部、生产部', d3: '库存同批次纸箱隔离复检', d4: '烘干温度偏低' });
		expect(readEightD(JSON.stringify(earlier))).toEqual(readEightD(earlier));
		expect(parseEightD(readEightD(earlier))).toEqual(readEightD(earlier));
		expect(readEightD('[1,2]')).toEqual({});
	});

	it('is checked by the generic write guard for the complaint, and only there', () => {
		expect(catchError(() => assertFieldValues('cp_complaints', { eight_d: { d9: 'x' } })).field).toBe('eight_d');
		expect(() => assertFieldValues('cp_complaints', { eight_d: { d3: '隔离库存' }, summary: 'x' })).not.toThrow();
		expect(() => assertFieldValues('cp_complaints', { summary: 'x' })).not.toThrow();
		expect(() => assertFieldValues('cp_contracts', { eight_d: { d9: 'x' } })).not.toThrow();
	});

	it('the form shows the bundle’s 8D input, and an existing install gets it on upgrade', () => {
		expect(field('cp_complaints', 'eight_d').meta.interface).toBe('cp-eight-d');
		expect(field('cp_communications', 'answers').meta.interface).toBe('cp-survey-answers');
		const refreshed = MIGRATIONS.flatMap((m: any) => m.refresh ?? []);
		expect(refreshed).toEqual(
			expect.arrayContaining(['cp_complaints.eight_d', 'cp_communications.answers', 'cp_actions.source_collection', 'cp_actions.source_id']),
		);
		// An action's source is recorded by the server (from Complaint, or the discrepancy's or problem's step): no collection name or id on the form.
		for (const f of ['source_collection', 'source_id']) expect(field('cp_actions', f).meta.hidden, f).toBe(true);
	});
});

describe('CC-4 survey answers typed in by staff (issue #12)', () => {
	it('a rating off the scale is refused naming the question by its label, not its key', () => {
		const all = { quality: 5, delivery: 4, service: 4, communication: 5, price: 3 };
		const e = catchError(() => scoreSurvey(DEFAULT_SURVEY_TEMPLATE, { ...all, delivery: 9 }, undefined));
		expect(localizeMessage(e.message, 'zh')).toBe('答卷「交货及时」须为 1 至 5 的整数评分');
		expect(localizeMessage(e.message, 'en')).toBe('Answers, On-time delivery must be a whole rating from 1 to 5');
		// 5, 4, 4, 5, 3 on five 1-5 questions: 21 / 25 = 84.
		expect(scoreSurvey(DEFAULT_SURVEY_TEMPLATE, { ...all, comment: '交货准时' }, undefined).score).toBe(84);
	});
});

describe('PR-2 PR-6 property steps speak the staff’s words (issue #12)', () => {
	it('the return is tried with the customer’s acknowledgement the user ticks; problem and decision choices are named', () => {
		const ret = propertySteps({ id: 'p1', status: 'in_store' }).find((s) => s.key === 'event:return')!;
		expect(ret.probe).toEqual({ 'details.customer_acknowledged': true });
		const problem = propertySteps({ id: 'p1', status: 'in_store' }).find((s) => s.key === 'event:problem')!;
		const texts = problem.inputs!.find((i) => i.name === 'details.problem_type')!.choices!.map((c) => c.text);
		expect(texts).toContain('损坏 Damaged');
		for (const t of texts) expect(t).not.toMatch(/_/);
	});
});

describe('CR-13 another department’s task notice says whose it is (issue #12)', () => {
	it('the acknowledgement is written by the notice’s own department, named in either language', () => {
		const e = writeRefusal(POLICIES.cp_task_notices!, {
			row: { id: 'n1', department: 'purchasing', acknowledged_at: null },
			payload: { acknowledged_at: '2026-12-01T10:00:00Z' },
			writer: { departments: ['production'], isAdmin: false, system: false },
			records: 1,
		})!;
		expect(e.code).toBe('CP_NOT_DEPARTMENT_MEMBER');
		expect(localizeMessage(e.message, 'en', { collection: 'cp_task_notices' })).toBe('Acknowledged at: written by the department it belongs to (Purchasing)');
		expect(localizeMessage(e.message, 'zh', { collection: 'cp_task_notices' })).toBe('签收时间：由所属部门（采购部）填写');
	});
});
