// Automatic numbers (issue 12 point 7; CP-1 complaint numbers KF-YYYY-NNNN, PR-4 label codes):
// the pattern, its scope per period and the counter. Worked examples, not the implementation's tables.
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_PATTERNS,
	formatNumber,
	parsePattern,
	patternOf,
	patternProblem,
	planNumber,
	scopeOf,
	sequenceOf,
} from '../../extensions/customer-processes/src/domain/numbering';
import { validateSettingsChange } from '../../extensions/customer-processes/src/domain/settings';

const ZONE = 'Asia/Shanghai';

describe('number patterns (issue 12 point 7)', () => {
	it('CP-1 numbers complaints KF-<year>-<4 digits> by default, counting per year of receipt in the company zone', () => {
		expect(DEFAULT_PATTERNS.complaint).toBe('KF-{YYYY}-{####}');
		// 2025-12-31 17:00 UTC is already 2026-01-01 01:00 in Shanghai.
		const scope = scopeOf('complaint', patternOf({}, 'complaint'), new Date('2025-12-31T17:00:00Z'), ZONE);
		expect(formatNumber(scope, 1)).toBe('KF-2026-0001');
		expect(formatNumber(scope, 12345)).toBe('KF-2026-12345');
		const before = scopeOf('complaint', patternOf({}, 'complaint'), new Date('2025-12-31T15:00:00Z'), ZONE);
		expect(before.key).not.toBe(scope.key);
		expect(formatNumber(before, 7)).toBe('KF-2025-0007');
	});

	it('issue 12.7 takes the company pattern from the settings: month, two-digit year, a suffix', () => {
		const p = patternOf({ contract_number_pattern: 'HT{YY}{MM}-{###}/S' }, 'contract');
		const scope = scopeOf('contract', p, new Date('2026-03-10T02:00:00Z'), ZONE);
		expect(planNumber(scope, 0, null)).toEqual({ code: 'HT2603-001/S', counter: 1 });
		expect(planNumber(scope, 41, '')).toEqual({ code: 'HT2603-042/S', counter: 42 });
		// A scope without a date part never resets.
		const labels = scopeOf('property', patternOf({ property_number_pattern: 'GP-{######}' }, 'property'), new Date(), ZONE);
		expect(planNumber(labels, 99, undefined).code).toBe('GP-000100');
	});

	it('issue 12.7 keeps a typed number of an imported record and moves the counter past it', () => {
		const scope = scopeOf('complaint', patternOf({}, 'complaint'), new Date('2026-05-01T00:00:00Z'), ZONE);
		expect(planNumber(scope, 3, 'KF-2026-0120')).toEqual({ code: 'KF-2026-0120', counter: 120 });
		// Below the counter, or outside the scope: kept, counter unchanged.
		expect(planNumber(scope, 130, 'KF-2026-0120')).toEqual({ code: 'KF-2026-0120', counter: 130 });
		expect(planNumber(scope, 3, 'OLD/88')).toEqual({ code: 'OLD/88', counter: 3 });
		expect(sequenceOf(scope, 'KF-2025-0009')).toBeNull();
		expect(sequenceOf(scope, 'KF-2026-12a')).toBeNull();
	});

	it('issue 12.7 refuses a pattern without exactly one sequence part, with spaces or unknown parts', () => {
		for (const bad of ['KF-{YYYY}', 'KF-{##}-{##}', 'KF {####}', 'KF-{YEAR}-{####}', '', 'X'.repeat(41) + '{#}', 42]) {
			expect(patternProblem(bad), String(bad)).not.toBeNull();
		}
		expect(() => parsePattern('KF-{YYYY}', 'complaint_number_pattern')).toThrow(/sequence/);
		expect(patternProblem('客诉-{YYYY}-{####}')).toBeNull();
		const refused = (() => {
			try {
				validateSettingsChange({ complaint_number_pattern: 'KF-{YYYY}' }, { roleIds: [] });
			} catch (e) {
				return e as any;
			}
		})();
		expect(refused?.code).toBe('CP_INVALID_VALUE');
		expect(refused?.field).toBe('complaint_number_pattern');
		expect(() => validateSettingsChange({ complaint_number_pattern: null, number_counters: { 'complaint:KF-2026-#': 3 } }, { roleIds: [] })).not.toThrow();
		expect(() => validateSettingsChange({ number_counters: { x: -1 } }, { roleIds: [] })).toThrow();
	});
});
