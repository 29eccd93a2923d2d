// Issue 14: the evidence pack reads its forms in batches (services/forms.ts reviewForms etc.).
// Each batched form must be what the single read (the printable route's) gives, and a record
// the batch cannot complete (here: its customer not readable) must fail as the single read does.
import { describe, expect, it } from 'vitest';
import { formReader } from '../../extensions/customer-processes/src/services/forms';

type Row = Record<string, any>;

const DATA: Record<string, Row[]> = {
	cp_customers: [
		{ id: 1, code: 'C1', name: '甲公司', contact_person: '张', phone: '1' },
		{ id: 2, code: 'C2', name: '乙公司', contact_person: '李', phone: '2' },
	],
	cp_contracts: [
		{ id: 10, code: 'HT-10', title: 'A', customer: 1 },
		{ id: 11, code: 'HT-11', title: 'B', customer: 1 },
		{ id: 12, code: 'HT-12', title: 'C', customer: 2 },
	],
	cp_contract_lines: [
		{ id: 100, contract: 10, line_no: 2 },
		{ id: 101, contract: 10, line_no: 1 },
		{ id: 102, contract: 12, line_no: 1 },
	],
	cp_review_lines: [
		{ id: 200, contract: 10, round: 1, date_created: '2026-07-01', department: 'sales' },
		{ id: 201, contract: 10, round: 1, date_created: '2026-07-01', department: 'production' },
		{ id: 202, contract: 11, round: 2, date_created: '2026-07-02', department: 'quality' },
	],
	cp_discrepancies: [{ id: 300, contract: 10, date_created: '2026-07-03' }],
	cp_changes: [{ id: 400, contract: 12, date_created: '2026-07-04' }],
	cp_complaints: [
		{ id: 500, code: 'KF-1', customer: 1, contract: 10 },
		{ id: 501, code: 'KF-2', customer: 2, contract: null },
		{ id: 502, code: 'KF-3', customer: null, contract: 12 },
	],
	cp_actions: [
		{ id: 600, source_collection: 'cp_complaints', source_id: '500', title: 'x', due_at: '2026-08-02' },
		{ id: 601, source_collection: 'cp_complaints', source_id: '500', title: 'y', due_at: '2026-08-01' },
		{ id: 602, source_collection: 'cp_contracts', source_id: '500', title: 'z', due_at: '2026-08-01' },
	],
	cp_audit: [
		{ id: 1, collection: 'cp_contracts', item: '10', action: 'create' },
		{ id: 2, collection: 'cp_complaints', item: '500', action: 'create' },
		{ id: 3, collection: 'cp_contracts', item: '11', action: 'update' },
		{ id: 4, collection: 'cp_discrepancies', item: '300', action: 'create' },
		{ id: 5, collection: 'cp_changes', item: '400', action: 'create' },
		{ id: 6, collection: 'cp_complaints', item: '500', action: 'investigating' },
	],
};

const match = (row: Row, f: Row): boolean =>
	Object.entries(f).every(([k, v]) => {
		if (k === '_and') return (v as Row[]).every((g) => match(row, g));
		if ('_eq' in v) return row[k] === v._eq;
		if ('_in' in v) return (v._in as unknown[]).includes(row[k]);
		throw new Error(`filter ${k}`);
	});

/** ItemsService over DATA: filter, sort, fields; rows of `hidden` are not readable (readOne: Forbidden). */
function services(hidden: Record<string, unknown[]>, calls: string[]) {
	return {
		ItemsService: class {
			constructor(private collection: string) {}
			async readByQuery(q: { filter: Row; fields: string[]; sort: string[] }) {
				calls.push(this.collection);
				const rows = (DATA[this.collection] ?? []).filter((r) => !(hidden[this.collection] ?? []).includes(r.id) && match(r, q.filter ?? {}));
				const sort = q.sort ?? [];
				rows.sort((a, b) => {
					for (const s of sort) if (a[s] !== b[s]) return a[s] < b[s] ? -1 : 1;
					return 0;
				});
				const plain = q.fields.filter((f) => !f.includes('.'));
				const related = q.fields.filter((f) => f.includes('.')).map((f) => f.split('.')[0]!);
				return rows.map((r) =>
					q.fields.includes('*') ? { ...r } : Object.fromEntries(Object.entries(r).filter(([k]) => plain.includes(k) || related.includes(k))),
				);
			}
			async readOne(id: unknown, q: { fields: string[] }) {
				const [row] = await this.readByQuery({ filter: { id: { _eq: id } }, fields: q.fields, sort: [] });
				if (!row) throw new Error(`You don't have permission to access this (${this.collection} ${String(id)})`);
				return row;
			}
		},
	};
}

const database: any = () => ({ first: async () => ({ company_name: '示例', calendar: { zone: 'Asia/Shanghai' }, departments: { sales: {} } }) });

function reader(hidden: Record<string, unknown[]> = {}) {
	const calls: string[] = [];
	const r = formReader({ database, services: services(hidden, calls), getSchema: async () => ({ collections: {} }) }, null);
	return { r, calls };
}

const single = async (f: (id: unknown) => Promise<unknown>, ids: unknown[]) => Promise.all(ids.map((id) => f(id).catch((e: Error) => new Error(e.message))));

describe('issue 14 evidence pack: batched form reads equal the single reads (X-1)', () => {
	it('review forms, discrepancy forms, change notices, complaint forms: same data, few reads', async () => {
		const { r, calls } = reader();
		const ids = [10, 11, 12];
		calls.length = 0;
		const batch = await r.reviewForms(ids);
		expect(calls.length).toBe(5); // contracts, lines, review lines, discrepancies, trail: for the three
		expect(batch).toEqual(await single((id) => r.reviewForm(id), ids));
		expect(await r.discrepancyForms([300])).toEqual(await single((id) => r.discrepancyForm(id), [300]));
		expect(await r.changeNotices([400])).toEqual(await single((id) => r.changeNotice(id), [400]));
		expect(await r.complaintForms([500, 501, 502])).toEqual(await single((id) => r.complaintForm(id), [500, 501, 502]));
	});

	it('a record the batch cannot complete fails as its single read does; the others are unchanged', async () => {
		const { r } = reader({ cp_customers: [2], cp_contracts: [11] });
		const complaints = await r.complaintForms([500, 501, 502]);
		expect(complaints).toEqual(await single((id) => r.complaintForm(id), [500, 501, 502]));
		expect(complaints[1]).toBeInstanceOf(Error);
		expect((complaints[1] as Error).message).toContain('cp_customers 2');
		expect(complaints[0]).not.toBeInstanceOf(Error);
		const reviews = await r.reviewForms([10, 11, 99]);
		expect(reviews).toEqual(await single((id) => r.reviewForm(id), [10, 11, 99]));
		expect(reviews.map((x) => x instanceof Error)).toEqual([false, true, true]);
	});
});
