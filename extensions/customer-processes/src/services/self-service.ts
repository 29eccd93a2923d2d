// directus_users writes by staff: only their own record (domain/self-service.ts); the fields
// they may write at all (language, e-mail notifications) are the permission's.
import type { HookApi } from './contract-review';
import { translated } from './errors';
import { selfServiceRefusal } from '../domain/self-service';

export function registerSelfService(api: HookApi): void {
	api.filter(
		'users.update',
		translated(
			async (
				payload: unknown,
				meta: { keys?: (string | number)[] } | undefined,
				ctx: { accountability?: { user?: string | null; admin?: boolean } | null },
			) => {
				const a = ctx?.accountability;
				// Directus's own writes (no accountability: logins, the system) are not staff writes.
				if (!a) return payload;
				const refusal = selfServiceRefusal({ keys: meta?.keys ?? [], user: a.user, admin: Boolean(a.admin) });
				if (refusal) throw refusal;
				return payload;
			},
		),
	);
}
