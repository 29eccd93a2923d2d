// directus_users writes by staff: only their own record and only their language and e-mail
// notification settings (domain/self-service.ts), whatever the host's permissions allow.
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
				const fields = payload && typeof payload === 'object' ? Object.keys(payload) : [];
				const refusal = selfServiceRefusal({ keys: meta?.keys ?? [], user: a.user, admin: Boolean(a.admin), fields });
				if (refusal) throw refusal;
				return payload;
			},
		),
	);
}
