// Samples and tooling estimates adapter (CR-15, CR-16): every status change of cp_samples goes
// through the domain's transition tables; stamps and the audit row are written with it.
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { assertSampleTransition, type SampleStatus } from '../domain/contract-review/samples';
import { actorFrom, loadSettings, type Accountability } from './context';
import { appendAudit } from './audit';
import { lockRow, toBool } from './db';
import { translated } from './errors';
import type { HookApi } from './contract-review';

type Payload = Record<string, any>;
type FilterCtx = { database: Knex; accountability: Accountability | null };

export function registerSamples({ filter }: HookApi): void {
	filter(
		'cp_samples.items.create',
		translated(async (payload: Payload, _m: unknown, ctx: FilterCtx) => {
			const settings = await loadSettings(ctx.database);
			const actor = actorFrom(ctx.accountability, settings);
			if (payload.status && payload.status !== 'requested' && !actor.system) {
				throw new DomainError('CP_ILLEGAL_TRANSITION', `A sample or tooling estimate starts as requested (CR-15, CR-16)`, { field: 'status' });
			}
			if ('approved_by' in payload && !actor.system)
				throw new DomainError('CP_SYSTEM_ONLY', `approved_by is stamped by the GM's approval (CR-16)`, { field: 'approved_by' });
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
			const settings = await loadSettings(ctx.database);
			const actor = actorFrom(ctx.accountability, settings);
			if ('approved_by' in payload && !actor.system)
				throw new DomainError('CP_SYSTEM_ONLY', `approved_by is stamped by the GM's approval (CR-16)`, { field: 'approved_by' });
			if ('kind' in payload) throw new DomainError('CP_SYSTEM_ONLY', `the kind of a sample record cannot change`, { field: 'kind' });
			if (!('status' in payload)) return payload;
			const now = new Date();
			let stamps: Payload = {};
			await ctx.database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const row = await lockRow(trx, 'cp_samples', id);
					if (!row || row.status === payload.status) continue;
					const merged = { ...row, ...payload };
					const guard = assertSampleTransition(row.status as SampleStatus, payload.status, {
						kind: row.kind,
						actorDepartments: actor.departments,
						isAdmin: actor.isAdmin || actor.system,
						parameters: merged.parameters,
						inspectionResult: merged.inspection_result,
						inspectionReport: merged.inspection_report,
						sealedReference: toBool(merged.sealed_reference),
						toolingEstimate: merged.tooling_estimate == null ? null : Number(merged.tooling_estimate),
						costSharingPlan: merged.cost_sharing_plan,
						customerConsentAt: merged.customer_consent_at,
					});
					stamps = guard === 'gm_approve' ? { approved_by: actor.userId } : {};
					// A remade sample is inspected again: the old result does not carry over.
					if (guard === 'remake') stamps = { inspection_result: null };
					await appendAudit(trx, actor, [{ collection: 'cp_samples', item: id, action: guard, from_status: row.status, to_status: payload.status }], now);
				}
			});
			return { ...payload, ...stamps };
		}),
	);
}
