// One catalogue of departments and choices: the generated schema snapshot, the roles
// seed and the domain's lists all say what src/domain/catalogue.ts says, so a value or a label
// cannot be added in one place and forgotten in another.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, DEPARTMENTS, type Choice } from '../../extensions/customer-processes/src/domain/catalogue';
import { DEPARTMENT_KEYS, departmentName } from '../../extensions/customer-processes/src/domain/departments';
import { COMPLAINT_STATUSES } from '../../extensions/customer-processes/src/domain/complaints/complaint-status';
import { CONTRACT_CLASSES } from '../../extensions/customer-processes/src/domain/contract-review/routes';
import { DEPARTMENTS as ROLES } from '../../seeds/departments.mjs';

interface SnapshotField {
	collection: string;
	field: string;
	meta: { options?: { choices?: { value: string; text: string }[] } | null; display_options?: { choices?: { value: string; text: string }[] } | null } | null;
}

const snapshot = JSON.parse(readFileSync(new URL('../../snapshots/customer-processes.json', import.meta.url), 'utf8')) as { fields: SnapshotField[] };

/** Every snapshot field with choices: "collection.field" -> [{value, text}]. */
const snapshotChoices = Object.fromEntries(
	snapshot.fields.filter((f) => f.meta?.options?.choices).map((f) => [`${f.collection}.${f.field}`, f.meta!.options!.choices!]),
);

const catalogueEntries = Object.entries(CATALOGUE).flatMap(([collection, fields]) =>
	Object.entries(fields as Record<string, readonly Choice[]>).map(([field, choices]) => [`${collection}.${field}`, choices] as const),
);

// The generator writes a choice as "English 中文" (scripts/schema/dsl.mjs f.choice).
const asSnapshot = (choices: readonly Choice[]) => choices.map(([value, en, zh]) => ({ value, text: `${en} ${zh}` }));

describe('X-6 one catalogue of departments and choices', () => {
	it('X-6 the snapshot has a choice list exactly for the fields the catalogue lists', () => {
		expect(Object.keys(snapshotChoices).sort()).toEqual(catalogueEntries.map(([key]) => key).sort());
	});

	it.each(catalogueEntries)('X-6 %s: the snapshot offers the catalogue choices, in order, in the form and in the list view', (key, choices) => {
		expect(snapshotChoices[key]).toEqual(asSnapshot(choices));
		const [collection, field] = key.split('.');
		const display = snapshot.fields.find((f) => f.collection === collection && f.field === field)?.meta?.display_options?.choices;
		expect(display).toEqual(asSnapshot(choices));
	});

	it('X-6 every department field of the schema offers the catalogue departments', () => {
		const departmentFields = [
			'cp_review_lines.department',
			'cp_discrepancies.raised_by_department',
			'cp_task_notices.department',
			'cp_complaints.responsible_department',
			'cp_actions.department',
			'cp_changes.approved_as',
		];
		for (const key of departmentFields) expect(snapshotChoices[key], key).toEqual(asSnapshot(DEPARTMENTS));
	});

	it('X-6 the roles seed makes one role per catalogue department, with its key and names', () => {
		expect(ROLES.map((d) => [d.key, d.en, d.zh])).toEqual(DEPARTMENTS.map((d) => [...d]));
		expect(new Set(ROLES.map((d) => d.role)).size).toBe(DEPARTMENTS.length);
	});

	it('X-6 the departments are the ones the procedures name (Doc 1 §3), Sales first', () => {
		// Worked example from the procedure text: 市场部 organises the review, 研发部 reviews design and
		// process, 质量部 quality; production, purchasing, finance, warehouse and management sign too.
		expect(DEPARTMENTS.map(([key, , zh]) => `${key} ${zh}`)).toEqual([
			'sales 市场部',
			'technical 研发部',
			'quality 质量部',
			'production 生产部',
			'purchasing 采购部',
			'finance 财务部',
			'warehouse 仓库',
			'deputy_gm 副总经理',
			'gm 总经理',
		]);
		expect([...DEPARTMENT_KEYS]).toEqual(ROLES.map((d) => d.key));
		expect(departmentName('technical', 'zh')).toBe('研发部');
	});

	it('X-6 the domain state machines know the statuses the screens offer', () => {
		// CP-1..CP-5: received -> investigating -> corrective action -> responded -> customer verifying -> closed, reopened on rejection.
		expect(snapshotChoices['cp_complaints.status'].map((c) => c.value)).toEqual([...COMPLAINT_STATUSES]);
		expect([...COMPLAINT_STATUSES]).toEqual(['received', 'investigating', 'action', 'responded', 'verifying', 'closed', 'reopened']);
		// CR-7: the three contract classes decide the review route.
		expect(snapshotChoices['cp_contracts.class'].map((c) => c.value)).toEqual(['regular_in_stock', 'regular', 'special']);
		expect([...CONTRACT_CLASSES]).toEqual(['regular_in_stock', 'regular', 'special']);
	});
});
