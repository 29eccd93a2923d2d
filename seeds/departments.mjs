// Departments are Directus roles. Fixed ids make the seed idempotent and let a company rename
// a department (the name is data) without breaking anything: the bundle maps role ids to
// department keys through cp_settings.departments, which the seed fills.

const id = (n) => `c0ffee00-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEPARTMENTS = [
	{ key: 'sales', n: 1, en: 'Sales', zh: '市场部', icon: 'storefront' },
	{ key: 'technical', n: 2, en: 'Technical / R&D', zh: '研发部', icon: 'engineering' },
	{ key: 'quality', n: 3, en: 'Quality', zh: '质量部', icon: 'verified' },
	{ key: 'production', n: 4, en: 'Production', zh: '生产部', icon: 'precision_manufacturing' },
	{ key: 'purchasing', n: 5, en: 'Purchasing', zh: '采购部', icon: 'shopping_cart' },
	{ key: 'finance', n: 6, en: 'Finance', zh: '财务部', icon: 'payments' },
	{ key: 'warehouse', n: 7, en: 'Warehouse', zh: '仓库', icon: 'warehouse' },
	{ key: 'deputy_gm', n: 8, en: 'Deputy General Manager', zh: '副总经理', icon: 'supervisor_account' },
	{ key: 'gm', n: 9, en: 'General Manager', zh: '总经理', icon: 'workspace_premium' },
].map((d) => ({ ...d, role: id(d.n), policy: id(100 + d.n) }));

/** Shared by every department: read the whole process, sign own lines, raise and close items. */
export const STAFF_POLICY = { id: id(100), en: 'Customer processes staff', zh: '与顾客有关过程·员工' };

const ALL_CP = [
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
		directus_users: 'r',
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
	technical: { cp_samples: 'ru', cp_changes: 'ru', cp_property: 'cru' },
	purchasing: {},
	finance: { cp_samples: 'ru' },
	deputy_gm: { cp_changes: 'ru', cp_samples: 'ru' },
	// cp_settings: read only, like every department; the settings are the administrator's.
	gm: { cp_changes: 'ru', cp_samples: 'ru' },
};

export const ACTIONS = { c: 'create', r: 'read', u: 'update', d: 'delete' };
