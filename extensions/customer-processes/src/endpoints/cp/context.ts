import type { Knex } from 'knex';

/** What the /cp endpoint hands to each area's routes (a subset of Directus's endpoint context). */
export interface EndpointContext {
	database: Knex;
	services: any;
	getSchema: () => Promise<any>;
	logger: { error: (...a: any[]) => void; info: (...a: any[]) => void; warn: (...a: any[]) => void };
	env: Record<string, any>;
}
