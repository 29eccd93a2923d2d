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
			'cp_changes.kind',
			'cp_changes.status',
			'cp_changes.consequence',
			'cp_communications.customer',
			'cp_communications.type',
			'cp_complaints.code',
			'cp_complaints.received_at',
			'cp_complaints.status',
			'cp_complaints.pauses',
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
	},
];

/** The schema version this package brings (the last step). */
export const SCHEMA_VERSION = MIGRATIONS.at(-1).id;
export const PACKAGE_VERSION = SCHEMA_VERSION; // = extensions/customer-processes/package.json version
