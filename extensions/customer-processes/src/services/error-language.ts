// Refusals in the user's language (zh-CN or English, by the Directus user's language, else the
// project's default language): Directus's `request.error` filter rewrites the message of every
// CP_* error with domain/error-text.ts, and the app's error dialog title (`errors.<code>`) comes
// from Directus translation strings, registered for every code of the domain's table at start.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { HookApi } from './contract-review';
import { errorTitles, localizeMessage, uiLang, type UiLang } from '../domain/error-text';
import { FIELD_LABELS } from '../domain/policy/labels.generated';

/** The request an error answers (its path names the collection), for the error filter that gets no request. */
const requestStore = new AsyncLocalStorage<{ path: string }>();

/** "/items/cp_actions/..." or "/cp/complaints/..." -> the collection whose labels name the fields. */
export function collectionOfPath(path: string): string | undefined {
	const items = /^\/items\/(cp_[a-z_]+)/.exec(path);
	if (items && FIELD_LABELS[items[1]!]) return items[1];
	const own = /^\/cp\/([a-z_]+)/.exec(path);
	const name = own ? `cp_${own[1]}` : undefined;
	return name && FIELD_LABELS[name] ? name : undefined;
}

/** The user's Directus language, else the project's default, as the bundle's text language. */
export async function languageOf(knex: Knex, user: string | null | undefined): Promise<UiLang> {
	const own = user
		? await knex('directus_users')
				.where('id', user)
				.first('language')
				.catch(() => null)
		: null;
	if (own?.language) return uiLang(own.language);
	const settings = await knex('directus_settings')
		.first('default_language')
		.catch(() => null);
	return uiLang(settings?.default_language);
}

/** A stable id per translation string, so that instances starting together insert each row once. */
const translationId = (key: string, language: string) => {
	const h = createHash('sha1').update(`cp-error-title:${language}:${key}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * The app's title of each CP_* code, in zh-CN and en-US, as Directus translation strings (Settings ->
 * Translations): added when missing, so an administrator's own wording of a title is kept.
 */
export async function registerErrorTitles(knex: Knex): Promise<number> {
	const wanted = errorTitles().flatMap((t) => [
		{ key: t.key, language: 'zh-CN', value: t.zh },
		{ key: t.key, language: 'en-US', value: t.en },
	]);
	const present = await knex('directus_translations')
		.whereIn('key', [...new Set(wanted.map((w) => w.key))])
		.select('key', 'language');
	const have = new Set(present.map((p: { key: string; language: string }) => `${p.language}|${p.key}`));
	const missing = wanted.filter((w) => !have.has(`${w.language}|${w.key}`)).map((w) => ({ id: translationId(w.key, w.language), ...w }));
	for (let i = 0; i < missing.length; i += 50) {
		await knex('directus_translations')
			.insert(missing.slice(i, i + 50))
			.onConflict('id')
			.ignore();
	}
	return missing.length;
}

export function registerErrorLanguage(api: HookApi): void {
	api.init?.('middlewares.after', ({ app }: { app: any }) => {
		app.use((req: any, _res: any, next: () => void) => requestStore.run({ path: String(req.path ?? req.url ?? '') }, next));
	});
	api.init?.('app.after', async () => {
		try {
			await registerErrorTitles(api.database);
		} catch (e) {
			api.logger.warn(e, '[customer-processes] the error titles could not be registered as translation strings');
		}
	});
	api.filter('request.error', async (errors: any[], _meta: unknown, ctx: { database?: Knex; accountability?: { user?: string | null } | null }) => {
		if (!Array.isArray(errors) || !errors.some((e) => String(e?.extensions?.code ?? '').startsWith('CP_'))) return errors;
		const knex = ctx.database ?? api.database;
		const lang = await languageOf(knex, ctx.accountability?.user);
		const collection = collectionOfPath(requestStore.getStore()?.path ?? '');
		return errors.map((e) => {
			if (!String(e?.extensions?.code ?? '').startsWith('CP_') || typeof e.message !== 'string') return e;
			const message = localizeMessage(e.message, lang, { collection });
			const extensions = { ...e.extensions, ...(typeof e.extensions?.message === 'string' ? { message } : {}) };
			if (Array.isArray(extensions.failures))
				extensions.failures = extensions.failures.map((f: any) =>
					typeof f?.message === 'string' ? { ...f, message: localizeMessage(f.message, lang, { collection }) } : f,
				);
			return { ...e, message, extensions };
		});
	});
}
