// Contract review adapter (CR-1..CR-17). Every transition is a normal Directus item write; these
// filter hooks lock the records, load the facts, ask the domain's plans (domain/contract-review)
// and write what they return, with the audit entries, in ONE database transaction before Directus
// writes the (identical) values of the request. Who may write which field is the write policy's
// (domain/policy/cp_*.ts), asked by the generic guard before these filters run.
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { DEFAULT_ROUTES, type ContractLine, type RouteTable } from '../domain/contract-review/routes';
import { ROUND_OPENINGS, type DiscrepancyStatus } from '../domain/contract-review/review';
import {
	REVIEWED_STATUSES,
	assertContractContent,
	assertContractLineContent,
	assertLinesEditable,
	assertStatusTravelsAlone,
	completesOnLastSignature,
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
import { approversFrom, majorRulesFrom, planConclusion } from '../domain/contract-review/approvals';
import { SIGNED_STATUSES, decideNewCustomer } from '../domain/contract-review/customer-history';
import { processDepartments } from '../domain/process-departments';
import { planDiscrepancyUpdate, planRaiseDiscrepancy, reopenedLineAudit } from '../domain/contract-review/discrepancies';
import { planAcknowledgement } from '../domain/contract-review/task-notices';
import {
	assertAmendments,
	changeConsequence,
	planAmendment,
	planChangeCreation,
	planChangeStep,
	planChanges,
	planTaskNoticeReissue,
} from '../domain/contract-review/changes';
import { assertContractTransition } from '../domain/contract-review/contract-status';
import { actorFrom, loadSettings, type Accountability, type ActorInfo, type Settings } from './context';
import { appendAudit } from './audit';
import { countRows, dialectOf, ident, lockRow, toBool } from './db';
import { notifyDepartments } from './notify';
import { toDate } from './complaints';
import { translated } from './errors';
import { takeGuardedRows } from './guarded-rows';
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
		approvers: approversFrom(settings.approvers),
		majorRules: majorRulesFrom(settings.major_rules),
		newProducts: settings.major_rules?.new_product === true ? await newProducts(trx, contract.id, lines) : [],
	};
}

/** CR-7 "new product": products of the contract never on a reviewed contract of any customer. */
async function newProducts(trx: Db, contractId: string, lines: any[]): Promise<string[]> {
	const products = [...new Set(lines.map((l) => String(l.product ?? '').trim()).filter(Boolean))];
	if (!products.length) return [];
	const known = await trx('cp_contract_lines as l')
		.join('cp_contracts as c', 'c.id', 'l.contract')
		.whereNot('c.id', contractId)
		.whereIn('c.status', REVIEWED_STATUSES as string[])
		.whereIn('l.product', products)
		.distinct('l.product');
	const seen = new Set(known.map((k: any) => String(k.product).trim()));
	return products.filter((p) => !seen.has(p));
}

/** CR-6: the sales manager signs the review conclusion, which completes the round. */
async function signConclusion(trx: Knex.Transaction, actor: ActorInfo, contractId: string, conclusion: unknown, now: Date) {
	const contract = await withSubmission(trx, await lockRow<ContractRow>(trx, 'cp_contracts', contractId));
	if (!contract) return {};
	const round = await currentRound(trx, contract);
	const plan = planConclusion({ contract: contract as any, lines: round.lines, discrepancies: round.discrepancies, conclusion, actor, now });
	const changed = await trx('cp_contracts')
		.where({ id: contractId, status: 'in_review', review_round: contract.review_round })
		.update({ ...plan.update, date_updated: now });
	if (changed !== 1)
		throw new DomainError('CP_ILLEGAL_TRANSITION', '合同状态刚被修改，请刷新 / the contract moved meanwhile; reload it (CR-6)', { field: 'conclusion' });
	await appendAudit(trx, actor, plan.audit, now);
	return plan.update;
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

/**
 * The plan's fields the contract row has: between copying a new bundle and running its installer
 * (which adds the new fields) the fields of the new release are left out instead of failing
 * the step. `contract` is the row as read (SELECT *), so it names every column there is.
 */
function onStoredFields(contract: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
	if ('review_submitted_at' in contract || !('review_submitted_at' in update)) return update;
	const { review_submitted_at: _later, ...rest } = update;
	return rest;
}

/**
 * X-4: the round's submission time, which its completion records. A round opened before the
 * contract carried it (an upgraded install the backfill did not reach) takes it from the audit
 * trail: the latest submission of the contract (cp_audit.item is indexed).
 */
async function withSubmission<T extends Record<string, any>>(trx: Db, contract: T | null | undefined): Promise<T | null> {
	if (!contract || contract.review_submitted_at != null || contract.status !== 'in_review') return contract ?? null;
	const last = await trx('cp_audit')
		.where({ collection: 'cp_contracts', item: String(contract.id) })
		.whereIn('action', [...ROUND_OPENINGS])
		.orderBy('id', 'desc')
		.first('at');
	return last ? { ...contract, review_submitted_at: last.at } : contract;
}

/**
 * Upgrade step 0.3.0 (scripts/migrations/steps.mjs): contracts whose round opened before they
 * carried its submission time get it from the audit trail, the latest submission of each (the
 * audit item is indexed). One statement; returns how many contracts it filled.
 */
export async function backfillReviewSubmittedAt(knex: Knex): Promise<number> {
	const d = dialectOf(knex);
	const q = (n: string) => ident(d, n);
	const id = d === 'pg' ? `CAST(${q('cp_contracts.id')} AS TEXT)` : q('cp_contracts.id');
	const openings = ROUND_OPENINGS.map((a) => `'${a}'`).join(', ');
	const latest = `SELECT ${q('s.at')} FROM ${q('cp_audit')} ${q('s')} WHERE ${q('s.collection')} = 'cp_contracts' AND ${q('s.item')} = ${id} AND ${q('s.action')} IN (${openings}) ORDER BY ${q('s.id')} DESC LIMIT 1`;
	const res: any = await knex.raw(
		`UPDATE ${q('cp_contracts')} SET ${q('review_submitted_at')} = (${latest}) WHERE ${q('review_submitted_at')} IS NULL AND ${q('review_round')} > 0 AND (${latest}) IS NOT NULL`,
	);
	if (d === 'pg') return Number(res?.rowCount ?? 0);
	if (d === 'mysql') return Number(res?.[0]?.affectedRows ?? 0);
	return Number((await knex.raw('SELECT changes() AS n'))?.[0]?.n ?? 0);
}

/** CR-6: completes the current round when the plan says so; the contract row is locked first. */
async function completeIfDone(trx: Knex.Transaction, actor: ActorInfo, contractId: string, now: Date, locked?: ContractRow): Promise<void> {
	// `locked`: the contract row this transaction already locked and has not changed since.
	const row = locked ?? (await lockRow<ContractRow>(trx, 'cp_contracts', contractId));
	// A route completed by the signed conclusion: nothing to read (issue 14).
	if (!row || !completesOnLastSignature(row)) return;
	const contract = await withSubmission(trx, row);
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
		// X-6: who receives the task notice is the company's setting.
		taskNoticeDepartments: processDepartments(settings).taskNotice,
		// CR-9: the bid document's review lines of the current round decide whether a bid may be signed.
		bidDocumentLines:
			contract.kind === 'bid'
				? await trx('cp_review_lines').where({ contract: contract.id, round: contract.review_round, stage: 'bid_document' }).select('department', 'decision')
				: undefined,
		now,
	});
	if (!plan) return {};
	plan.update = onStoredFields(contract, plan.update);
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
		const settings = await loadSettings(ctx.database, ctx.accountability);
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
			if ('conclusion' in payload && !actor.system) {
				const riders = Object.keys(payload).filter((f) => f !== 'conclusion' && f !== 'id');
				if (riders.length)
					throw new DomainError('CP_INVALID_VALUE', `评审结论单独签署 / the review conclusion is signed on its own; save ${riders.join(', ')} first`, {
						field: riders[0],
					});
				const now = clock.now();
				let signed: Payload = {};
				await database.transaction(async (trx) => {
					for (const id of meta.keys) signed = await signConclusion(trx, actor, id, payload.conclusion, now);
				});
				return { ...payload, ...signed };
			}
			if (!('status' in payload)) return payload;
			const now = clock.now();
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
			const now = clock.now();
			let written: Payload = {};
			// The write guard read these lines a moment ago in the same write (services/policy.ts).
			const guarded = takeGuardedRows(ctx.accountability, 'cp_review_lines', meta.keys);
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const line = guarded ? guarded.find((l) => String(l.id) === String(id)) : await trx('cp_review_lines').where('id', id).first();
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
					if (plan.checkCompletion) await completeIfDone(trx, actor, line.contract, now, contract);
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
			// X-6: who may raise a discrepancy is the company's setting.
			return {
				...payload,
				...planRaiseDiscrepancy(contract, payload, actor, processDepartments(await loadSettings(database, ctx.accountability)).discrepancy),
			};
		}),
	);

	filter(
		'cp_discrepancies.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			const now = clock.now();
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
			const now = clock.now();
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
			const now = clock.now();
			let record: Payload = {};
			await database.transaction(async (trx) => {
				const contract = payload.contract ? await lockRow<ContractRow>(trx, 'cp_contracts', payload.contract) : null;
				if (!contract) throw new DomainError('CP_INVALID_VALUE', `合同 Contract：不存在 / does not exist`, { field: 'contract' });
				const plan = planChangeCreation({
					kind: payload.kind,
					description: payload.description,
					customerConsentRecorded: Boolean(payload.customer_consent_at || payload.consent_file),
					contractStatus: contract.status,
					contractCode: String(contract.code ?? ''),
					terminationSignedByBoth: toBool(payload.signed_by_customer) && toBool(payload.signed_by_company),
					amendments: payload.amendments,
					actor,
				});
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
			const { settings, actor, database } = await ctxOf(ctx);
			if ('amendments' in payload) {
				for (const id of meta.keys) {
					const change = await database('cp_changes').where('id', id).first('kind');
					if (change) assertAmendments(change.kind, payload.amendments);
				}
			}
			if (!('status' in payload)) return payload;
			const now = clock.now();
			let written: Payload = {};
			// The step, what it sets in motion and its audit entries commit together, before Directus
			// writes the same values.
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const change = await lockRow(trx, 'cp_changes', id);
					if (!change || change.status === payload.status) continue;
					written = await changeStep(trx, actor, settings, change, payload, now);
				}
			});
			return { ...payload, ...written };
		}),
	);
}

/** The change's own fields a step may bring along (an opinion, the customer's confirmation). */
const stepCompanions = (payload: Payload): Payload => {
	const out: Payload = {};
	for (const f of [
		'decision_note',
		'customer_confirmed_by',
		'customer_confirmed_at',
		'customer_confirmation_method',
		'confirmation_file',
		'confirmation_record',
	])
		if (f in payload) out[f] = payload[f];
	return out;
};

/**
 * One step of a change request (CR-14): the step table's check and stamps; on the leader's
 * approval of a structure change the re-review; when it takes effect the contract's amended
 * values (the previous ones kept on the change and in the audit), the termination, the task
 * notices issued again and the departments told. One transaction with the audit entries.
 */
async function changeStep(trx: Knex.Transaction, actor: ActorInfo, settings: Settings, change: any, payload: Payload, now: Date): Promise<Payload> {
	const contract = await lockRow<ContractRow>(trx, 'cp_contracts', change.contract);
	if (!contract) throw new DomainError('CP_INVALID_VALUE', `合同 Contract：不存在 / does not exist`, { field: 'contract' });
	const companions = stepCompanions(payload);
	const plan = planChangeStep({ change: { ...change, ...companions }, to: String(payload.status), actor, contractStatus: contract.status, now });
	const system: ActorInfo = { ...actor, system: true };
	const audit: Parameters<typeof appendAudit>[2] = [];
	const update: Payload = { ...companions, ...plan.update };

	if (plan.opensReReview) {
		const reason = `结构变更重新评审 Structure change re-review: ${String(change.description ?? '')}`;
		const departments = planChanges(['structure']).reviewDepartments;
		const round = planReviewRound(contract, { ...(await roundFacts(trx, settings, contract, false)), now }, { departments, route: 'change', reason });
		await insertReviewLines(trx, contract.id, round.reviewLines, now);
		await trx('cp_contracts')
			.where('id', contract.id)
			.update({ ...onStoredFields(contract, round.contract), date_updated: now });
		audit.push({
			collection: 'cp_contracts',
			item: contract.id,
			action: 'change_review',
			from_status: contract.status,
			to_status: 'in_review',
			data: { change: change.id, kind: change.kind },
		});
	}

	if (plan.takesEffect) {
		const lines = await trx('cp_contract_lines').where('contract', contract.id).orderBy('line_no');
		const amendment = planAmendment(change.kind, change.amendments, contract, lines);
		if (Object.keys(amendment.contract).length)
			await trx('cp_contracts')
				.where('id', contract.id)
				.update({ ...amendment.contract, date_updated: now });
		for (const l of amendment.lines)
			await trx('cp_contract_lines')
				.where('id', l.id)
				.update({ ...l.update, date_updated: now });
		for (const a of amendment.amended)
			audit.push({
				collection: a.target === 'line' ? 'cp_contract_lines' : 'cp_contracts',
				item: a.target === 'line' ? a.line! : contract.id,
				action: 'amended',
				data: { change: change.id, kind: change.kind, field: a.field, from: a.from, to: a.to, ...(a.line_no ? { line_no: a.line_no } : {}) },
			});
		update.amended = jsonText(amendment.amended);
		const after = { ...contract, ...amendment.contract };
		if (changeConsequence(change.kind).consequence === 'termination_both_parties') {
			assertContractTransition(contract.status, 'terminated', {
				terminationSignedByBoth: toBool(change.signed_by_customer) && toBool(change.signed_by_company),
			});
			await trx('cp_contracts').where('id', contract.id).update({ status: 'terminated', date_updated: now });
			audit.push({
				collection: 'cp_contracts',
				item: contract.id,
				action: 'terminated',
				from_status: contract.status,
				to_status: 'terminated',
				data: { change: change.id, kind: change.kind },
			});
		}
		// The task notice goes out again to the departments the change touches (CR-13's recipients).
		const notices = planTaskNoticeReissue({
			kind: change.kind,
			recipients: processDepartments(settings).taskNotice,
			contract: after,
			description: change.description,
		});
		if (notices.length) {
			const rows = notices.map((n) => ({ id: crypto.randomUUID(), contract: contract.id, change: change.id, ...n, issued_at: now, date_created: now }));
			await trx('cp_task_notices').insert(rows);
			audit.push(
				...rows.map((r) => ({ collection: 'cp_task_notices', item: r.id, action: 'reissued', data: { change: change.id, department: r.department } })),
			);
		}
		const told = parseJsonArray(change.affected_departments);
		await notifyDepartments(
			trx,
			settings,
			told.length ? told : changeConsequence(change.kind).notifyDepartments,
			{
				subject: `合同变更生效 Contract change in effect: ${String(contract.code ?? '')}`,
				message: `${String(change.description ?? '')}${amendment.amended.length ? `\n${amendment.amended.map((a) => `${a.line_no ? `#${a.line_no} ` : ''}${a.field}: ${String(a.from ?? '—')} → ${String(a.to ?? '—')}`).join('\n')}` : ''}${notices.length ? '\n请签收新的任务通知单 / please acknowledge the new task notice' : ''}`,
				collection: 'cp_contracts',
				item: contract.id,
			},
			now,
		);
	}

	// The customer's confirmation time as the request typed it: a Date for the driver (MariaDB
	// refuses ISO text with a zone in a DATETIME column).
	const row = 'customer_confirmed_at' in update ? { ...update, customer_confirmed_at: toDate(update.customer_confirmed_at) } : update;
	const n = await trx('cp_changes')
		.where({ id: change.id, status: change.status })
		.update({ ...row, date_updated: now });
	if (n !== 1)
		throw new DomainError('CP_ILLEGAL_TRANSITION', '变更申请刚被他人处理，请刷新 / the change request moved meanwhile; reload it', { field: 'status' });
	audit.unshift({
		collection: 'cp_changes',
		item: change.id,
		action: plan.to === 'done' ? 'took_effect' : plan.to,
		from_status: plan.from,
		to_status: plan.to,
		data: { contract: change.contract, ...(companions.decision_note ? { opinion: companions.decision_note } : {}) },
	});
	await appendAudit(trx, { ...actor, departments: plan.as ? [plan.as] : actor.departments }, audit.slice(0, 1), now);
	await appendAudit(trx, system, audit.slice(1), now);
	// Written above; Directus writes the rest of the request with the same stamps.
	const { amended: _written, ...stamps } = update;
	return stamps;
}

const parseJsonArray = (v: unknown): string[] => {
	if (Array.isArray(v)) return v.map(String);
	if (typeof v === 'string') {
		try {
			const p = JSON.parse(v);
			return Array.isArray(p) ? p.map(String) : [];
		} catch {
			return [];
		}
	}
	return [];
};
