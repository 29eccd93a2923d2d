// Contract review adapter (CR-1..CR-17). Every transition is a normal Directus item write; these
// filter hooks lock the records, load the facts, ask the domain's plans (domain/contract-review)
// and write what they return, with the audit entries, in ONE database transaction before Directus
// writes the (identical) values of the request. Who may write which field is the write policy's
// (domain/policy/cp_*.ts), asked by the generic guard before these filters run.
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { DEFAULT_ROUTES, type ContractLine, type RouteTable } from '../domain/contract-review/routes';
import type { DiscrepancyStatus } from '../domain/contract-review/review';
import {
	REVIEWED_STATUSES,
	assertContractContent,
	assertContractLineContent,
	assertLinesEditable,
	assertStatusTravelsAlone,
	planContractCreation,
	planContractTransition,
	planReviewCompletion,
	planReviewRound,
	type ContractRow,
	type CurrentRound,
	type ReviewLineToOpen,
	type RoundFacts,
} from '../domain/contract-review/contract-plan';
import { planSignLine } from '../domain/contract-review/sign-line';
import { SIGNED_STATUSES, decideNewCustomer } from '../domain/contract-review/customer-history';
import { processDepartments } from '../domain/process-departments';
import { planDiscrepancyUpdate, planRaiseDiscrepancy, reopenedLineAudit } from '../domain/contract-review/discrepancies';
import { planAcknowledgement } from '../domain/contract-review/task-notices';
import { planChangeCreation, planChangeStep } from '../domain/contract-review/changes';
import { actorFrom, loadSettings, type Accountability, type ActorInfo, type Settings } from './context';
import { appendAudit } from './audit';
import { countRows, dialectOf, lockRow, toBool } from './db';
import { notifyDepartments } from './notify';
import { translated } from './errors';
import * as clock from './clock';

export interface HookApi {
	filter: (event: string, handler: (...args: any[]) => any) => void;
	action: (event: string, handler: (...args: any[]) => any) => void;
	schedule: (cron: string, handler: () => any) => void;
	/** Directus's init events (e.g. 'routes.before' with the express app). */
	init?: (event: string, handler: (meta: any) => any) => void;
	database: Knex;
	env: Record<string, any>;
	services: any;
	getSchema: () => Promise<any>;
	logger: { error: (...a: any[]) => void; info: (...a: any[]) => void; warn: (...a: any[]) => void };
}

type Payload = Record<string, any>;
type FilterCtx = { database: Knex; accountability: Accountability | null };
type Db = Knex | Knex.Transaction;

const routesFrom = (settings: Settings): RouteTable => ({ ...DEFAULT_ROUTES, ...(settings.routes ?? {}) }) as RouteTable;

const toLine = (l: any): ContractLine => ({
	product: l.product,
	specification: l.specification ?? undefined,
	material: l.material ?? undefined,
	marks: l.marks ?? undefined,
	process: l.process ?? undefined,
	quantity: Number(l.quantity),
	unit_price: l.unit_price == null ? undefined : Number(l.unit_price),
	delivery_date: l.delivery_date ?? undefined,
});

/** JSON columns take text on every dialect (pg would read a JS array as its own array type). */
const jsonText = (v: unknown) => (v === undefined ? undefined : JSON.stringify(v));

async function currentRound(trx: Db, contract: any): Promise<CurrentRound> {
	// Locking reads: on MariaDB (REPEATABLE READ) a plain read would still see the snapshot taken
	// before this transaction waited for the contract lock, and miss a signature committed meanwhile.
	const shared = (q: Knex.QueryBuilder) => (dialectOf(trx) === 'sqlite' ? q : q.forShare());
	const lines = await shared(trx('cp_review_lines').where({ contract: contract.id, round: contract.review_round })).select('department', 'decision', 'round');
	const discrepancies = await shared(trx('cp_discrepancies').where({ contract: contract.id }).whereNot('status', 'closed')).select('status');
	return { lines: lines.map((l: any) => ({ ...l, round: Number(l.round) })), discrepancies: discrepancies as { status: DiscrepancyStatus }[] };
}

async function roundFacts(trx: Db, settings: Settings, contract: any, withHistory: boolean): Promise<RoundFacts> {
	const lines = await trx('cp_contract_lines').where('contract', contract.id).orderBy('line_no');
	// CR-8: new or old from the customer's history (its signed contracts) and Sales's override, if any.
	const customer = await trx('cp_customers').where('id', contract.customer).first('is_new', 'is_new_reason');
	const signed = await countRows(
		trx('cp_contracts')
			.where('customer', contract.customer)
			.whereNot('id', contract.id)
			.whereIn('status', SIGNED_STATUSES as string[]),
	);
	const previous = withHistory
		? await trx('cp_contract_lines as l')
				.join('cp_contracts as c', 'c.id', 'l.contract')
				.where('c.customer', contract.customer)
				.whereNot('c.id', contract.id)
				.whereIn('c.status', REVIEWED_STATUSES as string[])
				.select('l.*')
		: [];
	return {
		lines: lines.map(toLine),
		customerIsNew: decideNewCustomer({
			signedContracts: signed,
			override: { is_new: customer?.is_new == null ? null : toBool(customer.is_new), reason: customer?.is_new_reason },
		}).isNew,
		previousReviewedLines: previous.map(toLine),
		routes: routesFrom(settings),
	};
}

async function insertReviewLines(trx: Db, contractId: string, lines: ReviewLineToOpen[], now: Date) {
	if (!lines.length) return;
	await trx('cp_review_lines').insert(
		lines.map((l) => ({
			id: crypto.randomUUID(),
			contract: contractId,
			round: l.round,
			stage: l.stage,
			department: l.department,
			decision: 'pending',
			checklist: jsonText(l.checklist),
			date_created: now,
		})),
	);
}

/** CR-6: completes the current round when the plan says so; the contract row is locked first. */
async function completeIfDone(trx: Knex.Transaction, actor: ActorInfo, contractId: string, now: Date): Promise<void> {
	const contract = await lockRow(trx, 'cp_contracts', contractId);
	if (!contract) return;
	const plan = planReviewCompletion(contract, await currentRound(trx, contract), now);
	if (!plan) return;
	const changed = await trx('cp_contracts')
		.where({ id: contractId, status: 'in_review', review_round: contract.review_round })
		.update({ ...plan.update, date_updated: now });
	if (changed === 1) await appendAudit(trx, actor, [plan.audit], now);
}

/** One contract status change: facts, plan, writes. Returns the fields the request must carry. */
async function transitionContract(trx: Knex.Transaction, actor: ActorInfo, settings: Settings, contract: ContractRow, payload: Payload, now: Date) {
	const to = String(payload.status);
	const plan = planContractTransition({
		...(await roundFacts(trx, settings, contract, to === 'in_review')),
		contract,
		payload,
		to,
		actor,
		refuseOralOrders: Boolean(settings.refuse_oral_orders),
		round: await currentRound(trx, contract),
		taskNoticeIssued: (await countRows(trx('cp_task_notices').where('contract', contract.id))) > 0,
		// who receives the task notice is the company's setting.
		taskNoticeDepartments: processDepartments(settings).taskNotice,
		// CR-9: the bid document's review lines of the current round decide whether a bid may be signed.
		bidDocumentLines:
			contract.kind === 'bid'
				? await trx('cp_review_lines').where({ contract: contract.id, round: contract.review_round, stage: 'bid_document' }).select('department', 'decision')
				: undefined,
		now,
	});
	if (!plan) return {};
	await insertReviewLines(trx, contract.id, plan.reviewLines, now);
	if (plan.taskNotices.length) {
		await trx('cp_task_notices').insert(
			plan.taskNotices.map((n) => ({ id: crypto.randomUUID(), contract: contract.id, ...n, issued_at: now, date_created: now })),
		);
	}
	await trx('cp_contracts')
		.where('id', contract.id)
		.update({ ...plan.update, date_updated: now });
	for (const n of plan.notifications)
		await notifyDepartments(trx, settings, [...n.departments], { subject: n.subject, message: n.message, collection: 'cp_contracts', item: contract.id }, now);
	await appendAudit(trx, actor, plan.audit, now);
	return plan.update;
}

async function assertCustomer(knex: Db, id: unknown) {
	if (id == null || id === '') throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `customer is required`, { field: 'customer' });
	if (typeof id !== 'string' || !(await knex('cp_customers').where('id', id).first('id'))) {
		throw new DomainError('CP_INVALID_VALUE', `customer ${JSON.stringify(id)} does not exist`, { field: 'customer' });
	}
}

export function registerContractReview({ filter }: HookApi): void {
	// Always the context's connection: a create filter, and every item of a batch
	// (PATCH [{id,...},...], an import), runs inside Directus's own transaction, so a refusal of a
	// later item rolls back what an earlier one set in motion; on SQLite (one connection) a query
	// through another handle would also wait for that transaction forever.
	const ctxOf = async (ctx: FilterCtx) => {
		const settings = await loadSettings(ctx.database);
		return { settings, actor: actorFrom(ctx.accountability, settings), database: ctx.database };
	};

	// ---- contracts ------------------------------------------------------------------------
	filter(
		'cp_contracts.items.create',
		translated(async (payload: Payload, _meta: any, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			const fields = planContractCreation(payload, actor);
			await assertCustomer(database, payload.customer);
			return { ...payload, ...fields };
		}),
	);

	filter(
		'cp_contracts.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { settings, actor, database } = await ctxOf(ctx);
			assertContractContent(payload);
			if ('customer' in payload) await assertCustomer(database, payload.customer);
			if (!actor.system) assertStatusTravelsAlone(payload);
			if (!('status' in payload)) return payload;
			const now = new Date();
			let written: Payload = {};
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const contract = await lockRow<ContractRow>(trx, 'cp_contracts', id);
					if (contract) written = await transitionContract(trx, actor, settings, contract, payload, now);
				}
			});
			return { ...payload, ...written };
		}),
	);

	// ---- contract lines: editable while the contract is a draft --------------------------
	const contractOf = (database: Db, id: unknown) => (typeof id === 'string' && id ? database('cp_contracts').where('id', id).first('status') : null);
	filter(
		'cp_contract_lines.items.create',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			assertContractLineContent(payload, true);
			if (!actor.system) assertLinesEditable(await contractOf(database, payload.contract), payload.contract);
			return payload;
		}),
	);
	filter(
		'cp_contract_lines.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			assertContractLineContent(payload, false);
			if (actor.system) return payload;
			for (const id of meta.keys) {
				const line = await database('cp_contract_lines').where('id', id).first('contract');
				if (line) assertLinesEditable(await contractOf(database, line.contract), line.contract);
				if (payload.contract && payload.contract !== line?.contract) assertLinesEditable(await contractOf(database, payload.contract), payload.contract);
			}
			return payload;
		}),
	);
	filter(
		'cp_contract_lines.items.delete',
		translated(async (keys: string[], _m: any, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			if (actor.system) return keys;
			for (const id of keys) {
				const line = await database('cp_contract_lines').where('id', id).first('contract');
				if (line) assertLinesEditable(await contractOf(database, line.contract), line.contract);
			}
			return keys;
		}),
	);

	// ---- review lines (CR-3, CR-4, CR-6) ----------------------------------------------------
	filter(
		'cp_review_lines.items.create',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { actor } = await ctxOf(ctx);
			if (!actor.system)
				throw new DomainError('CP_SYSTEM_ONLY', `Review lines are created by submitting the contract for review (CR-7)`, { field: 'contract' });
			return payload;
		}),
	);

	filter(
		'cp_review_lines.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			const now = new Date();
			let written: Payload = {};
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const line = await trx('cp_review_lines').where('id', id).first();
					if (!line) continue;
					const contract = await lockRow(trx, 'cp_contracts', line.contract);
					const plan = planSignLine({ line, contract, payload, actor, now });
					written = plan.update;
					if (!plan.signs) continue;
					const changed = await trx('cp_review_lines')
						.where({ id, decision: 'pending' })
						.update({ ...plan.update, checklist: jsonText(plan.update.checklist), date_updated: now });
					if (changed !== 1)
						throw new DomainError('CP_LINE_ALREADY_SIGNED', `Review line for ${line.department} was signed by someone else a moment ago (CR-4)`, {
							field: 'decision',
						});
					await appendAudit(trx, { ...actor, departments: [plan.as] }, plan.audit, now);
					if (plan.checkCompletion) await completeIfDone(trx, actor, line.contract, now);
				}
			});
			return { ...payload, ...written };
		}),
	);

	// ---- discrepancies (CR-5) ---------------------------------------------------------------
	filter(
		'cp_discrepancies.items.create',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			const contract = payload.contract ? await database('cp_contracts').where('id', payload.contract).first('status', 'review_round') : null;
			// who may raise a discrepancy is the company's setting.
			return { ...payload, ...planRaiseDiscrepancy(contract, payload, actor, processDepartments(await loadSettings(database)).discrepancy) };
		}),
	);

	filter(
		'cp_discrepancies.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			const now = new Date();
			let stamps: Payload = {};
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const item = await trx('cp_discrepancies').where('id', id).first();
					if (!item) continue;
					const contract = await lockRow(trx, 'cp_contracts', item.contract);
					const evidenceFileExists = payload.evidence ? Boolean(await trx('directus_files').where('id', payload.evidence).first('id')) : undefined;
					const plan = planDiscrepancyUpdate({ item, payload, actor, contractRound: contract?.review_round ?? null, evidenceFileExists, now });
					if (!plan.stamps) continue;
					await trx('cp_discrepancies')
						.where({ id, status: item.status })
						.update({ ...payload, ...plan.stamps, date_updated: now });
					const audit = [...plan.audit];
					if (plan.reopenLine) {
						const lines = await trx('cp_review_lines')
							.where({ contract: item.contract, round: plan.reopenLine.round, department: plan.reopenLine.department })
							.whereNot('decision', 'pending')
							.select('id', 'decision');
						if (lines.length)
							await trx('cp_review_lines')
								.whereIn(
									'id',
									lines.map((l: any) => l.id),
								)
								.update({ decision: 'pending', signed_by: null, signed_at: null, date_updated: now });
						audit.push(...lines.map((l: any) => reopenedLineAudit(l, item)));
					}
					await appendAudit(trx, { ...actor, departments: plan.as ? [plan.as] : actor.departments }, audit, now);
					if (plan.checkCompletion) await completeIfDone(trx, actor, item.contract, now);
					stamps = plan.stamps;
				}
			});
			return { ...payload, ...stamps };
		}),
	);

	// ---- task notices (CR-13) ----------------------------------------------------------------
	filter(
		'cp_task_notices.items.create',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { actor } = await ctxOf(ctx);
			if (!actor.system) throw new DomainError('CP_SYSTEM_ONLY', `Task notices are issued by signing the contract (CR-13)`, { field: 'contract' });
			return payload;
		}),
	);
	filter(
		'cp_task_notices.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			const now = new Date();
			let written: Payload = {};
			for (const id of meta.keys) {
				const notice = await database('cp_task_notices').where('id', id).first();
				if (notice) written = planAcknowledgement(notice, actor, now).update;
			}
			return { ...payload, ...written };
		}),
	);

	// ---- changes (CR-14) ---------------------------------------------------------------------
	filter(
		'cp_changes.items.create',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { settings, actor, database } = await ctxOf(ctx);
			const now = new Date();
			let record: Payload = {};
			await database.transaction(async (trx) => {
				const contract = payload.contract ? await lockRow<ContractRow>(trx, 'cp_contracts', payload.contract) : null;
				if (!contract) throw new DomainError('CP_INVALID_VALUE', `contract ${JSON.stringify(payload.contract ?? null)} does not exist`, { field: 'contract' });
				const plan = planChangeCreation({
					kind: payload.kind,
					description: payload.description,
					customerConsentRecorded: Boolean(payload.customer_consent_at || payload.consent_file),
					contractStatus: contract.status,
					contractCode: String(contract.code ?? ''),
					terminationSignedByBoth: toBool(payload.signed_by_customer) && toBool(payload.signed_by_company),
				});
				const system: ActorInfo = { ...actor, system: true };
				if (plan.reReview) {
					const round = planReviewRound(contract, await roundFacts(trx, settings, contract, false), plan.reReview);
					await insertReviewLines(trx, contract.id, round.reviewLines, now);
					await trx('cp_contracts')
						.where('id', contract.id)
						.update({ ...round.contract, date_updated: now });
					await appendAudit(
						trx,
						system,
						[
							{
								collection: 'cp_contracts',
								item: contract.id,
								action: 'change_review',
								from_status: contract.status,
								to_status: 'in_review',
								data: { kind: payload.kind },
							},
						],
						now,
					);
				}
				if (plan.terminate) {
					await trx('cp_contracts').where('id', contract.id).update({ status: 'terminated', date_updated: now });
					await appendAudit(
						trx,
						system,
						[
							{
								collection: 'cp_contracts',
								item: contract.id,
								action: 'terminated',
								from_status: contract.status,
								to_status: 'terminated',
								data: { kind: payload.kind },
							},
						],
						now,
					);
				}
				await notifyDepartments(
					trx,
					settings,
					plan.notification.departments,
					{ subject: plan.notification.subject, message: plan.notification.message, collection: 'cp_contracts', item: contract.id },
					now,
				);
				record = plan.record;
			});
			return { ...payload, ...record };
		}),
	);
	filter(
		'cp_changes.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			if (!('status' in payload)) return payload;
			const now = clock.now();
			// The step and its audit entry commit together, before Directus writes the same status.
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const change = await lockRow(trx, 'cp_changes', id);
					if (!change || change.status === payload.status) continue;
					planChangeStep({ from: change.status, to: payload.status, actor });
					const n = await trx('cp_changes').where({ id, status: change.status }).update({ status: payload.status, date_updated: now });
					if (n !== 1) throw new DomainError('CP_ILLEGAL_TRANSITION', 'The change request moved meanwhile; reload it', { field: 'status' });
					await appendAudit(
						trx,
						actor,
						[
							{
								collection: 'cp_changes',
								item: id,
								action: 'transition',
								from_status: change.status,
								to_status: payload.status,
								data: { contract: change.contract },
							},
						],
						now,
					);
				}
			});
			return payload;
		}),
	);
}
