// Directus runs an update filter BEFORE it checks the caller's update permission. Filters that
// perform a transition in their own transaction (contract review) must therefore check the
// permission themselves first, or a department without update rights could move a record.
import type { Knex } from 'knex';
import { ForbiddenError } from '@directus/errors';
import { knownSettings, loadSettings, rememberSettings, type Accountability, type Settings } from './context';

type Action = 'create' | 'update' | 'delete';

/**
 * The query for a policy of the caller granting `action` on `collection`; null when no check is
 * due (the bundle's own writes, an administrator). Throws 403 for a caller with no role and no user.
 */
function grantQuery(knex: Knex, accountability: Accountability | null | undefined, collection: string, action: Action) {
	if (!accountability || accountability.admin) return null;
	const roles = [...new Set([...(accountability.roles ?? []), ...(accountability.role ? [accountability.role] : [])])];
	const user = accountability.user ?? null;
	if (!roles.length && !user) throw new ForbiddenError();
	return knex('directus_permissions as p')
		.join('directus_access as a', 'a.policy', 'p.policy')
		.where({ 'p.collection': collection, 'p.action': action })
		.where((q) => {
			if (roles.length) q.whereIn('a.role', roles);
			if (user) q.orWhere('a.user', user);
		})
		.select('p.id')
		.limit(1);
}

/** Throws Directus's own 403 FORBIDDEN unless a policy of the caller grants `action` on `collection`. */
export async function assertPermission(knex: Knex, accountability: Accountability | null | undefined, collection: string, action: Action) {
	const grant = grantQuery(knex, accountability, collection, action);
	if (grant && !(await grant).length) throw new ForbiddenError();
}

/** The column of the settings row that carries the permission answer (never a settings field). */
const GRANTED = 'cp_write_granted__';

/**
 * The write guard's permission re-check and the request's settings, in ONE statement when the
 * settings are not known yet (issue 14: a write otherwise read the settings row and then the
 * permission, two round trips inside the write's transaction): the settings row with the grant
 * as a scalar subquery. Both are read fresh, as before; the settings are then kept for the
 * request (services/context.ts) so the adapters of the same write do not read them again.
 */
export async function permittedSettings(knex: Knex, accountability: Accountability | null | undefined, collection: string, action: Action): Promise<Settings> {
	const grant = grantQuery(knex, accountability, collection, action);
	if (!grant) return loadSettings(knex, accountability);
	const known = await knownSettings(knex, accountability);
	if (known) {
		if (!(await grant).length) throw new ForbiddenError();
		return known;
	}
	const row: Record<string, unknown> | undefined = await knex('cp_settings').first('*', grant.as(GRANTED));
	// No settings row yet (before the installer has run): the grant is asked on its own.
	if (!row) await assertPermission(knex, accountability, collection, action);
	else if (row[GRANTED] === null || row[GRANTED] === undefined) throw new ForbiddenError();
	const { [GRANTED]: _granted, ...settings } = row ?? {};
	return rememberSettings(knex, accountability, row ? settings : undefined);
}
