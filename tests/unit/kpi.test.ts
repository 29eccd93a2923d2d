// Pure parts of the indicators and the work queue: options, labels, number and clock formats.
import { describe, expect, it } from 'vitest';
import { parseKpiOptions, ratio, round2 } from '../../extensions/customer-processes/src/domain/kpi/filters';
import { clockOf, formatDuration, formatValue, langOf } from '../../extensions/customer-processes/src/domain/kpi/format';
import { causeLabel, departmentLabel, kindLabel, KPI_KEYS, KPIS, routeLabel } from '../../extensions/customer-processes/src/domain/kpi/definitions';
import { periodRange } from '../../extensions/customer-processes/src/panels/cp-kpi/period';
import { DomainError } from '../../extensions/customer-processes/src/domain/errors';

const DEPTS = ['sales', 'quality', 'production'];

function refused(fn: () => unknown): DomainError {
	try {
		fn();
	} catch (e) {
		expect(e).toBeInstanceOf(DomainError);
		return e as DomainError;
	}
	throw new Error('not refused');
}

describe('X-4 indicator options', () => {
	it('X-4 reads from/to as local days of the company zone, to included', () => {
		const o = parseKpiOptions({ from: '2026-01-01', to: '2026-03-31', customer: 'C-1001', department: 'sales' }, DEPTS, 'Asia/Shanghai');
		expect(o.from).toBe('2026-01-01');
		expect(o.fromInstant!.toISOString()).toBe('2025-12-31T16:00:00.000Z');
		expect(o.toInstant!.toISOString()).toBe('2026-03-31T16:00:00.000Z');
		expect(o.customer).toBe('C-1001');
		expect(o.department).toBe('sales');
		expect(parseKpiOptions({}, DEPTS)).toMatchObject({ from: null, to: null, fromInstant: null, toInstant: null, customer: null, department: null });
	});

	it('X-4 refuses bad options naming the field', () => {
		expect(refused(() => parseKpiOptions({ from: '2026-02-30' }, DEPTS)).field).toBe('from');
		expect(refused(() => parseKpiOptions({ to: ['2026-01-01'] }, DEPTS)).field).toBe('to');
		expect(refused(() => parseKpiOptions({ from: '2026-05-01', to: '2026-04-30' }, DEPTS)).field).toBe('to');
		expect(refused(() => parseKpiOptions({ department: 'marketing' }, DEPTS)).field).toBe('department');
		expect(refused(() => parseKpiOptions({ customer: "a' or 1=1" }, DEPTS)).field).toBe('customer');
		expect(refused(() => parseKpiOptions({ customer: 'x'.repeat(65) }, DEPTS)).code).toBe('CP_INVALID_VALUE');
	});

	it('X-4 rounds aggregates and divides safely', () => {
		expect(round2('30.004')).toBe(30);
		expect(round2(null)).toBeNull();
		expect(round2('abc')).toBeNull();
		expect(ratio(1, 3)).toBe(0.3333);
		expect(ratio(0, 0)).toBeNull();
	});
});

describe('X-4 definitions and labels', () => {
	it('X-4 every indicator has bilingual title, note and columns, and names the collections it reads', () => {
		expect(KPI_KEYS).toHaveLength(10);
		for (const k of KPI_KEYS) {
			const d = KPIS[k];
			expect(d.key).toBe(k);
			for (const b of [d.title, d.note, ...d.columns]) {
				expect(b.en, k).toBeTruthy();
				expect(b.zh, k).toMatch(/[\u4e00-\u9fff]/);
			}
			expect(d.collections.length, k).toBeGreaterThan(0);
			expect(
				d.collections.every((c) => c.startsWith('cp_')),
				k,
			).toBe(true);
		}
	});

	it('X-4 labels routes, departments, causes and kinds in both languages', () => {
		expect(routeLabel('special+major')).toEqual({ en: 'Special + GM approval', zh: '特殊+总经理批准' });
		expect(routeLabel('regular')).toEqual({ en: 'Regular', zh: '常规' });
		expect(routeLabel('custom_route')).toEqual({ en: 'custom_route', zh: 'custom_route' });
		expect(departmentLabel('quality')).toEqual({ en: 'Quality', zh: '质量部' });
		expect(departmentLabel(null).zh).toBe('未指定');
		expect(causeLabel(null)).toEqual({ en: 'Not yet analysed', zh: '尚未分析' });
		expect(kindLabel('tooling')).toEqual({ en: 'Tooling', zh: '工装/模具' });
		expect(kindLabel('intellectual_property')).toEqual({ en: 'Intellectual property', zh: '知识产权' });
	});
});

describe('how numbers and clocks are shown', () => {
	it('formats counts, hours, rates and scores', () => {
		expect(formatValue(3, 'count')).toBe('3');
		expect(formatValue(31.5, 'hours')).toBe('31.5');
		expect(formatValue(0.5, 'percent')).toBe('50.0%');
		expect(formatValue(70.5, 'score')).toBe('70.5');
		expect(formatValue(null, 'percent')).toBe('–');
		expect(langOf('zh-CN')).toBe('zh');
		expect(langOf('en-US')).toBe('en');
		expect(langOf(null)).toBe('en');
	});

	it('CP-4 shows the deadline clock as time left, overdue by, or paused', () => {
		const now = Date.parse('2026-11-27T10:00:00Z');
		expect(clockOf('2026-11-29T13:30:00Z', now, 'en')).toEqual({ state: 'left', text: '2 d 3 h left' });
		expect(clockOf('2026-11-29T13:30:00Z', now, 'zh')).toEqual({ state: 'left', text: '剩余 2天3小时' });
		expect(clockOf('2026-11-27T07:40:00Z', now, 'en')).toEqual({ state: 'overdue', text: 'overdue by 2 h 20 min' });
		expect(clockOf('2026-11-27T09:55:00Z', now, 'zh')).toEqual({ state: 'overdue', text: '已超期 5分钟' });
		expect(clockOf(null, now, 'en', true)).toEqual({ state: 'paused', text: 'clock paused' });
		expect(clockOf(null, now, 'en')).toEqual({ state: 'none', text: '' });
		expect(formatDuration(3 * 86_400_000, 'en')).toBe('3 d');
	});

	it('turns the panel period choice into from/to', () => {
		const now = new Date(2026, 10, 27, 15, 0);
		expect(periodRange('all', null, null, now)).toEqual({});
		expect(periodRange('30d', null, null, now)).toEqual({ from: '2026-10-29', to: '2026-11-27' });
		expect(periodRange('year', null, null, now)).toEqual({ from: '2026-01-01', to: '2026-11-27' });
		expect(periodRange('custom', '2026-01-01', null, now)).toEqual({ from: '2026-01-01' });
	});
});
