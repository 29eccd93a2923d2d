// The server-side guard of every cp_ write. Each handler is a thin adapter: load the facts,
// ask the domain (src/domain), write in one transaction. Directus calls `filter` hooks before
// a write (a thrown error refuses it, nothing is written) and `action` hooks after it commits.
import { defineHook } from '@directus/extensions-sdk';
import type { Knex } from 'knex';
import { actorFrom, loadSettings, type Accountability } from '../../services/context';
import { translated } from '../../services/errors';
import { CP_COLLECTIONS, assertDeletable, assertNotAppendOnly, assertNotEngineOnly, auditWrite, registerAuditSchemaGuard } from '../../services/records';
import { registerSettings } from '../../services/settings';
import { registerContractReview } from '../../services/contract-review';
import { permittedSettings } from '../../services/permissions';
import { assertPayloadShape } from '../../services/payload';
import { assertWritePolicy } from '../../services/policy';
import { registerComplaints } from '../../services/complaints';
import { registerNumbering } from '../../services/numbering';
import { registerMail } from '../../services/mail';
import { registerProperty } from '../../services/property';
import { registerSamples } from '../../services/samples';
import { registerCustomers } from '../../services/customers';
import { registerConfidential } from '../../services/confidential';
import { registerErrorLanguage } from '../../services/error-language';
import { registerSelfService } from '../../services/self-service';
import { guardedSchedule, readiness } from '../../services/readiness';
import { registerSharedCache } from '../../services/cache';

type Ctx = { database: Knex; accountability: Accountability | null };

export default defineHook(({ filter, action, schedule, init }, { database, logger, env, services, getSchema }) => {
	// Directus's data cache holds the settings across requests when it purges itself (services/context.ts).
	registerSharedCache({ services, env });
	// cp_settings changes are audited field by field, in their write's transaction (services/settings.ts).
	const audited = CP_COLLECTIONS.filter((c) => c !== 'cp_audit' && c !== 'cp_settings');
	// Permission (Directus checks it only after the filters), shape, then the collection's write policy.
	const writeGuard = (collection: string, kind: 'create' | 'update') =>
		translated(async (payload: unknown, meta: { keys?: (string | number)[] } | undefined, ctx: Ctx & { schema?: any }) => {
			// The permission and the settings in one statement (issue 14, services/permissions.ts).
			const actor = actorFrom(ctx.accountability, await permittedSettings(ctx.database, ctx.accountability, collection, kind));
			if (kind === 'create') assertNotEngineOnly(collection);
			else assertNotAppendOnly(collection);
			assertPayloadShape(ctx.schema, collection, payload, Boolean(ctx.accountability && !ctx.accountability.admin));
			const keys = kind === 'create' ? null : (meta?.keys ?? []);
			await assertWritePolicy(ctx.database, collection, actor, payload, keys, ctx.schema, ctx.accountability);
			return payload;
		});

	// Registered first, so they run before every other filter of the collection: Directus checks
	// permissions only AFTER the filters, and some filters act (a contract transition commits).
	for (const collection of CP_COLLECTIONS) {
		filter(`${collection}.items.create`, writeGuard(collection, 'create'));
		filter(`${collection}.items.update`, writeGuard(collection, 'update'));
		filter(
			`${collection}.items.delete`,
			translated(async (keys: unknown, _meta: unknown, ctx: unknown) => {
				const { database: knex } = ctx as Ctx;
				const settings = await permittedSettings(knex, (ctx as Ctx).accountability, collection, 'delete');
				await assertDeletable(knex, collection, keys as (string | number)[], settings);
				return keys;
			}),
		);
	}

	// Audit trail: after the write committed, attributed to the user and department.
	for (const collection of audited) {
		const record = (kind: 'create' | 'update' | 'delete') => async (meta: Record<string, any>, ctx: Ctx) => {
			try {
				const knex = database;
				const settings = await loadSettings(knex, ctx.accountability);
				const actor = actorFrom(ctx.accountability, settings);
				const keys = kind === 'create' ? [meta.key] : (meta.keys ?? [meta.key]);
				await auditWrite(knex, actor, collection, kind, keys, kind === 'delete' ? null : (meta.payload ?? null));
			} catch (e) {
				logger.error(e, `[customer-processes] audit of ${kind} on ${collection} failed`);
			}
		};
		action(`${collection}.items.create`, record('create') as any);
		action(`${collection}.items.update`, record('update') as any);
		action(`${collection}.items.delete`, record('delete') as any);
	}

	// Quiet until installed: the jobs idle (one log line) while the cp_ schema is missing.
	const ready = readiness(database, logger);
	void ready.ready();
	// Hooks on Directus's own collections (notifications, users, errors, the schema) would read
	// cp_ tables that do not exist yet: they pass everything through until the installer has run.
	const guardedFilter: typeof filter = (event, handler) =>
		filter(event, (async (payload: unknown, meta: unknown, ctx: unknown) =>
			(await ready.readyFor(ctx as any)) ? (handler as any)(payload, meta, ctx) : payload) as any);
	const guardedAction: typeof action = (event, handler) =>
		action(event, (async (meta: unknown, ctx: unknown) => ((await ready.readyFor(ctx as any)) ? (handler as any)(meta, ctx) : undefined)) as any);
	const api = {
		filter: guardedFilter,
		action: guardedAction,
		schedule: guardedSchedule(schedule, ready),
		init,
		database,
		logger,
		env,
		services,
		getSchema,
		ready,
	};
	registerSettings(api);
	registerAuditSchemaGuard(api);
	// Before the area adapters: they check the record with its number (PR-1 needs a label code).
	registerNumbering(api);
	registerContractReview(api);
	registerComplaints(api);
	registerMail(api);
	registerProperty(api);
	registerSamples(api);
	registerCustomers(api);
	registerConfidential(api);
	registerErrorLanguage(api);
	registerSelfService(api);
});
