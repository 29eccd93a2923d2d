// Departments are Directus roles. Fixed ids make the seed idempotent and let a company rename
// a department (the name is data) without breaking anything: the bundle maps role ids to
// department keys through cp_settings.departments, which the seed fills.

import { DEPARTMENTS as CATALOGUE_DEPARTMENTS } from '../extensions/customer-processes/src/domain/catalogue.ts';

const id = (n) => `c0ffee00-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** What only the seed adds to the catalogue's departments: the number in the fixed ids, and the icon. */
const SEED = {
	sales: { n: 1, icon: 'storefront' },
	technical: { n: 2, icon: 'engineering' },
	quality: { n: 3, icon: 'verified' },
	production: { n: 4, icon: 'precision_manufacturing' },
	purchasing: { n: 5, icon: 'shopping_cart' },
	finance: { n: 6, icon: 'payments' },
	warehouse: { n: 7, icon: 'warehouse' },
	deputy_gm: { n: 8, icon: 'supervisor_account' },
	gm: { n: 9, icon: 'workspace_premium' },
};

// Keys and names come from the one catalogue, so the roles carry the schema's department names.
export const DEPARTMENTS = CATALOGUE_DEPARTMENTS.map(([key, en, zh]) => {
	const { n, icon } = SEED[key];
	return { key, n, en, zh, icon, role: id(n), policy: id(100 + n) };
});

/** Shared by every department: read the whole process, sign own lines, raise and close items. */
export const STAFF_POLICY = { id: id(100), en: 'Customer processes staff', zh: '与顾客有关过程·员工' };

/** The bundle's 15 collections, in the order the permission table lists them. */
export const ALL_CP = [
	'cp_settings',
	'cp_customers',
	'cp_contracts',
	'cp_contract_lines',
	'cp_review_lines',
	'cp_discrepancies',
	'cp_task_notices',
	'cp_changes',
	'cp_samples',
	'cp_complaints',
	'cp_actions',
	'cp_communications',
	'cp_property',
	'cp_property_events',
	'cp_audit',
];

/**
 * The permission matrix: policy -> collection -> actions (c create, r read, u update, d delete).
 * Business rules (who may sign which line, which transition is legal) are enforced by the
 * bundle's hooks, not here: the Directus 12 Core tier allows no item filters in permissions.
 */
export const PERMISSIONS = {
	staff: {
		...Object.fromEntries(ALL_CP.map((c) => [c, 'r'])),
		cp_review_lines: 'ru',
		cp_discrepancies: 'cru',
		cp_task_notices: 'ru',
		cp_actions: 'cru',
		cp_communications: 'cru',
		cp_property_events: 'cr',
		directus_files: 'cru',
		// Read everyone (names on records); update only the fields of PERMISSION_FIELDS, and only
		// one's own record (the bundle's users.update hook: Core permissions take no item filter).
		directus_users: 'ru',
		directus_roles: 'r',
		// The Insights dashboard of the indicators (seeds/dashboard.mjs).
		directus_dashboards: 'r',
		directus_panels: 'r',
	},
	sales: {
		cp_customers: 'cru',
		cp_contracts: 'cru',
		cp_contract_lines: 'crud',
		cp_changes: 'cru',
		cp_samples: 'cru',
		cp_complaints: 'cru',
		cp_property: 'cru',
	},
	quality: { cp_complaints: 'ru', cp_samples: 'ru', cp_property: 'ru' },
	warehouse: { cp_property: 'cru' },
	production: { cp_property: 'ru', cp_samples: 'ru' },
	technical: { cp_samples: 'ru', cp_changes: 'cru', cp_property: 'cru' },
	purchasing: {},
	finance: { cp_samples: 'ru' },
	// CR-11: the sales VP (by default the deputy GM) signs contracts for the company (Doc 3 4.3.1).
	deputy_gm: { cp_contracts: 'ru', cp_changes: 'ru', cp_samples: 'ru' },
	// cp_settings: read only, like every department; the settings are the administrator's.
	gm: { cp_changes: 'ru', cp_samples: 'ru' },
};

export const ACTIONS = { c: 'create', r: 'read', u: 'update', d: 'delete' };

/**
 * Permissions limited to some fields (every other permission covers all fields): staff set their
 * own language (and whether they get e-mail notifications) on their profile.
 */
export const PERMISSION_FIELDS = {
	staff: { directus_users: { update: ['language', 'email_notifications'] } },
};
