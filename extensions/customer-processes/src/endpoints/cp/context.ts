import { LoginRequiredError, translated } from '../../services/errors';
import type { Knex } from 'knex';

/** What the /cp endpoint hands to each area's routes (a subset of Directus's endpoint context). */
export interface EndpointContext {
	database: Knex;
	services: any;
	getSchema: () => Promise<any>;
	logger: { error: (...a: any[]) => void; info: (...a: any[]) => void; warn: (...a: any[]) => void };
	env: Record<string, any>;
}

/** An Express handler that runs `fn`, turning domain errors into Directus errors for Directus's error handler. */
export const route =
	(fn: (req: any, res: any) => Promise<unknown>) =>
	(req: any, res: any, next: (e?: unknown) => void): void => {
		translated(fn)(req, res).catch(next);
	};

/** 401 unless a person is logged in; `what` completes "Log in to ...". */
export function requireUser(req: any, what: string): void {
	if (!req.accountability?.user) throw new LoginRequiredError({ what });
}
