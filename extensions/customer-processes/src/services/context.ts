// Who is acting, and as which department. Departments are Directus roles; cp_settings.departments
// maps department keys to role ids (filled by the roles seed, editable by a company).
import type { Knex } from 'knex';
import { parseJson } from '../domain/json';
import { signersOf } from '../domain/contract-review/approvals';
import { sharedCache } from './cache';

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
	/** Named signer keys the user holds through cp_settings.signers (CR-6, CR-7, CR-11). */
	signers?: string[];
}

export interface Settings {
	company_name?: string | null;
	departments?: Record<string, string> | null;
	refuse_oral_orders?: boolean | null;
	routes?: Record<string, string[]> | null;
	signers?: Record<string, string[]> | null;
	approvers?: Record<string, string | null> | null;
	major_rules?: Record<string, unknown> | null;
	response_hours?: number | null;
	response_mode?: string | null;
	resolution_days?: number | null;
	calendar?: Record<string, unknown> | null;
	check_interval_months?: number | null;
	survey_cadence_months?: number | null;
	retention_years?: number | null;
	survey_template?: unknown;
	mailbox?: unknown;
	/** X-6: who does what (domain/process-departments.ts); empty = the procedures' defaults. */
	task_notice_departments?: unknown;
	complaint_departments?: unknown;
	discrepancy_departments?: unknown;
	property_custodians?: unknown;
}

/**
 * Settings read once per request: the hooks of one write (the write guard, the area adapter, the
 * audit action) ask for them several times. `scope` is the request's accountability object, which
 * Directus hands to every filter and action of the request and to no other request; a memo lives
 * at most SETTINGS_MEMO_MS (a WebSocket connection keeps one accountability for long).
 *
 * Across requests the settings live in Directus's data cache when it purges itself on writes
 * (CACHE_ENABLED and CACHE_AUTO_PURGE; Redis when CACHE_STORE=redis, so every instance shares
 * one entry): Directus clears it after every write through its API, and the settings hook
 * (services/settings.ts) deletes the entry as soon as an administrator's change is committed,
 * so the next request on any instance reads the new row. Without that cache, every request reads
 * the row. A transaction (a write's own) always reads the row.
 */
const memo = new WeakMap<object, { at: number; settings: Promise<Settings> }>();
export const SETTINGS_MEMO_MS = 2_000;
export const SETTINGS_CACHE_KEY = 'cp:settings';
/** At most this long in the shared cache, whatever Directus's CACHE_TTL. */
export const SETTINGS_CACHE_MS = 60_000;

export async function loadSettings(knex: Knex, scope?: object | null): Promise<Settings> {
	if (!scope) return cachedSettings(knex);
	const hit = memo.get(scope);
	if (hit && Date.now() - hit.at < SETTINGS_MEMO_MS) return hit.settings;
	const settings = cachedSettings(knex);
	memo.set(scope, { at: Date.now(), settings });
	settings.catch(() => memo.delete(scope));
	return settings;
}

async function cachedSettings(knex: Knex): Promise<Settings> {
	const hit = await sharedSettings(knex);
	if (hit) return hit;
	const settings = await readSettings(knex);
	await shareSettings(knex, settings);
	return settings;
}

/** The shared cache's entry; never inside a transaction (a write's own reads the row). */
async function sharedSettings(knex: Knex): Promise<Settings | null> {
	const cache = sharedCache();
	if (!cache || (knex as any).isTransaction) return null;
	const hit = (await cache.get(SETTINGS_CACHE_KEY).catch(() => undefined)) as Settings | undefined;
	return hit && typeof hit === 'object' ? hit : null;
}

async function shareSettings(knex: Knex, settings: Settings): Promise<void> {
	const cache = sharedCache();
	if (!cache || (knex as any).isTransaction) return;
	await cache.set(SETTINGS_CACHE_KEY, settings, SETTINGS_CACHE_MS).catch(() => undefined);
}

/**
 * The settings this request (its memo) or the shared cache already holds, without a statement;
 * null when they must be read. The write guard then reads them in its permission statement.
 */
export async function knownSettings(knex: Knex, scope?: object | null): Promise<Settings | null> {
	const hit = scope ? memo.get(scope) : undefined;
	if (hit && Date.now() - hit.at < SETTINGS_MEMO_MS) return hit.settings;
	const shared = await sharedSettings(knex);
	if (shared && scope) memo.set(scope, { at: Date.now(), settings: Promise.resolve(shared) });
	return shared;
}

/** Settings read by another statement of this request (the write guard's): kept as loadSettings keeps its own. */
export async function rememberSettings(knex: Knex, scope: object | null | undefined, row: Record<string, unknown> | undefined): Promise<Settings> {
	const settings = settingsOf(row);
	if (scope) memo.set(scope, { at: Date.now(), settings: Promise.resolve(settings) });
	await shareSettings(knex, settings);
	return settings;
}

/** After a change of cp_settings: the next read on any instance goes to the database. */
export async function forgetSettings(): Promise<void> {
	await sharedCache()
		?.delete(SETTINGS_CACHE_KEY)
		.catch(() => undefined);
}

async function readSettings(knex: Knex): Promise<Settings> {
	return settingsOf(await knex('cp_settings').first());
}

function settingsOf(row: Record<string, any> | undefined): Settings {
	if (!row) return {};
	// The number counters change with every intake and are read locked by the numbering itself.
	const { number_counters: _counters, ...rest } = row;
	return {
		...rest,
		departments: parseJson(row.departments, null),
		routes: parseJson(row.routes, null),
		signers: parseJson(row.signers, null),
		approvers: parseJson(row.approvers, null),
		major_rules: parseJson(row.major_rules, null),
		calendar: parseJson(row.calendar, null),
		survey_template: parseJson(row.survey_template, null),
		mailbox: parseJson(row.mailbox, null),
		task_notice_departments: parseJson(row.task_notice_departments, null),
		complaint_departments: parseJson(row.complaint_departments, null),
		discrepancy_departments: parseJson(row.discrepancy_departments, null),
		property_custodians: parseJson(row.property_custodians, null),
		refuse_oral_orders: Boolean(row.refuse_oral_orders),
	};
}

export function actorFrom(accountability: Accountability | null | undefined, settings: Settings): ActorInfo {
	if (!accountability) return { userId: null, isAdmin: true, departments: [], system: true, signers: [] };
	const roles = new Set([...(accountability.roles ?? []), ...(accountability.role ? [accountability.role] : [])]);
	const map = settings.departments ?? {};
	const departments = Object.entries(map)
		.filter(([, roleId]) => roles.has(roleId))
		.map(([key]) => key);
	const userId = accountability.user ?? null;
	const signers = signersOf({ userId, roles: [...roles], departments }, settings.signers);
	return { userId, isAdmin: Boolean(accountability.admin), departments, system: false, signers };
}
