// The demo Insights dashboard of the customer processes (X-4, CP-7, CC-3, CC-4): one "cp-kpi"
// panel per indicator. Fixed ids make the seed idempotent: what exists is left as it is (a
// company may have rearranged or re-configured the panels), what is missing is created.

export const DASHBOARD_ID = 'c0ffee00-0000-4000-8000-0000000d0000';
const panelId = (n) => `c0ffee00-0000-4000-8000-0000000d${String(n).padStart(4, '0')}`;

/**
 * [kpi, title, icon, x, y, width, height]; the Insights grid has 20 px units. Two columns of 18
 * (36 units, 720 px) fit a 1366 px screen beside the module bar and the dashboard list with the
 * sidebar open; a wide panel spans both.
 */
const LAYOUT = [
	['reviews-waiting', '待评审 Reviews waiting', 'how_to_reg', 1, 1, 18, 12],
	['review-cycle-time', '合同评审周期 Review cycle time', 'timer', 19, 1, 18, 12],
	['open-discrepancies', '未关闭的不一致问题 Open discrepancies', 'report', 1, 13, 18, 12],
	['overdue-actions', '超期措施 Overdue actions', 'task_alt', 19, 13, 18, 12],
	['complaint-response', '顾客反馈答复及时率 Complaint response on time', 'support_agent', 1, 25, 36, 9],
	['complaints-by-cause', '反馈原因分布 Complaints by root cause', 'pie_chart', 1, 34, 18, 12],
	['complaints-by-customer', '各顾客的反馈 Complaints by customer', 'storefront', 19, 34, 18, 12],
	['satisfaction-trend', '顾客满意度趋势 Satisfaction trend', 'sentiment_satisfied', 1, 46, 18, 12],
	['property-checks', '顾客财产定期检查 Property checks', 'inventory_2', 19, 46, 18, 12],
	['blocked-property', '已隔离的顾客财产 Blocked property', 'block', 1, 58, 18, 10],
];

export const DASHBOARD_PANELS = LAYOUT.map(([kpi, name, icon, x, y, w, h], i) => ({
	id: panelId(i + 1),
	dashboard: DASHBOARD_ID,
	name,
	icon,
	type: 'cp-kpi',
	show_header: true,
	position_x: x,
	position_y: y,
	width: w,
	height: h,
	options: { kpi, period: 'all' },
}));

async function exists(api, path) {
	try {
		await api.get(path);
		return true;
	} catch (e) {
		if (e.status === 403 || e.status === 404) return false;
		throw e;
	}
}

/**
 * Directus's own module bar when the project has not changed it (settings.module_bar null), per
 * major version (from the app of each host: 12 adds Flows). Used only to write the bar once
 * with our module in it; an existing bar is merged, never replaced.
 */
export const DEFAULT_MODULE_BARS = {
	11: [
		{ type: 'module', id: 'content', enabled: true },
		{ type: 'module', id: 'visual', enabled: false },
		{ type: 'module', id: 'users', enabled: true },
		{ type: 'module', id: 'files', enabled: true },
		{ type: 'module', id: 'insights', enabled: true },
		{ type: 'module', id: 'deployments', enabled: false },
		{ type: 'link', id: 'docs', enabled: true, name: '$t:documentation', icon: 'help', url: 'https://docs.directus.io' },
		{ type: 'module', id: 'settings', enabled: true, locked: true },
	],
	12: [
		{ type: 'module', id: 'content', enabled: true },
		{ type: 'module', id: 'visual', enabled: false },
		{ type: 'module', id: 'users', enabled: true },
		{ type: 'module', id: 'files', enabled: true },
		{ type: 'module', id: 'insights', enabled: true },
		{ type: 'module', id: 'flows', enabled: true },
		{ type: 'module', id: 'deployments', enabled: false },
		{ type: 'link', id: 'docs', enabled: true, name: '$t:documentation', icon: 'help', url: 'https://directus.com/docs' },
		{ type: 'module', id: 'settings', enabled: true, locked: true },
	],
};

/**
 * The instance's module bar with our module added once, after Insights. Returns null when it is
 * there already (nothing to write) and undefined when the bar is the host's default and the
 * host's version is unknown (the administrator enables the module in Settings).
 */
/**
 * @param {any[] | null | undefined} current
 * @param {string} [id]
 * @param {string | null} [version]
 * @returns {any[] | null | undefined}
 */
export function mergeModuleBar(current, id = 'customer-processes', version = null) {
	const bar = Array.isArray(current) ? current : DEFAULT_MODULE_BARS[Number(String(version ?? '').split('.')[0])];
	if (!bar) return undefined;
	if (bar.some((m) => m.type === 'module' && m.id === id)) return null;
	const at = bar.findIndex((m) => m.id === 'insights');
	const next = bar.map((m) => ({ ...m }));
	next.splice(at >= 0 ? at + 1 : next.length, 0, { type: 'module', id, enabled: true });
	return next;
}

/** Shows the work-queue module in everyone's module bar (the demo; the installer records it once). */
export async function enableModule(api, id = 'customer-processes') {
	const settings = await api.get('/settings?fields=module_bar');
	const info = await api.get('/server/info').catch(() => ({}));
	const next = mergeModuleBar(settings?.module_bar ?? null, id, info?.version);
	if (!next) return false;
	await api.patch('/settings', { module_bar: next });
	return true;
}

/** @param api the admin client of scripts/lib/api.mjs */
export async function seedDashboard(api, { log = console.log } = {}) {
	let created = 0;
	await enableModule(api);
	if (!(await exists(api, `/dashboards/${DASHBOARD_ID}`))) {
		await api.post('/dashboards', {
			id: DASHBOARD_ID,
			name: '与顾客有关过程 Customer processes KPIs',
			icon: 'handshake',
			note: '合同评审、顾客反馈、满意度与顾客财产的管理指标 Contract review, complaints, satisfaction and customer property indicators',
		});
		created++;
	}
	for (const p of DASHBOARD_PANELS) {
		if (await exists(api, `/panels/${p.id}`)) continue;
		await api.post('/panels', p);
		created++;
	}
	log(`[seed] dashboard: ${created} dashboard/panels created`);
	return { id: DASHBOARD_ID, panels: DASHBOARD_PANELS.map((p) => ({ id: p.id, kpi: p.options.kpi, options: p.options })) };
}
