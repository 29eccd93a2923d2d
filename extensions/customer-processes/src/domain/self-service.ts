/**
 * Staff set their own language on their profile (Directus's user page). Directus 12 Core takes
 * neither item filters nor field lists in permissions, so department users may update
 * directus_users as a whole there; this rule is what keeps the change to one's own record and to
 * these fields (on Directus 11 the permission's field list says the same to the app).
 */
import { DomainError } from './errors';

/** The fields of directus_users staff write themselves (= PERMISSION_FIELDS in seeds/departments.mjs). */
export const SELF_SERVICE_FIELDS = ['language', 'email_notifications'] as const;

/** The refusal of a non-administrator's write of directus_users, or null: only their own record, only SELF_SERVICE_FIELDS. */
export function selfServiceRefusal(write: {
	keys: readonly (string | number)[];
	user: string | null | undefined;
	admin: boolean;
	fields?: readonly string[];
}): DomainError | null {
	if (write.admin) return null;
	const own = write.user && write.keys.length > 0 && write.keys.every((k) => String(k) === write.user);
	const other = (write.fields ?? []).find((f) => !(SELF_SERVICE_FIELDS as readonly string[]).includes(f));
	if (own && !other) return null;
	return new DomainError(
		'CP_NOT_DEPARTMENT_MEMBER',
		'只能修改自己的语言和邮件通知设置 / you can change only your own language and e-mail notification settings',
		{
			status: 403,
			field: other ?? 'language',
		},
	);
}
