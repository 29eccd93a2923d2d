// The company-wide process settings (cp_settings) are the administrator's: which role is
// which department decides who may sign a review line, and the retention period decides what may
// be deleted, so a bad value would quietly undo CR-4 or CR-17. This checks a change before it is
// written and describes it for the audit trail.
import { DomainError } from './errors';
import { DEPARTMENT_KEYS } from './departments';
import { PROCESS_DEPARTMENT_FIELDS, PROCESS_DEPARTMENT_LABELS, validateProcessDepartments } from './process-departments';

/** Labels as the admin app shows them, so a refusal names the field the admin sees. */
export const SETTINGS_LABELS: Readonly<Record<string, string>> = {
	departments: 'Departments / 部门',
	response_hours: 'Response deadline / 书面答复时限',
	resolution_days: 'Resolution deadline (days) / 处理完成时限(天)',
	check_interval_months: 'Property check interval (months) / 顾客财产检查周期(月)',
	survey_cadence_months: 'Survey cadence (months) / 满意度调查周期(月)',
	retention_years: 'Retention (years) / 记录保存期(年)',
	...PROCESS_DEPARTMENT_LABELS,
};

/** CR-17 "保存期一般以三年为限": records are kept at least three years. */
export const LEGAL_RETENTION_YEARS = 3;

/** Whole-number settings: [least, most, why]. */
const WHOLE_NUMBERS: Readonly<Record<string, readonly [number, number, string]>> = {
	response_hours: [1, 2_147_483_647, 'CP-4'],
	resolution_days: [1, 2_147_483_647, 'CP-4'],
	// PR-5: customer property is checked at least every six months.
	check_interval_months: [1, 6, 'PR-5: customer property is checked at least every 6 months'],
	// CC-4: satisfaction is surveyed at least quarterly.
	survey_cadence_months: [1, 3, 'CC-4: satisfaction is surveyed at least quarterly'],
	retention_years: [LEGAL_RETENTION_YEARS, 1000, `CR-17: records are kept at least ${LEGAL_RETENTION_YEARS} years`],
};

/** Department keys are slugs like the seeded ones (sales, deputy_gm). */
const DEPARTMENT_KEY = /^[a-z][a-z0-9_]{0,63}$/;

export interface SettingsFacts {
	/** Ids of the Directus roles that exist: a department can only be a real role. */
	roleIds: readonly string[];
	/** The department map as stored (the change's own map, if it has one, replaces it). */
	departments?: Readonly<Record<string, unknown>> | null;
}

const label = (field: string) => `${SETTINGS_LABELS[field] ?? field} (${field})`;
const invalid = (field: string, rule: string): never => {
	throw new DomainError('CP_INVALID_VALUE', `${label(field)} ${rule}`, { field });
};

/**
 * Throws CP_INVALID_VALUE naming the first field of a settings change that breaks a rule.
 * Only the fields present are checked; null means "the built-in default" for the numbers.
 */
export function validateSettingsChange(change: Readonly<Record<string, unknown>>, facts: SettingsFacts): void {
	for (const [field, [least, most, why]] of Object.entries(WHOLE_NUMBERS)) {
		if (!Object.hasOwn(change, field)) continue;
		const v = change[field];
		if (v === null) continue;
		const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
		if (!Number.isInteger(n)) invalid(field, `must be a whole number, not ${JSON.stringify(v)} (${why})`);
		if (n < least) invalid(field, `must be at least ${least}, not ${n} (${why})`);
		if (n > most) invalid(field, `must be at most ${most}, not ${n} (${why})`);
	}
	if (Object.hasOwn(change, 'departments')) validateDepartments(change.departments, facts);
	// the departments named for each duty exist: in the catalogue or in the company's map.
	if (PROCESS_DEPARTMENT_FIELDS.some((f) => Object.hasOwn(change, f))) {
		const map = Object.hasOwn(change, 'departments') ? asMap(change.departments) : (facts.departments ?? null);
		validateProcessDepartments(change, [...DEPARTMENT_KEYS, ...Object.keys(map ?? {})]);
	}
}

function asMap(v: unknown): Record<string, unknown> | null {
	const m =
		typeof v === 'string'
			? (() => {
					try {
						return JSON.parse(v);
					} catch {
						return null;
					}
				})()
			: v;
	return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, unknown>) : null;
}

function validateDepartments(value: unknown, facts: SettingsFacts): void {
	if (value === null) return;
	let map = value;
	if (typeof map === 'string') {
		try {
			map = JSON.parse(map);
		} catch {
			invalid('departments', 'must be an object of department key -> role id');
		}
	}
	if (map === null || typeof map !== 'object' || Array.isArray(map)) invalid('departments', 'must be an object of department key -> role id');
	const roles = new Set(facts.roleIds);
	for (const [key, roleId] of Object.entries(map as Record<string, unknown>)) {
		if (!DEPARTMENT_KEY.test(key)) invalid('departments', `key ${JSON.stringify(key)} must be a department key (lowercase letters, digits, _)`);
		if (typeof roleId !== 'string' || !roles.has(roleId)) {
			invalid('departments', `${key} must map to an existing Directus role id, not ${JSON.stringify(roleId)}`);
		}
	}
}

export interface FieldChange {
	from: unknown;
	to: unknown;
}

/**
 * The fields whose value a change actually alters, with previous and new value. Both sides
 * come normalised by the caller (JSON parsed, numbers as numbers), so equal values compare equal.
 */
export function settingsChanges(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): Record<string, FieldChange> {
	const changes: Record<string, FieldChange> = {};
	for (const [field, to] of Object.entries(after)) {
		const from = before[field] ?? null;
		if (JSON.stringify(from) !== JSON.stringify(to ?? null)) changes[field] = { from, to: to ?? null };
	}
	return changes;
}
