// Directus runs an update filter BEFORE it checks the caller's update permission. Filters that
// perform a transition in their own transaction (contract review) must therefore check the
// permission themselves first, or a department without update rights could move a record.
import type { Knex } from 'knex';
import { ForbiddenError } from '@directus/errors';
import type { Accountability } from './context';

/** Throws Directus's own 403 FORBIDDEN unless a policy of the caller grants `action` on `collection`. */
export async function assertPermission(
	knex: Knex,
	accountability: Accountability | null | undefined,
	collection: string,
	action: 'create' | 'update' | 'delete',
) {
	if (!accountability || accountability.admin) return;
	const roles = [...new Set([...(accountability.roles ?? []), ...(accountability.role ? [accountability.role] : [])])];
	const user = accountability.user ?? null;
	if (!roles.length && !user) throw new ForbiddenError();
	const granted = await knex('directus_permissions as p')
		.join('directus_access as a', 'a.policy', 'p.policy')
		.where({ 'p.collection': collection, 'p.action': action })
		.where((q) => {
			if (roles.length) q.whereIn('a.role', roles);
			if (user) q.orWhere('a.user', user);
		})
		.first('p.id');
	if (!granted) throw new ForbiddenError();
}
