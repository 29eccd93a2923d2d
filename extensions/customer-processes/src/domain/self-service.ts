/**
 * Staff set their own language on their profile (Directus's user page). The permission gives
 * department users only those fields of directus_users, on every user (Directus 12 Core
 * permissions take no item filter), so this rule keeps the change to one's own record.
 */
import { DomainError } from './errors';

/** The refusal of a non-administrator's write of directus_users, or null: only their own record. */
export function selfServiceRefusal(write: { keys: readonly (string | number)[]; user: string | null | undefined; admin: boolean }): DomainError | null {
	if (write.admin) return null;
	if (write.user && write.keys.length > 0 && write.keys.every((k) => String(k) === write.user)) return null;
	return new DomainError('CP_NOT_DEPARTMENT_MEMBER', '只能修改自己的语言设置 / you can change only your own language setting', {
		status: 403,
		field: 'language',
	});
}
