// The package's schema versions: ordered steps, each applied once per instance and recorded in
// the ledger table (cp_migrations, a plain table without Directus metadata, so it is not one of
// the host's counted collections). What the installer adds by itself needs no step: a new
// collection, field or relation of the snapshot, a new permission of seeds/departments.mjs, a new
// department, preset or panel is created once and recorded; what a company changed afterwards
// (a field note, a permission it removed, its department map, its module bar, presets) is never
// written again. A step is needed only to change something that already exists:
//   { id: '0.3.0', description: '...', refresh: ['cp_contracts.status'] }  re-applies the package's
//       definition (meta: choices, note, interface) of those fields once, on upgrade;
//   { id: '0.3.0', description: '...', run: async (api, { log }) => {...} }  a data migration.
// Add the step with the release's version at the end; never edit or reorder released steps.

export const LEDGER_TABLE = 'cp_migrations';

export const MIGRATIONS = [
	{ id: '0.1.0', description: 'first release: cp_ schema, department roles and policies, presets, dashboard, module bar' },
	{ id: '0.2.0', description: 'the ledger of applied steps; upgrades never rewrite what the company changed' },
];

/** The schema version this package brings (the last step). */
export const SCHEMA_VERSION = MIGRATIONS.at(-1).id;
export const PACKAGE_VERSION = SCHEMA_VERSION; // = extensions/customer-processes/package.json version
