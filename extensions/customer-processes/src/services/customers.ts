// Customers linked to the company's own customers collection (install setting
// cp_settings.customers_collection, see scripts/install.mjs#linkCompanyCustomers): a customer
// picked from the company's collection gets its name (and code) from there, so staff do not
// type them twice, and a reference to a row that does not exist is refused.
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { fieldLabel } from '../domain/policy/labels';
import { overrideReasonMissing } from '../domain/contract-review/customer-history';
import { loadSettings, type Accountability } from './context';
import { translated } from './errors';
import type { HookApi } from './contract-review';

type Payload = Record<string, any>;
type FilterCtx = { database: Knex; accountability: Accountability | null; schema: any };

async function fromCompany(payload: Payload, ctx: FilterCtx): Promise<Payload> {
	if (payload.company_customer == null) return payload;
	const settings = await loadSettings(ctx.database);
	const collection = (settings as any).customers_collection as string | null;
	if (!collection || collection === 'cp_customers') {
		throw new DomainError('CP_INVALID_VALUE', `No company customers collection is linked (install setting customers_collection)`, {
			field: 'company_customer',
		});
	}
	const pk = ctx.schema?.collections?.[collection]?.primary ?? 'id';
	const row = await ctx.database(collection).where(pk, payload.company_customer).first();
	if (!row)
		throw new DomainError('CP_INVALID_VALUE', `${collection} ${JSON.stringify(payload.company_customer)} does not exist`, { field: 'company_customer' });
	return {
		...payload,
		name: payload.name ?? row.name ?? row.title ?? String(row[pk]),
		code: payload.code ?? row.code ?? `${collection}-${row[pk]}`,
	};
}

export function registerCustomers({ filter }: HookApi): void {
	filter(
		'cp_customers.items.create',
		translated(async (payload: Payload, _m: unknown, ctx: FilterCtx) => fromCompany(payload, ctx)),
	);
	filter(
		'cp_customers.items.update',
		translated(async (payload: Payload, meta: { keys?: unknown[] }, ctx: FilterCtx) => {
			await assertOverrideReason(payload, meta?.keys ?? [], ctx.database);
			return fromCompany(payload, ctx);
		}),
	);
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
