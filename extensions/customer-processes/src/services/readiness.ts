// Quiet until installed: after the bundle is copied and Directus restarted, but before the
// installer has created the cp_ schema, the scheduled jobs and the hooks that reach beyond our
// own collections idle, with one log line, instead of failing every minute ("no such table").
import type { Knex } from 'knex';

/** The table whose presence means the installer has run (created with the schema, a singleton). */
export const READY_TABLE = 'cp_settings';

export interface Readiness {
	/** True once the cp_ schema exists; the first false logs one line, later ones are silent. */
	ready(): Promise<boolean>;
	/**
	 * The same for a hook, from the schema overview Directus hands it: no query, because the hook
	 * may run inside a transaction that holds SQLite's only connection (a query on the pool would
	 * wait for it until the pool gives up).
	 */
	readyFor(context: { schema?: { collections?: Record<string, unknown> } | null } | undefined): Promise<boolean>;
}

export function readiness(database: Knex, logger: { info: (m: string) => void; warn: (m: string) => void }): Readiness {
	let known = false;
	let told = false;
	const r: Readiness = {
		async readyFor(context) {
			if (known) return true;
			const collections = context?.schema?.collections;
			// Without an overview (rare events), the hook runs as it always did.
			if (!collections) return true;
			if (READY_TABLE in collections) {
				known = true;
				if (told) logger.info('[customer-processes] cp_ schema found: jobs and hooks active');
			}
			return known;
		},
		async ready() {
			if (known) return true;
			try {
				known = await database.schema.hasTable(READY_TABLE);
			} catch {
				known = false;
			}
			if (!known && !told) {
				told = true;
				logger.warn(
					'[customer-processes] the cp_ schema is not installed yet: jobs and hooks idle until an admin runs the installer (npx directus-extension-customer-processes install --url <this instance>)',
				);
			}
			if (known && told) logger.info('[customer-processes] cp_ schema found: jobs and hooks active');
			return known;
		},
	};
	return r;
}

/** A `schedule` that skips its handler while the schema is missing. */
export function guardedSchedule(schedule: (cron: string, handler: () => any) => void, r: Readiness) {
	return (cron: string, handler: () => any) =>
		schedule(cron, async () => {
			if (!(await r.ready())) return;
			return handler();
		});
}
