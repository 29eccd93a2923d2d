// The process settings are the administrator's. The department map decides who signs which
// review line (CR-4) and the retention period what may be deleted (CR-17), so a department role
// granted update on cp_settings by mistake must still not change them: the hook refuses anyone but
// an admin whatever the Directus permissions say, checks the values with the domain, and writes
// the change and its audit row (every changed field, from and to) in one transaction.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { settingsChanges, validateSettingsChange, type FieldChange } from '../domain/settings';
import { signerIds } from '../domain/contract-review/approvals';
import { actorFrom, forgetSettings, loadSettings, type Accountability } from './context';
import { appendAudit } from './audit';
import { lockRow, parseJson, toBool } from './db';
import { translated } from './errors';
import type { HookApi } from './contract-review';

const SETTINGS = 'cp_settings';
type Payload = Record<string, unknown>;
type FilterCtx = { database: Knex; accountability: Accountability | null; schema: any };

function assertAdmin(accountability: Accountability | null) {
	// No accountability: Directus's or the bundle's own internal write (install, jobs).
	if (accountability && !accountability.admin) {
		throw new DomainError('CP_ADMIN_ONLY', 'Process settings (cp_settings) are changed by an administrator only (X-6)');
	}
}

/** The collection's stored fields (no key, no alias) with their Directus type. */
function storedFields(schema: any): { primary: string; types: Map<string, string> } {
	const c = schema?.collections?.[SETTINGS];
	const primary = c?.primary ?? 'id';
	const types = new Map<string, string>();
	for (const [name, def] of Object.entries<any>(c?.fields ?? {})) if (name !== primary && !def.alias && def.type !== 'alias') types.set(name, String(def.type));
	return { primary, types };
}

/** A value as the domain compares it: JSON parsed, numbers and booleans as such (vendors differ). */
function normalised(type: string, v: unknown): unknown {
	if (v === null || v === undefined) return null;
	if (type === 'json') return parseJson(v, null);
	if (['integer', 'bigInteger', 'float', 'decimal'].includes(type)) return Number(v);
	if (type === 'boolean') return toBool(v);
	return v;
}

const stored = (type: string, v: unknown) => (type === 'json' && v !== null && v !== undefined && typeof v !== 'string' ? JSON.stringify(v) : v);

function view(types: Map<string, string>, values: Payload): Payload {
	return Object.fromEntries(Object.entries(values).flatMap(([f, v]) => (types.has(f) ? [[f, normalised(types.get(f)!, v)]] : [])));
}

async function facts(knex: Knex, payload: Payload = {}) {
	// Only well-formed ids are looked up (PostgreSQL refuses a malformed uuid); others fail validation.
	const ids = signerIds(payload.signers).filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
	// the departments that exist, for the settings that name departments.
	const current = await knex(SETTINGS).first('departments');
	const departments = parseJson<Record<string, unknown> | null>(current?.departments, null);
	return {
		roleIds: (await knex('directus_roles').pluck('id')).map(String),
		userIds: ids.length ? (await knex('directus_users').whereIn('id', ids).pluck('id')).map(String) : [],
		departmentKeys: Object.keys(departments ?? {}),
		departments,
	};
}

async function audit(knex: Knex, ctx: FilterCtx, item: unknown, action: string, changes: Record<string, FieldChange>) {
	const actor = actorFrom(ctx.accountability, await loadSettings(knex));
	await appendAudit(knex, actor, [{ collection: SETTINGS, item: String(item), action, data: { changes } }]);
}

export function registerSettings({ filter }: Pick<HookApi, 'filter'>): void {
	// A create filter runs inside Directus's own transaction (ctx.database): the audit row goes in it.
	filter(
		`${SETTINGS}.items.create`,
		translated(async (payload: Payload, _meta: unknown, ctx: FilterCtx) => {
			assertAdmin(ctx.accountability);
			const knex = ctx.database;
			// One row: loadSettings reads the first, so a second one would be a hidden alternative.
			if (await knex(SETTINGS).first()) {
				throw new DomainError('CP_INVALID_VALUE', 'Process settings are one record: change it instead of adding another', { field: 'id' });
			}
			validateSettingsChange(payload, await facts(knex, payload));
			const { primary, types } = storedFields(ctx.schema);
			// The key is chosen here (uuid) so the audit row can name the record Directus then inserts.
			const key = payload[primary] ?? (ctx.schema?.collections?.[SETTINGS]?.fields?.[primary]?.type === 'uuid' ? randomUUID() : null);
			await audit(knex, ctx, key ?? 'new', 'settings_changed', settingsChanges({}, view(types, payload)));
			// Directus purges its cache after the insert; the entry goes now too (context.ts).
			await forgetSettings();
			return key === null ? payload : { ...payload, [primary]: key };
		}),
	);

	// An update filter runs before Directus's transaction: the change and its audit row are written
	// here in one transaction, then Directus writes the same values (as the contract transitions do).
	filter(
		`${SETTINGS}.items.update`,
		translated(async (payload: Payload, meta: { keys: (string | number)[] }, ctx: FilterCtx) => {
			assertAdmin(ctx.accountability);
			validateSettingsChange(payload, await facts(ctx.database, payload));
			const { primary, types } = storedFields(ctx.schema);
			const after = view(types, payload);
			await ctx.database.transaction(async (trx) => {
				for (const key of meta.keys ?? []) {
					const row = await lockRow(trx, SETTINGS, key);
					if (!row) continue;
					const changes = settingsChanges(view(types, row), after);
					const fields = Object.keys(changes);
					if (!fields.length) continue;
					await trx(SETTINGS)
						.where(primary, key)
						.update(Object.fromEntries(fields.map((f) => [f, stored(types.get(f)!, payload[f])])));
					await audit(trx, ctx, key, 'settings_changed', changes);
				}
			});
			// Committed: no instance serves the previous settings from the shared cache (context.ts).
			await forgetSettings();
			return payload;
		}),
	);

	filter(
		`${SETTINGS}.items.delete`,
		translated(async (keys: (string | number)[], _meta: unknown, ctx: FilterCtx) => {
			assertAdmin(ctx.accountability);
			const { primary, types } = storedFields(ctx.schema);
			await ctx.database.transaction(async (trx) => {
				for (const key of keys) {
					const row = await lockRow(trx, SETTINGS, key);
					if (!row) continue;
					const before = view(types, row);
					const changes = settingsChanges(before, Object.fromEntries(Object.keys(before).map((f) => [f, null])));
					await trx(SETTINGS).where(primary, key).delete();
					await audit(trx, ctx, key, 'settings_deleted', changes);
				}
			});
			await forgetSettings();
			return keys;
		}),
	);
}
