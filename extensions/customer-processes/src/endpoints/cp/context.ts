import { LoginRequiredError, translated } from '../../services/errors';
import type { Knex } from 'knex';
import { isDomainError } from '../../domain/errors';
import { errorTitle, localizeMessage, uiLang } from '../../domain/error-text';
import { refusalPage } from '../../domain/forms/layout';

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

/**
 * Headers of every HTML page of the bundle (printable forms, labels, problem reports) and of
 * the evidence pack: the pages carry no script and load nothing, so the policy allows inline
 * styles only; nosniff stops a browser from reading any answer of these routes as another type.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
	'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
	'x-content-type-options': 'nosniff',
};

export function setPageHeaders(res: any): void {
	res.set(PAGE_HEADERS);
}

/**
 * A route that answers an HTML page: the page headers are set before anything runs, so the
 * route's error answers (401, 403, 404, 409) carry them as well. `fn` returns the page, or
 * undefined when it answered by itself.
 */
export const htmlRoute = (fn: (req: any, res: any) => Promise<string | undefined>) =>
	route(async (req, res) => {
		setPageHeaders(res);
		let html: string | undefined;
		try {
			html = await fn(req, res);
		} catch (e) {
			// A browser tab (the page's print button) gets a page that says why, not JSON.
			if (!isDomainError(e) || res.headersSent || !String(req.headers?.accept ?? '').includes('text/html')) throw e;
			const lang = uiLang(String(req.headers?.['accept-language'] ?? '').split(',')[0]);
			res
				.status(e.status)
				.set('content-type', 'text/html; charset=utf-8')
				.send(refusalPage(errorTitle(e.code, lang), localizeMessage(e.message, lang)));
			return;
		}
		if (html === undefined || res.headersSent) return;
		res.status(200).set('content-type', 'text/html; charset=utf-8').send(html);
	});
