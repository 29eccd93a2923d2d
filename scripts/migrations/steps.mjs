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
import { DASHBOARD_ID, DASHBOARD_PANELS } from '../../seeds/dashboard.mjs';

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
		run: decimalColumns,
	},
	{
		id: '0.3.0',
		description:
			"each contract carries its review round's submission time (the cycle-time indicator reads the completions only), filled from the audit trail; the KPI dashboard in two columns for 1366 px screens (panels the company has not moved); the 8D record by sections and the survey answers as the questionnaire",
		// The 8D record in its sections, the survey answers as the questionnaire, an action's source
		// set by the server (hidden on the form): new interfaces and options of existing fields.
		refresh: ['cp_actions.source_collection', 'cp_actions.source_id', 'cp_complaints.eight_d', 'cp_communications.answers'],
		run: async (api, ctx) => {
			await reviewSubmittedAt(api, ctx);
			await dashboardLayout(api, ctx);
		},
	},
	{
		id: '0.4.0',
		description:
			"the scheduled jobs' composite indexes (deadlines, reminders and escalations, property checks, surveys), so a tick reads only what is due; each review completion's route and hours in columns of its own, with the index the cycle-time indicator reads the period's completions through",
		run: async (api, ctx) => {
			// The completions first: their index (one of services/indexes.ts's) needs the copied columns' statistics.
			await reviewCycleColumns(api, ctx);
			await jobIndexes(api, ctx);
		},
	},
];

/**
 * 0.1.0 laid the KPI dashboard out in three columns for 1440 px; from 0.2.0 on it is two columns
 * that fit 1366 px with the sidebar open (seeds/dashboard.mjs). A panel still where 0.1.0 put it
 * moves to the new place; a panel the company moved or resized stays where the company put it.
 */
const LAYOUT_0_1_0 = {
	'reviews-waiting': [1, 1, 18, 12],
	'review-cycle-time': [19, 1, 18, 12],
	'open-discrepancies': [37, 1, 18, 12],
	'complaint-response': [1, 13, 36, 9],
	'overdue-actions': [37, 13, 18, 9],
	'complaints-by-cause': [1, 22, 17, 12],
	'complaints-by-customer': [18, 22, 21, 12],
	'satisfaction-trend': [39, 22, 16, 12],
	'property-checks': [1, 34, 18, 10],
	'blocked-property': [19, 34, 18, 10],
};

async function dashboardLayout(api, { log }) {
	let moved = 0;
	let kept = 0;
	// By the panel's indicator, not its id: 0.2.0 also changed the panels' order.
	const panels = await api.get(`/panels?filter[dashboard][_eq]=${DASHBOARD_ID}&fields=id,options,position_x,position_y,width,height&limit=-1`);
	for (const have of panels ?? []) {
		const kpi = (typeof have.options === 'string' ? JSON.parse(have.options) : have.options)?.kpi;
		const old = LAYOUT_0_1_0[kpi];
		const want = DASHBOARD_PANELS.find((p) => p.options.kpi === kpi);
		if (!old || !want) continue;
		const at = [have.position_x, have.position_y, have.width, have.height];
		if (at.every((v, i) => v === old[i])) {
			await api.patch(`/panels/${have.id}`, { position_x: want.position_x, position_y: want.position_y, width: want.width, height: want.height });
			moved++;
		} else kept++;
	}
	log(`[install] dashboard: ${moved} panels laid out for 1366 px${kept ? `, ${kept} left where the company put them` : ''}`);
}

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

/**
 * 0.3.0: cp_audit.action is indexed (the cycle-time indicator reads the completions of a period).
 * cp_contracts.review_submitted_at (added by the installer) is stamped when a round opens;
 * contracts reviewed before get it from the audit trail, the latest submission of each, by the
 * bundle on this instance (the field is the engine's: no API write may set it). Audit entries
 * are never changed: completions recorded before carry no hours, and the indicator looks their
 * submission up as before (services/kpi.ts). An instance without the bundle loaded has nothing
 * to fill yet; the bundle takes the time from the audit trail when such a round completes.
 */
async function reviewSubmittedAt(api, { log }) {
	// The indicator reads the completions of a period through this index (a new index on an existing field).
	const action = await api.get('/fields/cp_audit/action');
	if (action?.schema && !action.schema.is_indexed) {
		await api.patch('/fields/cp_audit/action', { schema: { is_indexed: true } });
		log('[install] cp_audit.action: indexed');
	}
	try {
		const res = await api.post('/cp/jobs/review-submitted-at', {});
		log(`[install] cp_contracts.review_submitted_at filled from the audit trail: ${res?.contracts ?? 0} contract(s)`);
	} catch (e) {
		if (e?.status !== 404) throw e;
		log('[install] cp_contracts.review_submitted_at: the bundle is not loaded on this instance; nothing filled');
	}
}

/**
 * 0.4.0 (issue 14): the composite indexes the jobs' reads need (extensions/customer-processes/src/services/indexes.ts),
 * which the schema declaration cannot state; the bundle creates those missing. On an instance
 * without the bundle loaded (no jobs run there yet) an administrator creates them later with
 * `POST /cp/jobs/indexes` (idempotent); the step is recorded either way, as 0.3.0's.
 */
async function jobIndexes(api, { log }) {
	await bundleJob(
		api,
		log,
		'indexes',
		(res) => `the jobs' indexes: ${res?.created?.length ?? 0} created, ${res?.present?.length ?? 0} present`,
		"the jobs' indexes: the bundle is not loaded on this instance; none created",
	);
}

/**
 * One of the bundle's upgrade jobs (`POST /cp/jobs/<name>`, admin only, idempotent). An instance
 * without the bundle loaded answers 404: that is logged and the step goes on (recorded, as 0.3.0's);
 * an administrator runs the job later.
 */
async function bundleJob(api, log, name, done, absent) {
	try {
		log(`[install] ${done(await api.post(`/cp/jobs/${name}`, {}))}`);
	} catch (e) {
		if (e?.status !== 404) throw e;
		log(`[install] ${absent}`);
	}
}

/**
 * 0.4.0 (issue 14): cp_audit.review_route and cycle_hours (added by the installer) repeat a review
 * completion's data.route and data.hours, written with each new completion; the bundle copies
 * them for the completions recorded before and creates the (action, collection, at, review_route,
 * cycle_hours) index the cycle-time indicator is served by (the schema declares single-column
 * indexes only). An instance without the bundle loaded gets neither yet: the indicator reads such
 * completions from their JSON meanwhile (services/kpi.ts), and the step can be run again by
 * `POST /cp/jobs/review-cycle-columns` as an administrator.
 */
async function reviewCycleColumns(api, { log }) {
	await bundleJob(
		api,
		log,
		'review-cycle-columns',
		(res) => `cp_audit: ${res?.entries ?? 0} review completion(s) given their route and hours columns${res?.index ? '; completions index created' : ''}`,
		'cp_audit completions: the bundle is not loaded on this instance; nothing copied, no index yet',
	);
}
