// Customers linked to the company's own customers collection (install setting
// cp_settings.customers_collection, see scripts/install.mjs#linkCompanyCustomers): a customer
// picked from the company's collection gets its name (and code) from there, so staff do not
// type them twice, and a reference to a row that does not exist is refused. The company's row is
// read through Directus with the acting user's permissions (a user who may not read the
// company's customers gets a clear 403, as on the company collection itself); a change of the
// company row's name or code is copied to the linked customer; a company row that customers
// still link to cannot be deleted.
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { fieldLabel } from '../domain/policy/labels';
import { overrideReasonMissing } from '../domain/contract-review/customer-history';
import { loadSettings, type Accountability } from './context';
import { translated } from './errors';
import type { HookApi } from './contract-review';

type Payload = Record<string, any>;
type FilterCtx = { database: Knex; accountability: Accountability | null; schema: any };
type Services = { ItemsService: new (collection: string, opts: Record<string, unknown>) => any };

/** The company row, read as the acting user (admins and the system read everything). */
async function readCompanyRow(services: Services | undefined, collection: string, pk: string, key: unknown, ctx: FilterCtx): Promise<Payload | null> {
	if (!services)
		return (
			(await ctx
				.database(collection)
				.where(pk, key as any)
				.first()) ?? null
		);
	const items = new services.ItemsService(collection, { knex: ctx.database, schema: ctx.schema, accountability: ctx.accountability });
	try {
		const rows = await items.readByQuery({ filter: { [pk]: { _eq: key } }, limit: 1 });
		return rows?.[0] ?? null;
	} catch (e: any) {
		if (e?.status === 403 || e?.code === 'FORBIDDEN') {
			throw new DomainError(
				'CP_READ_FORBIDDEN',
				`无权读取公司顾客档案（${collection}），请管理员授予读取权限 / You may not read the company's customers (${collection}); an administrator grants the read permission`,
				{ field: 'company_customer' },
			);
		}
		throw e;
	}
}

/** Name and code of a company row, as copied to cp_customers. */
const copied = (collection: string, pk: string, row: Payload) => ({
	name: row.name ?? row.title ?? String(row[pk]),
	code: row.code ?? `${collection}-${row[pk]}`,
});

async function fromCompany(payload: Payload, ctx: FilterCtx, services?: Services): Promise<Payload> {
	if (payload.company_customer == null) return payload;
	const settings = await loadSettings(ctx.database);
	const collection = (settings as any).customers_collection as string | null;
	if (!collection || collection === 'cp_customers') {
		throw new DomainError('CP_INVALID_VALUE', `No company customers collection is linked (install setting customers_collection)`, {
			field: 'company_customer',
		});
	}
	const pk = ctx.schema?.collections?.[collection]?.primary ?? 'id';
	const row = await readCompanyRow(services, collection, pk, payload.company_customer, ctx);
	if (!row)
		throw new DomainError('CP_INVALID_VALUE', `${collection} ${JSON.stringify(payload.company_customer)} does not exist`, { field: 'company_customer' });
	const c = copied(collection, pk, row);
	return { ...payload, name: payload.name ?? c.name, code: payload.code ?? c.code };
}

export function registerCustomers({ filter, action, services, database, logger, ready }: HookApi & { ready?: { ready(): Promise<boolean> } }): void {
	filter(
		'cp_customers.items.create',
		translated(async (payload: Payload, _m: unknown, ctx: FilterCtx) => fromCompany(payload, ctx, services)),
	);
	filter(
		'cp_customers.items.update',
		translated(async (payload: Payload, meta: { keys?: unknown[] }, ctx: FilterCtx) => {
			await assertOverrideReason(payload, meta?.keys ?? [], ctx.database);
			return fromCompany(payload, ctx, services);
		}),
	);

	/** The linked company collection, or null (schema missing, nothing linked, another collection). */
	const linked = async (collection: string | undefined, knex: Knex): Promise<string | null> => {
		if (!collection || collection.startsWith('cp_') || collection.startsWith('directus_')) return null;
		if (ready && !(await ready.ready())) return null;
		const settings = await loadSettings(knex);
		const c = (settings as any).customers_collection as string | null;
		return c && c === collection ? c : null;
	};

	// A company customer that cp_customers still link to is not deleted (the records keep it).
	filter(
		'items.delete',
		translated(async (keys: unknown, meta: { collection?: string }, ctx: FilterCtx) => {
			const collection = await linked(meta?.collection, ctx.database);
			if (!collection || !Array.isArray(keys) || !keys.length) return keys;
			const refs = await ctx
				.database('cp_customers')
				.whereIn('company_customer', keys as any[])
				.select('name');
			if (refs.length) {
				throw new DomainError(
					'CP_IN_USE',
					`公司顾客仍被顾客档案引用，不能删除：${refs.map((r: any) => r.name).join('、')} / Company customers still linked to customer records cannot be deleted: ${refs.map((r: any) => r.name).join(', ')}`,
					{ details: { customers: refs.map((r: any) => r.name) } },
				);
			}
			return keys;
		}),
	);

	// Name and code kept in step with the company row.
	action('items.update', async (meta: { collection?: string; keys?: unknown[]; payload?: Payload }, ctx: { schema?: any }) => {
		try {
			// What the payload says first: most updates change none of these fields and need no settings read.
			if (!meta?.keys?.length || !meta.payload || !['name', 'title', 'code'].some((f) => Object.hasOwn(meta.payload!, f))) return;
			const collection = await linked(meta?.collection, database);
			if (!collection) return;
			const pk = ctx?.schema?.collections?.[collection]?.primary ?? 'id';
			for (const key of meta.keys) {
				const row = await database(collection)
					.where(pk, key as any)
					.first();
				if (!row) continue;
				const c = copied(collection, pk, row);
				await database('cp_customers')
					.where('company_customer', key as any)
					.update({ name: c.name, code: c.code });
			}
		} catch (e) {
			logger.error(e, '[customer-processes] copying a company customer change failed');
		}
	});
}

/** CR-8: a change of New customer by Sales carries its reason (the rule is the domain's). */
async function assertOverrideReason(payload: Payload, keys: unknown[], knex: Knex): Promise<void> {
	if (!Object.hasOwn(payload, 'is_new') || !keys.length) return;
	const rows = await knex('cp_customers')
		.whereIn('id', keys as string[])
		.select('id', 'is_new');
	if (rows.some((row: any) => overrideReasonMissing(row, payload))) {
		const label = fieldLabel('cp_customers', 'is_new_reason');
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `${label}：改判新老顾客须注明原因 / a change of New customer needs its reason`, {
			field: 'is_new_reason',
		});
	}
}
