// /cp: the bundle's own HTTP API. `GET /cp/info` tells an admin (and the test harness) that the
// bundle is loaded and which of its collections exist on this instance.
import { defineEndpoint } from '@directus/extensions-sdk';
import { CP_COLLECTIONS } from '../../services/records';
import { actorFrom, loadSettings } from '../../services/context';
import { workQueue } from '../../services/queue';
import { backfillReviewSubmittedAt } from '../../services/contract-review';
import { ensureIndexes } from '../../services/indexes';
import { reviewCycleColumns } from '../../services/kpi';
import { parseQueueScope } from '../../domain/queue-scope';
import { cachePurger, registerSharedCache } from '../../services/cache';
import { mountComplaints } from './complaints';
import { mountMail } from './mail';
import { mountPublic } from './public';
import { mountProperty } from './property';
import { mountForms } from './forms';
import { mountKpi } from './kpi';
import { mountCorrections } from './corrections';
import { mountTestClock } from './test-clock';
import { mountSteps } from './steps';
import { mountSetup } from './setup';
import pkg from '../../../package.json';

export default defineEndpoint({
	id: 'cp',
	handler: (router, context) => {
		const { database } = context;
		const ctx = context as any;
		// /cp commands write with knex: purge the shared data cache before answering, so that no
		// instance serves the old state afterwards (ItemsService writes purge by themselves).
		const purge = cachePurger(ctx);
		registerSharedCache(ctx);
		router.use((req: any, res: any, next: any) => {
			if (req.method === 'GET' || req.method === 'HEAD') return next();
			const json = res.json.bind(res);
			res.json = (body: unknown) => {
				if (res.statusCode >= 400) return json(body);
				purge().finally(() => json(body));
				return res;
			};
			next();
		});
		mountPublic(router, { ...ctx, purge });
		mountComplaints(router, ctx);
		mountMail(router, ctx);
		mountProperty(router, ctx);
		mountForms(router, ctx);
		mountKpi(router, ctx);
		mountCorrections(router, ctx);
		mountSteps(router, ctx);
		mountTestClock(router, ctx); // only with CP_TEST_CLOCK=true (tests); otherwise no route, 404
		// The caller's work queue; counts only, each entry links to the filtered item list.
		router.get('/queue', async (req: any, res, next) => {
			try {
				if (!req.accountability?.user)
					return res.status(401).json({ errors: [{ message: 'Log in to see your work queue', extensions: { code: 'INVALID_CREDENTIALS' } }] });
				const settings = await loadSettings(database);
				const actor = actorFrom(req.accountability, settings);
				const zh = String(req.query.lang ?? req.headers['accept-language'] ?? '')
					.toLowerCase()
					.startsWith('zh');
				const scope = parseQueueScope(req.query.scope);
				res.json({ data: await workQueue(database, actor, zh, new Date(), { scope }), departments: actor.departments, scope });
			} catch (e) {
				next(e);
			}
		});

		// The release steps' jobs (scripts/migrations/steps.mjs), for an administrator only; each idempotent.
		const upgradeJob = (path: string, run: () => Promise<unknown>) =>
			router.post(path, async (req: any, res, next) => {
				try {
					if (!req.accountability?.admin)
						return res.status(403).json({ errors: [{ message: 'Only an administrator runs the upgrade steps', extensions: { code: 'CP_SYSTEM_ONLY' } }] });
					res.json({ data: await run() });
				} catch (e) {
					next(e);
				}
			});
		// 0.3.0: the review rounds' submission times from the audit trail.
		upgradeJob('/jobs/review-submitted-at', async () => ({ contracts: await backfillReviewSubmittedAt(database) }));
		// 0.4.0: the composite indexes (services/indexes.ts), creating what is missing.
		upgradeJob('/jobs/indexes', () => ensureIndexes(database));
		// 0.4.0: completions' route and hours in their columns, and the index the cycle time reads (issue 14).
		upgradeJob('/jobs/review-cycle-columns', () => reviewCycleColumns(database));

		mountSetup(router as any, (context as any).env ?? {});

		router.get('/info', async (_req, res, next) => {
			try {
				const rows = await database('directus_collections')
					.whereIn('collection', [...CP_COLLECTIONS])
					.select('collection');
				const present = new Set(rows.map((r: { collection: string }) => r.collection));
				res.json({
					data: {
						bundle: pkg.name,
						version: pkg.version,
						collections: CP_COLLECTIONS.map((c) => ({ collection: c, present: present.has(c) })),
						schema_complete: CP_COLLECTIONS.every((c) => present.has(c)),
					},
				});
			} catch (e) {
				next(e);
			}
		});
	},
});
