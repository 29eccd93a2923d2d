// Who is acting, and as which department. Departments are Directus roles; cp_settings.departments
// maps department keys to role ids (filled by the roles seed, editable by a company).
import type { Knex } from 'knex';
import { parseJson } from '../domain/json';

export interface Accountability {
	user?: string | null;
	role?: string | null;
	roles?: string[];
	admin?: boolean;
}

export interface ActorInfo {
	userId: string | null;
	isAdmin: boolean;
	/** Department keys the user belongs to through their role(s). */
	departments: string[];
	/** True when no accountability: the bundle's own jobs and internal writes. */
	system: boolean;
}

export interface Settings {
	company_name?: string | null;
	departments?: Record<string, string> | null;
	refuse_oral_orders?: boolean | null;
	routes?: Record<string, string[]> | null;
	response_hours?: number | null;
	response_mode?: string | null;
	resolution_days?: number | null;
	calendar?: Record<string, unknown> | null;
	check_interval_months?: number | null;
	survey_cadence_months?: number | null;
	retention_years?: number | null;
	survey_template?: unknown;
	/** X-6: who does what (domain/process-departments.ts); empty = the procedures' defaults. */
	task_notice_departments?: unknown;
	complaint_departments?: unknown;
	discrepancy_departments?: unknown;
	property_custodians?: unknown;
}

/** Settings are read per request (one small row) so that every instance sees the same values. */
export async function loadSettings(knex: Knex): Promise<Settings> {
	const row = await knex('cp_settings').first();
	if (!row) return {};
	return {
		...row,
		departments: parseJson(row.departments, null),
		routes: parseJson(row.routes, null),
		calendar: parseJson(row.calendar, null),
		survey_template: parseJson(row.survey_template, null),
		task_notice_departments: parseJson(row.task_notice_departments, null),
		complaint_departments: parseJson(row.complaint_departments, null),
		discrepancy_departments: parseJson(row.discrepancy_departments, null),
		property_custodians: parseJson(row.property_custodians, null),
		refuse_oral_orders: Boolean(row.refuse_oral_orders),
	};
}

export function actorFrom(accountability: Accountability | null | undefined, settings: Settings): ActorInfo {
	if (!accountability) return { userId: null, isAdmin: true, departments: [], system: true };
	const roles = new Set([...(accountability.roles ?? []), ...(accountability.role ? [accountability.role] : [])]);
	const map = settings.departments ?? {};
	const departments = Object.entries(map)
		.filter(([, roleId]) => roles.has(roleId))
		.map(([key]) => key);
	return { userId: accountability.user ?? null, isAdmin: Boolean(accountability.admin), departments, system: false };
}
