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

/** What the bundle uses of Directus's data cache (a Keyv instance). */
export interface SharedCache {
	get(key: string): Promise<unknown>;
	set(key: string, value: unknown, ttl?: number): Promise<unknown>;
	delete(key: string): Promise<unknown>;
}

let shared: SharedCache | null = null;

/**
 * Registers Directus's data cache for the bundle's own entries (settings, read access), when it
 * purges itself after writes (CACHE_ENABLED and CACHE_AUTO_PURGE): Directus gives every
 * ItemsService its cache, so a service instance hands it over. Called by the hook and the
 * endpoint at start-up; without it (or without that cache) nothing is cached across requests.
 */
export function registerSharedCache({ services, env }: Pick<Deps, 'services' | 'env'>): void {
	if (!(on(env.CACHE_ENABLED) && on(env.CACHE_AUTO_PURGE))) return;
	try {
		const cache = new services.ItemsService('cp_settings', { schema: { collections: {}, relations: [] } }).cache;
		if (cache && typeof cache.get === 'function' && typeof cache.set === 'function' && typeof cache.delete === 'function') shared = cache;
	} catch {
		shared = null;
	}
}

export const sharedCache = (): SharedCache | null => shared;
