// Automatic numbers for contracts, complaints and property labels (issue 12 point 7, CP-1, PR-4;
// issue 14: a counter on the locked settings row instead of reading existing numbers): numbered
// by the company's pattern, unique and gap-free per year under concurrent intakes, a refused
// create gives its number back, a typed number (imported record) is kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { database, http, ok, uid } from '../harness/client';

const ZONE = 'Asia/Shanghai';
let customer: string;
let saved: Record<string, unknown>;
const PATTERNS = ['contract_number_pattern', 'complaint_number_pattern', 'property_number_pattern'];

beforeAll(async () => {
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: '编号测试顾客 Numbering customer' })).id;
	const s = await ok('admin', 'GET', `/items/cp_settings?fields=${PATTERNS.join(',')}`);
	saved = Object.fromEntries(PATTERNS.map((f) => [f, s[f] ?? null]));
});
afterAll(async () => {
	await ok('admin', 'PATCH', '/items/cp_settings', saved);
});

const contract = (over: Record<string, unknown> = {}) =>
	http('sales', 'POST', '/items/cp_contracts', { title: '编号测试 Numbering', kind: 'contract', channel: 'written', class: 'regular', customer, ...over });

describe('automatic numbers (issue 12 point 7)', () => {
	it('issue 12.7 numbers a contract left without a number by the pattern set in Process settings; a refused create gives its number back', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { contract_number_pattern: 'HTN-{YYYY}-{###}' });
		const year = DateTime.now().setZone(ZONE).year;
		const first = await contract();
		expect(first.status).toBe(200);
		expect(first.body.data.code).toBe(`HTN-${year}-001`);
		// Refused by the contract's own check after it was numbered: the transaction rolls back the counter.
		const refused = await contract({ customer: '00000000-0000-4000-8000-000000000000' });
		expect(refused.status).toBe(400);
		expect((await contract()).body.data.code).toBe(`HTN-${year}-002`);
		// A typed number of an imported record is kept, and the counter moves past it.
		expect((await contract({ code: `HTN-${year}-050` })).body.data.code).toBe(`HTN-${year}-050`);
		expect((await contract({ code: 'ALT-2019-7' })).body.data.code).toBe('ALT-2019-7');
		expect((await contract()).body.data.code).toBe(`HTN-${year}-051`);
	});

	it('issue 12.7 refuses a pattern without one sequence part, naming the field', async () => {
		const r = await http('admin', 'PATCH', '/items/cp_settings', { complaint_number_pattern: 'KF-{YYYY}' });
		expect(r.status).toBe(400);
		expect(r.code).toBe('CP_INVALID_VALUE');
		expect(r.body.errors[0].extensions.field).toBe('complaint_number_pattern');
		expect(r.body.errors[0].message).toContain('顾客反馈编号规则');
	});

	it('CP-1 numbers 16 concurrent intakes of one year KF-<year>-0001..0016: unique and without gaps; an import keeps its number', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { complaint_number_pattern: null });
		// Received in 2011 (no other test uses that year): the year of receipt counts, not today's.
		const at = (i: number) => new Date(Date.UTC(2011, 5, 1, 2, i)).toISOString();
		const results = await Promise.all(
			Array.from({ length: 16 }, (_, i) =>
				ok('sales', 'POST', '/items/cp_complaints', { customer, channel: 'phone', summary: uid('并发 Concurrent'), received_at: at(i) }),
			),
		);
		const codes = results.map((c: any) => c.code).sort();
		expect(codes).toEqual(Array.from({ length: 16 }, (_, i) => `KF-2011-${String(i + 1).padStart(4, '0')}`));
		const imported = await ok('sales', 'POST', '/items/cp_complaints', {
			customer,
			channel: 'phone',
			summary: uid('导入 Import'),
			received_at: at(30),
			code: 'KF-2011-0100',
		});
		expect(imported.code).toBe('KF-2011-0100');
		const next = await ok('sales', 'POST', '/items/cp_complaints', { customer, channel: 'phone', summary: uid('之后 After'), received_at: at(31) });
		expect(next.code).toBe('KF-2011-0101');
	});

	it('PR-4/issue 12.7 gives a property item left without a label code the label pattern (GP-<year>-NNNN by default)', async () => {
		await ok('admin', 'PATCH', '/items/cp_settings', { property_number_pattern: null });
		const body = {
			name: '纸箱模切版 Die board',
			kind: 'tooling',
			customer,
			serial_no: uid('SN'),
			quantity: 1,
			unit: '套',
			scope: '顾客提供,我方保管 Kept by us',
		};
		const a = await ok('warehouse', 'POST', '/items/cp_property', body);
		const b = await ok('warehouse', 'POST', '/items/cp_property', { ...body, serial_no: uid('SN') });
		const year = DateTime.now().setZone(ZONE).year;
		expect(a.code).toMatch(new RegExp(`^GP-${year}-\\d{4}$`));
		expect(Number(b.code.slice(-4))).toBe(Number(a.code.slice(-4)) + 1);
		// The counter lives on the settings row, not in a read of every label.
		const counters = (await database()('cp_settings').first('number_counters')).number_counters;
		const parsed = typeof counters === 'string' ? JSON.parse(counters) : counters;
		expect(parsed[`property:GP-${year}-#`]).toBe(Number(b.code.slice(-4)));
	});
});
