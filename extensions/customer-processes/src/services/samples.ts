// Samples and tooling estimates adapter (CR-15, CR-16): the generic guard has asked the policy
// (domain/policy/cp_samples.ts) which fields may be written; every status change goes through the
// domain's plan (contract-review/samples.ts), and its stamps and audit row are written with it.
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { planSampleTransition } from '../domain/contract-review/samples';
import { actorFrom, loadSettings, type Accountability } from './context';
import { appendAudit } from './audit';
import { lockRow } from './db';
import { translated } from './errors';
import type { HookApi } from './contract-review';

type Payload = Record<string, any>;
type FilterCtx = { database: Knex; accountability: Accountability | null };

export function registerSamples({ filter }: HookApi): void {
	filter(
		'cp_samples.items.create',
		translated(async (payload: Payload, _m: unknown, ctx: FilterCtx) => {
			const settings = await loadSettings(ctx.database, ctx.accountability);
			const actor = actorFrom(ctx.accountability, settings);
			if (payload.status && payload.status !== 'requested' && !actor.system) {
				throw new DomainError('CP_ILLEGAL_TRANSITION', `A sample or tooling estimate starts as requested (CR-15, CR-16)`, { field: 'status' });
			}
			if (!payload.customer || !(await ctx.database('cp_customers').where('id', payload.customer).first('id'))) {
				throw new DomainError('CP_INVALID_VALUE', `customer ${JSON.stringify(payload.customer ?? null)} does not exist`, { field: 'customer' });
			}
			if (payload.tooling_estimate != null && !(Number(payload.tooling_estimate) >= 0))
				throw new DomainError('CP_INVALID_VALUE', `tooling_estimate must be zero or more`, { field: 'tooling_estimate' });
			return { ...payload, status: 'requested' };
		}),
	);

	filter(
		'cp_samples.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			if (!('status' in payload)) return payload;
			const settings = await loadSettings(ctx.database, ctx.accountability);
			const actor = actorFrom(ctx.accountability, settings);
			const now = new Date();
			let stamps: Payload = {};
			await ctx.database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const row = await lockRow(trx, 'cp_samples', id);
					if (!row) continue;
					const plan = planSampleTransition(row, payload, {
						userId: actor.userId,
						departments: actor.departments,
						privileged: actor.isAdmin || actor.system,
					});
					if (!plan) continue;
					stamps = plan.stamps;
					await appendAudit(trx, actor, [{ collection: 'cp_samples', item: id, ...plan.audit }], now);
				}
			});
			return { ...payload, ...stamps };
		}),
	);
}
