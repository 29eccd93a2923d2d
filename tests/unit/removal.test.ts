// Issue 13: the pieces of `remove` that need no Directus: the order the cp_ tables are dropped in
// (a table only after every table that links to it, the audit trail first), the CSV of an export
// (a spreadsheet reads it as UTF-8 and never runs a value as a formula) and the evidence pack's
// period of "all time" (from before the earliest record to after today, in any time zone).
import { describe, expect, it } from 'vitest';
import { allTime, dropOrder, toCsv } from '../../scripts/remove.mjs';

describe('remove (issue 13)', () => {
	it('drops a table only after the tables linking to it, cp_audit first (X-3)', () => {
		const relations = [
			{ collection: 'cp_contracts', related_collection: 'cp_customers' },
			{ collection: 'cp_review_lines', related_collection: 'cp_contracts' },
			{ collection: 'cp_audit', related_collection: 'directus_users' },
			{ collection: 'cp_customers', related_collection: 'customers' },
			{ collection: 'cp_contracts', related_collection: 'cp_contracts' },
		];
		expect(dropOrder(['cp_customers', 'cp_contracts', 'cp_review_lines', 'cp_audit'], relations)).toEqual([
			'cp_audit',
			'cp_review_lines',
			'cp_contracts',
			'cp_customers',
		]);
	});

	it('writes a CSV with a BOM, a header, quoted separators and quotes, JSON for structures and formulas quoted', () => {
		const csv = toCsv(['code', 'summary', 'pauses', 'score'], [{ code: 'KF-1', summary: '受潮, "damp"', pauses: [{ from: 'a' }], score: 5 }, { code: '=1+1' }]);
		expect(csv).toBe('\uFEFFcode,summary,pauses,score\r\nKF-1,"受潮, ""damp""","[{""from"":""a""}]",5\r\n\'=1+1,,,\r\n');
	});

	it('takes the evidence pack from the day before the earliest record to the day after today', () => {
		const now = Date.parse('2026-12-01T15:00:00Z');
		const rows = { cp_complaints: [{ received_at: '2024-03-05T01:00:00Z', date_created: '2026-01-01T00:00:00Z' }], cp_audit: [{ at: '2025-01-01T00:00:00Z' }] };
		expect(allTime(rows, now)).toEqual({ from: '2024-03-04', to: '2026-12-02' });
		expect(allTime({}, now)).toEqual({ from: '2026-11-30', to: '2026-12-02' });
	});
});
