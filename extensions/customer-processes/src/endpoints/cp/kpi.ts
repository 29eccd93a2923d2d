// /cp/kpi: the management indicators behind the Insights panels (X-4, CP-7, CC-3, CC-4).
// Each answers only a logged-in user who may read every collection it aggregates.
import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { route, type EndpointContext } from './context';
import { actorFrom, loadSettings } from '../../services/context';
import { collectionsRead, runKpi, type KpiScope } from '../../services/kpi';
import { DomainError } from '../../domain/errors';
import { isKpiKey, KPI_KEYS, KPIS, type KpiKey } from '../../domain/kpi/definitions';
import { parseKpiOptions, type KpiOptions } from '../../domain/kpi/filters';
import { DEFAULT_ZONE, localDateKey } from '../../domain/schedule/periods';
import { hiddenKinds } from '../../domain/property/register';
import { validKey } from '../../services/property';
import { sharedCache } from '../../services/cache';

/** How long a proven read access is kept at most (Directus's purge after writes usually comes first). */
const READ_ACCESS_CACHE_MS = 60_000;

/** One entry per viewer as Directus sees them: user, roles, admin and app flags, IP (policies may limit it). */
function readAccessKey(a: any): string {
	const roles = [...new Set([...(a.roles ?? []), ...(a.role ? [a.role] : [])])].sort();
	const who = JSON.stringify([a.user ?? null, roles, Boolean(a.admin), Boolean(a.app), a.ip ?? null]);
	return `cp:read-access:${createHash('sha256').update(who).digest('hex')}`;
}

export function mountKpi(router: Router, ctx: EndpointContext): void {
	const { database, services, getSchema } = ctx;

	const unauthenticated = (res: any) =>
		res.status(401).json({ errors: [{ message: 'Log in to see the indicators', extensions: { code: 'INVALID_CREDENTIALS' } }] });

	/**
	 * Refuses unless the viewer may read each collection (Directus evaluates its own permissions).
	 * What a viewer was found to read is kept in Directus's data cache (services/cache.ts): Directus
	 * clears that cache after every write through its API, permissions, policies, roles and users
	 * included, so a withdrawn permission is probed again at the next request on every instance.
	 */
	async function assertReadable(accountability: any, collections: string[]) {
		if (accountability.admin) return;
		const cache = sharedCache();
		const key = readAccessKey(accountability);
		const known = new Set(cache ? (((await cache.get(key).catch(() => undefined)) as string[] | undefined) ?? []) : []);
		const missing = collections.filter((c) => !known.has(c));
		if (!missing.length) return;
		const schema = await getSchema();
		for (const collection of missing) {
			const pk = schema?.collections?.[collection]?.primary ?? 'id';
			try {
				// limit 0: Directus checks the access, reads nothing (and audits no personal-data read).
				await new services.ItemsService(collection, { schema, accountability, knex: database }).readByQuery({ limit: 0, fields: [pk] });
			} catch (e: any) {
				if (e?.status === 403 || e?.code === 'FORBIDDEN') {
					throw new DomainError('CP_READ_FORBIDDEN', `You may not read ${collection}, which this indicator aggregates`, { details: { collection } });
				}
				throw e;
			}
			known.add(collection);
		}
		await cache?.set(key, [...known], READ_ACCESS_CACHE_MS).catch(() => undefined);
	}

	/** Customer option: the key or the customer code. */
	async function customerKey(v: string | null): Promise<string | null> {
		if (!v) return null;
		const schema = await getSchema();
		const q = database('cp_customers');
		if (validKey(schema, 'cp_customers', v)) q.where('id', v);
		else q.where('code', v);
		const row = await q.first('id');
		if (!row) throw new DomainError('CP_INVALID_VALUE', `customer '${v}' does not exist (give its key or its code)`, { field: 'customer' });
		return String(row.id);
	}

	router.get(
		'/kpi',
		route(async (req, res) => {
			if (!req.accountability?.user) return unauthenticated(res);
			res.json({ data: KPI_KEYS.map((k) => KPIS[k]) });
		}),
	);

	router.get(
		'/kpi/:key',
		route(async (req, res) => {
			if (!req.accountability?.user) return unauthenticated(res);
			const key = req.params.key;
			if (!isKpiKey(key)) throw new DomainError('CP_INVALID_VALUE', `Unknown indicator '${key}'; one of ${KPI_KEYS.join(', ')}`, { field: 'kpi', status: 404 });
			const def = KPIS[key as KpiKey];
			const settings = await loadSettings(database);
			const zone = String((settings.calendar as any)?.zone ?? DEFAULT_ZONE);
			const parsed = parseKpiOptions(req.query ?? {}, Object.keys(settings.departments ?? {}), zone);
			// Options that do not apply to this indicator are dropped, and said so.
			const applies = new Set(def.filters);
			const options: KpiOptions = {
				...parsed,
				...(applies.has('period') ? {} : { from: null, to: null, fromInstant: null, toInstant: null }),
				customer: applies.has('customer') ? parsed.customer : null,
				department: applies.has('department') ? parsed.department : null,
			};
			const ignored = [
				...(!applies.has('period') && (parsed.from || parsed.to) ? ['period'] : []),
				...(!applies.has('customer') && parsed.customer ? ['customer'] : []),
				...(!applies.has('department') && parsed.department ? ['department'] : []),
			];
			await assertReadable(req.accountability, collectionsRead(key as KpiKey, options));
			const actor = actorFrom(req.accountability, settings);
			const now = new Date();
			const scope: KpiScope = {
				...options,
				customerId: await customerKey(options.customer),
				now,
				today: localDateKey(now, zone),
				in30Days: localDateKey(new Date(now.getTime() + 30 * 86_400_000), zone),
				hiddenKinds: actor.isAdmin ? [] : hiddenKinds(actor),
			};
			const rows = await runKpi(database, key as KpiKey, scope);
			res.json({
				data: {
					kpi: key,
					title: def.title,
					note: def.note,
					columns: def.columns,
					options: { from: options.from, to: options.to, customer: options.customer, department: options.department },
					ignored,
					generated_at: now.toISOString(),
					rows,
				},
			});
		}),
	);
}
