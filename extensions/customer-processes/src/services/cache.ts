// Directus purges its data cache after writes through ItemsService (CACHE_AUTO_PURGE). The
// bundle's own knex writes (/cp commands, scheduled jobs) must purge it too, or an instance
// sharing the cache (Redis) keeps serving the old state until the TTL runs out.
type Deps = { services: any; getSchema: () => Promise<any>; env: Record<string, any>; logger: { warn: (...a: any[]) => void } };

const on = (v: unknown) => v === true || v === 'true' || v === 1 || v === '1';

export function cachePurger({ services, getSchema, env, logger }: Deps): () => Promise<void> {
	const enabled = on(env.CACHE_ENABLED) && on(env.CACHE_AUTO_PURGE);
	return async () => {
		if (!enabled) return;
		try {
			await new services.UtilsService({ schema: await getSchema(), accountability: { admin: true } }).clearCache({ system: false });
		} catch (e) {
			logger.warn(e, '[customer-processes] cache purge failed');
		}
	};
}
