// The package's schema versions: ordered steps, each applied once per instance and recorded in
// the ledger table (cp_migrations, a plain table without Directus metadata, so it is not one of
// the host's counted collections). What the installer adds by itself needs no step: a new
// collection, field or relation of the snapshot, a new permission of seeds/departments.mjs, a new
// department, preset or panel is created once and recorded; what a company changed afterwards
// (a field note, a permission it removed, its department map, its module bar, presets) is never
// written again. A step is needed only to change something that already exists:
//   { id: '0.3.0', description: '...', refresh: ['cp_contracts.status'] }  re-applies the package's
//       definition (meta: choices, note, interface) of those fields once, on upgrade;
//       A relation is named 'relation:<collection>.<field>' (its meta, e.g. the related list).
//   { id: '0.3.0', description: '...', run: async (api, { log }) => {...} }  a data migration.
// Add the step with the release's version at the end; never edit or reorder released steps.

import SNAPSHOT from '../../snapshots/customer-processes.json' with { type: 'json' };

export const LEDGER_TABLE = 'cp_migrations';

export const MIGRATIONS = [
	{ id: '0.1.0', description: 'first release: cp_ schema, department roles and policies, presets, dashboard, module bar' },
	{
		id: '0.2.0',
		description:
			'the ledger of applied steps; automatic numbers; status changed only by the next steps; structured requirements and checklists; related lists; mail triage',
		// Definitions 0.1.0 shipped that 0.2.0 changes in behaviour (not only wording): read-only
		// statuses, numbers no longer typed, new choices, list interfaces, the related lists.
		refresh: [
			'cp_actions.status',
			'cp_actions.source_collection',
			'cp_actions.source_id',
			'cp_changes.kind',
			'cp_changes.status',
			'cp_changes.consequence',
			'cp_communications.customer',
			'cp_communications.type',
			'cp_complaints.code',
			'cp_complaints.received_at',
			'cp_complaints.status',
			'cp_complaints.pauses',
			'cp_complaints.eight_d',
			'cp_communications.answers',
			'cp_contracts.code',
			'cp_contracts.status',
			'cp_contracts.requirements',
			'cp_discrepancies.status',
			'cp_property.code',
			'cp_property.status',
			'cp_review_lines.contract',
			'cp_review_lines.checklist',
			'cp_review_lines.decision',
			'cp_samples.status',
			'cp_task_notices.contract',
			'cp_task_notices.department',
			'cp_task_notices.due_at',
			'cp_task_notices.content',
			...[
				'cp_changes.contract',
				'cp_communications.customer',
				'cp_complaints.customer',
				'cp_contract_lines.contract',
				'cp_contracts.customer',
				'cp_discrepancies.contract',
			]
				.concat(['cp_property.customer', 'cp_property_events.property', 'cp_review_lines.contract', 'cp_samples.contract', 'cp_task_notices.contract'])
				.map((r) => `relation:${r}`),
		],
		run: decimalColumns,
	},
];

/**
 * 0.1.0's amounts and quantities were floats on PostgreSQL and MariaDB (the snapshot is written on
 * SQLite, which has no decimal): FLOAT(10,5) on MariaDB refuses 100,000 and more, a real on
 * PostgreSQL rounds to 6 digits. Each becomes the declared decimal, values kept; SQLite stores
 * numbers the same either way and is left alone.
 */
async function decimalColumns(api, { log }) {
	const host = await api.get('/schema/snapshot');
	if (host.vendor === 'sqlite') return;
	for (const want of SNAPSHOT.fields.filter((f) => f.type === 'decimal')) {
		const have = host.fields.find((f) => f.collection === want.collection && f.field === want.field);
		if (!have || have.type === 'decimal') continue;
		const { numeric_precision, numeric_scale } = want.schema;
		await api.patch(`/fields/${want.collection}/${want.field}`, { type: 'decimal', schema: { numeric_precision, numeric_scale } });
		log(`[install] ${want.collection}.${want.field}: ${have.type} -> decimal(${numeric_precision},${numeric_scale})`);
	}
}

/** The schema version this package brings (the last step). */
export const SCHEMA_VERSION = MIGRATIONS.at(-1).id;
export const PACKAGE_VERSION = SCHEMA_VERSION; // = extensions/customer-processes/package.json version
