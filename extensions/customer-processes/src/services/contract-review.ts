// Contract review adapter (CR-1..CR-17). Every transition is a normal Directus item write;
// these filter hooks validate it with src/domain and perform it, together with everything it
// sets in motion (review lines of a new round, completion, task notices, audit entries), in
// ONE database transaction before Directus writes the (identical) values of the request.
import type { Knex } from 'knex';
import { CATALOGUE, values } from '../domain/catalogue';
import { DomainError } from '../domain/errors';
import { aspectsFor, isDepartmentKey } from '../domain/departments';
import { assertContractTransition, type ContractStatus } from '../domain/contract-review/contract-status';
import { DEFAULT_ROUTES, decideRoute, type ContractLine, type RouteTable } from '../domain/contract-review/routes';
import { assertCanSignLine, assertDiscrepancyTransition, reviewProgress, type DiscrepancyStatus, type ReviewDecision } from '../domain/contract-review/review';
import { assertChangeAllowed, type ChangeKind } from '../domain/contract-review/changes';
import { parseRequirements } from '../domain/contract-review/requirements';
import { actorFrom, loadSettings, type Accountability, type ActorInfo, type Settings } from './context';
import { appendAudit } from './audit';
import { countRows, dialectOf, lockRow, parseJson, toBool } from './db';
import { notifyDepartments } from './notify';
import { translated } from './errors';

export interface HookApi {
	filter: (event: string, handler: (...args: any[]) => any) => void;
	action: (event: string, handler: (...args: any[]) => any) => void;
	schedule: (cron: string, handler: () => any) => void;
	database: Knex;
	env: Record<string, any>;
	services: any;
	getSchema: () => Promise<any>;
	logger: { error: (...a: any[]) => void; info: (...a: any[]) => void; warn: (...a: any[]) => void };
}

type Payload = Record<string, any>;
type FilterCtx = { database: Knex; accountability: Accountability | null };

/** Fields only the review engine writes. */
const CONTRACT_SYSTEM_FIELDS = ['review_round', 'review_route', 'route_reason', 'reviewed_at', 'signed_at', 'signed_by'];
/** What may still be edited on a contract once it left draft (changes go through cp_changes, CR-14). */
const CONTRACT_FREE_FIELDS = [
	'notes',
	'confirmation_record',
	'customer_confirmed_at',
	'customer_confirmation_method',
	'technical_agreement',
	'sales_owner',
	'status',
];
/** Departments that receive the sales-to-production task notice (CR-13). */
const TASK_NOTICE_DEPARTMENTS = ['production', 'purchasing', 'quality', 'warehouse'];
const REVIEWED_STATUSES = ['reviewed', 'signed', 'in_production', 'completed'];

const nowIso = () => new Date();

function assertNoSystemFields(payload: Payload, fields: string[], actor: ActorInfo) {
	if (actor.system) return;
	const bad = fields.filter((f) => f in payload);
	if (bad.length) {
		throw new DomainError('CP_SYSTEM_ONLY', `${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} set by the review process, not by hand`, { field: bad[0] });
	}
}

function requireSalesOrAdmin(actor: ActorInfo, what: string) {
	if (actor.system || actor.isAdmin || actor.departments.includes('sales')) return;
	throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `Only Sales can ${what} (CR-2)`, { field: 'status' });
}

function routesFrom(settings: Settings): RouteTable {
	return { ...DEFAULT_ROUTES, ...(settings.routes ?? {}) } as RouteTable;
}

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

/** The domain knows written/oral/phone/online; a tender arrives in writing. */
const domainChannel = (c: string | null) => (c === 'tender' ? 'written' : (c as any));

async function roundFacts(trx: Knex | Knex.Transaction, contract: any) {
	// Locking reads: on MariaDB (REPEATABLE READ) a plain read would still see the snapshot taken
	// before this transaction waited for the contract lock, and miss a signature committed meanwhile.
	const shared = (q: Knex.QueryBuilder) => (dialectOf(trx) === 'sqlite' ? q : q.forShare());
	const lines = await shared(trx('cp_review_lines').where({ contract: contract.id, round: contract.review_round })).select('department', 'decision', 'round');
	const discrepancies = await shared(trx('cp_discrepancies').where({ contract: contract.id }).whereNot('status', 'closed')).select('status');
	const progress = reviewProgress(
		lines.map((l: any) => ({ ...l, round: Number(l.round) })),
		discrepancies as { status: DiscrepancyStatus }[],
		Number(contract.review_round),
	);
	return { lines, progress };
}

/**
 * CR-6: completes the current round when every line is approved and no discrepancy is open.
 * Called with the contract row locked, so concurrent signers complete it exactly once.
 */
async function completeIfDone(trx: Knex.Transaction, actor: ActorInfo, contractId: string, now: Date): Promise<boolean> {
	const contract = await lockRow(trx, 'cp_contracts', contractId);
	if (!contract || contract.status !== 'in_review') return false;
	const { progress } = await roundFacts(trx, contract);
	if (!progress.complete) return false;
	assertContractTransition('in_review', 'reviewed', { bySystem: true, reviewComplete: true, pendingDepartments: [], openDiscrepancies: 0 });
	const changed = await trx('cp_contracts')
		.where({ id: contractId, status: 'in_review', review_round: contract.review_round })
		.update({ status: 'reviewed', reviewed_at: now, date_updated: now });
	if (changed !== 1) return false;
	await appendAudit(
		trx,
		actor,
		[
			{
				collection: 'cp_contracts',
				item: contractId,
				action: 'review_completed',
				from_status: 'in_review',
				to_status: 'reviewed',
				data: { round: contract.review_round, route: contract.review_route },
			},
		],
		now,
	);
	return true;
}

/** Opens a new review round: decides the route (CR-7/8/9) and creates one line per department. */
async function openRound(
	trx: Knex.Transaction,
	settings: Settings,
	contract: any,
	now: Date,
	override?: { departments: string[]; route: string; reason: string },
) {
	const lines = await trx('cp_contract_lines').where('contract', contract.id).orderBy('line_no');
	if (!lines.length) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `A contract needs at least one line (product, quantity) before review (CR-1)`, { field: 'lines' });
	}
	const customer = await trx('cp_customers').where('id', contract.customer).first('is_new');
	let stage: string | undefined;
	if (contract.kind === 'bid')
		stage = contract.status === 'reviewed' && contract.stage === 'tender_decision' ? 'bid_document' : (contract.stage ?? 'tender_decision');
	let decision: { route: string; departments: string[]; reason: string; reason_zh?: string };
	if (override) decision = override;
	else {
		const previous = await trx('cp_contract_lines as l')
			.join('cp_contracts as c', 'c.id', 'l.contract')
			.where('c.customer', contract.customer)
			.whereNot('c.id', contract.id)
			.whereIn('c.status', REVIEWED_STATUSES)
			.select('l.*');
		decision = decideRoute(
			{
				kind: contract.kind,
				class: contract.class,
				major: toBool(contract.major),
				customerIsNew: toBool(customer?.is_new ?? true),
				stage: stage as any,
				lines: lines.map(toLine),
				previousReviewedLines: previous.map(toLine),
			},
			routesFrom(settings),
		);
	}
	const round = Number(contract.review_round ?? 0) + 1;
	const lineStage = stage ?? (decision.route.startsWith('confirmation') ? 'confirmation' : 'review');
	await trx('cp_review_lines').insert(
		decision.departments.map((department) => ({
			id: crypto.randomUUID(),
			contract: contract.id,
			round,
			stage: lineStage,
			department,
			decision: 'pending',
			checklist: JSON.stringify(aspectsFor(department).map((a) => ({ key: a.key, en: a.en, zh: a.zh, checked: false }))),
			date_created: now,
		})),
	);
	return {
		status: 'in_review',
		review_round: round,
		review_route: decision.route,
		route_reason: decision.reason_zh ? `${decision.reason}\n${decision.reason_zh}` : decision.reason,
		reviewed_at: null,
		...(stage ? { stage } : {}),
	};
}

async function signFacts(trx: Knex.Transaction, contract: any) {
	const { progress } = await roundFacts(trx, contract);
	const customer = await trx('cp_customers').where('id', contract.customer).first('is_new');
	const lineCount = await countRows(trx('cp_contract_lines').where('contract', contract.id));
	const missingFields = [...(['title', 'customer'] as const).filter((f) => !contract[f]), ...(lineCount ? [] : ['lines'])];
	return {
		reviewComplete: progress.complete && contract.status === 'reviewed',
		pendingDepartments: progress.pendingDepartments,
		openDiscrepancies: progress.openDiscrepancies,
		channel: domainChannel(contract.channel),
		oralConfirmed: Boolean(contract.customer_confirmed_at),
		customerIsNew: toBool(customer?.is_new ?? true),
		kind: contract.kind,
		missingFields,
	};
}

/** Performs one contract status change in `trx`; returns the fields the request must carry. */
async function transitionContract(trx: Knex.Transaction, actor: ActorInfo, settings: Settings, id: string, to: ContractStatus, payload: Payload, now: Date) {
	const contract = await lockRow(trx, 'cp_contracts', id);
	if (!contract) throw new DomainError('CP_INVALID_VALUE', `Contract ${id} does not exist`, { field: 'id' });
	const from = contract.status as ContractStatus;
	if (from === to) return {};
	const merged = { ...contract, ...payload, status: from };
	const base = {
		actorDepartments: actor.departments,
		isAdmin: actor.isAdmin || actor.system,
		channel: domainChannel(merged.channel),
		refuseOralOrders: Boolean(settings.refuse_oral_orders),
	};
	let fields: Payload = {};
	let action = 'transition';

	// Signing before the review is over names what is missing (CR-2, CR-11), whatever the status.
	if (to === 'signed' && from !== 'reviewed' && ['draft', 'in_review'].includes(from)) {
		const facts = await signFacts(trx, merged);
		assertContractTransition('reviewed', 'signed', {
			...base,
			...facts,
			reviewComplete: false,
			pendingDepartments: from === 'draft' ? ['(not submitted for review)'] : facts.pendingDepartments,
		});
	}
	if ((to === 'in_review' && ['signed', 'in_production'].includes(from)) || to === 'terminated') {
		if (!actor.system)
			throw new DomainError(
				'CP_CHANGE_NOT_ALLOWED',
				`A signed contract is changed or terminated through a contract change record (cp_changes), with the customer's written consent (CR-14)`,
				{ field: 'status' },
			);
	}
	if (to === 'reviewed') {
		assertContractTransition(from, to, { ...base, bySystem: false });
	}

	switch (`${from}>${to}`) {
		case 'draft>in_review':
		case 'reviewed>in_review': {
			requireSalesOrAdmin(actor, 'submit a contract for review');
			assertContractTransition(from, to, base);
			fields = await openRound(trx, settings, merged, now);
			action = from === 'draft' ? 'submitted' : 'resubmitted';
			break;
		}
		case 'reviewed>signed': {
			requireSalesOrAdmin(actor, 'sign a contract');
			assertContractTransition(from, to, { ...base, ...(await signFacts(trx, merged)) });
			fields = { signed_at: now, signed_by: actor.userId };
			// CR-13: the signed contract becomes the task notice for the receiving departments.
			const existing = await countRows(trx('cp_task_notices').where('contract', id));
			if (!existing) {
				await trx('cp_task_notices').insert(
					TASK_NOTICE_DEPARTMENTS.map((department) => ({
						id: crypto.randomUUID(),
						contract: id,
						department,
						issued_at: now,
						due_at: merged.delivery_date ?? null,
						content: merged.title,
						date_created: now,
					})),
				);
				await notifyDepartments(
					trx,
					settings,
					TASK_NOTICE_DEPARTMENTS,
					{
						subject: `任务通知单 Task notice: ${merged.code}`,
						message: `Contract ${merged.code} "${merged.title}" was signed; please acknowledge the task notice. 合同已签订,请签收任务通知单。`,
						collection: 'cp_contracts',
						item: id,
					},
					now,
				);
			}
			action = 'signed';
			break;
		}
		default: {
			if (['in_review>draft', 'draft>cancelled', 'in_review>cancelled', 'reviewed>cancelled', 'in_production>completed'].includes(`${from}>${to}`)) {
				requireSalesOrAdmin(actor, `move a contract to ${to}`);
			}
			const taskNoticeIssued = (await countRows(trx('cp_task_notices').where('contract', id))) > 0;
			assertContractTransition(from, to, { ...base, bySystem: actor.system, taskNoticeIssued, terminationSignedByBoth: Boolean(payload.__termination_signed) });
		}
	}
	await trx('cp_contracts')
		.where('id', id)
		.update({ ...fields, status: to, date_updated: now });
	await appendAudit(
		trx,
		actor,
		[
			{
				collection: 'cp_contracts',
				item: id,
				action,
				from_status: from,
				to_status: to,
				data: fields.review_route ? { round: fields.review_round, route: fields.review_route } : null,
			},
		],
		now,
	);
	return { ...fields, status: to };
}

const CONTRACT_KINDS: readonly unknown[] = values(CATALOGUE.cp_contracts.kind);
const CONTRACT_CLASSES: readonly unknown[] = values(CATALOGUE.cp_contracts.class);
const CONTRACT_CHANNELS: readonly unknown[] = values(CATALOGUE.cp_contracts.channel);

function validateContractContent(payload: Payload) {
	if ('kind' in payload && !CONTRACT_KINDS.includes(payload.kind))
		throw new DomainError('CP_INVALID_VALUE', `kind must be bid, order or contract`, { field: 'kind' });
	if ('class' in payload && !CONTRACT_CLASSES.includes(payload.class))
		throw new DomainError('CP_INVALID_VALUE', `class must be regular_in_stock, regular or special (CR-7)`, { field: 'class' });
	if ('channel' in payload && !CONTRACT_CHANNELS.includes(payload.channel))
		throw new DomainError('CP_INVALID_VALUE', `channel must be written, tender, oral or online`, { field: 'channel' });
	if ('total_amount' in payload && payload.total_amount != null && !(Number(payload.total_amount) >= 0))
		throw new DomainError('CP_INVALID_VALUE', `total_amount must be a non-negative number`, { field: 'total_amount' });
	if ('requirements' in payload) parseRequirements(payload.requirements);
}

async function assertCustomer(knex: Knex | Knex.Transaction, id: unknown) {
	if (id == null || id === '') throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `customer is required`, { field: 'customer' });
	if (typeof id !== 'string' || !(await knex('cp_customers').where('id', id).first('id'))) {
		throw new DomainError('CP_INVALID_VALUE', `customer ${JSON.stringify(id)} does not exist`, { field: 'customer' });
	}
}

function validateLine(payload: Payload) {
	for (const f of ['quantity', 'unit_price'] as const) {
		if (f in payload && payload[f] != null) {
			const n = Number(payload[f]);
			if (!Number.isFinite(n) || n < 0 || (f === 'quantity' && n === 0)) {
				throw new DomainError('CP_INVALID_VALUE', `${f} must be ${f === 'quantity' ? 'greater than 0' : 'zero or more'}`, { field: f });
			}
		}
	}
}

export function registerContractReview({ filter }: HookApi): void {
	// Always the context's connection: a create filter runs inside Directus's own transaction,
	// and on SQLite (one connection) a query through another handle would wait for it forever.
	const ctxOf = async (ctx: FilterCtx) => {
		const settings = await loadSettings(ctx.database);
		return { settings, actor: actorFrom(ctx.accountability, settings), database: ctx.database };
	};

	// ---- contracts ------------------------------------------------------------------------
	filter(
		'cp_contracts.items.create',
		translated(async (payload: Payload, _meta: any, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			assertNoSystemFields(payload, CONTRACT_SYSTEM_FIELDS, actor);
			if (payload.status && payload.status !== 'draft' && !actor.system) {
				throw new DomainError('CP_ILLEGAL_TRANSITION', `A new contract starts as draft; submit it for review afterwards (CR-2)`, { field: 'status' });
			}
			validateContractContent(payload);
			await assertCustomer(database, payload.customer);
			return { ...payload, status: 'draft', ...(payload.kind === 'bid' && !payload.stage ? { stage: 'tender_decision' } : {}) };
		}),
	);

	filter(
		'cp_contracts.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { settings, actor, database } = await ctxOf(ctx);
			assertNoSystemFields(payload, CONTRACT_SYSTEM_FIELDS, actor);
			validateContractContent(payload);
			if ('customer' in payload) await assertCustomer(database, payload.customer);
			// The transition commits in this filter, before Directus writes the request: anything else
			// in the same request could still fail there and be lost, so a status change travels alone.
			const riders = 'status' in payload ? Object.keys(payload).filter((f) => !CONTRACT_FREE_FIELDS.includes(f)) : [];
			if (riders.length && !actor.system) {
				throw new DomainError('CP_INVALID_VALUE', `A status change is sent on its own; save ${riders.join(', ')} first, then change the status`, {
					field: riders[0],
				});
			}
			const now = nowIso();
			let written: Payload = {};
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const current = await trx('cp_contracts').where('id', id).first('status');
					if (!current) continue;
					const content = Object.keys(payload).filter((f) => !CONTRACT_FREE_FIELDS.includes(f));
					if (content.length && current.status !== 'draft' && !actor.system) {
						throw new DomainError(
							'CP_CHANGE_NOT_ALLOWED',
							`${content.join(', ')} cannot be edited in status '${current.status}': withdraw the review to draft, or record a contract change (cp_changes) once reviewed (CR-14)`,
							{ field: content[0] },
						);
					}
					if ('status' in payload && payload.status !== current.status) {
						written = await transitionContract(trx, actor, settings, id, payload.status, payload, now);
					}
				}
			});
			return { ...payload, ...written };
		}),
	);

	// ---- contract lines: editable while the contract is a draft --------------------------
	const assertDraftContract = async (database: Knex, contractId: string, actor: ActorInfo) => {
		if (actor.system) return;
		const c = await database('cp_contracts').where('id', contractId).first('status');
		if (!c) throw new DomainError('CP_INVALID_VALUE', `contract ${JSON.stringify(contractId)} does not exist`, { field: 'contract' });
		if (c.status !== 'draft') {
			throw new DomainError(
				'CP_CHANGE_NOT_ALLOWED',
				`Lines of a contract in status '${c.status}' cannot be changed: withdraw it to draft or record a contract change (CR-14)`,
				{ field: 'contract' },
			);
		}
	};
	filter(
		'cp_contract_lines.items.create',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			validateLine(payload);
			if (!payload.product) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `product is required (CR-1)`, { field: 'product' });
			await assertDraftContract(database, payload.contract, actor);
			return payload;
		}),
	);
	filter(
		'cp_contract_lines.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			validateLine(payload);
			for (const id of meta.keys) {
				const line = await database('cp_contract_lines').where('id', id).first('contract');
				if (line) await assertDraftContract(database, line.contract, actor);
				if (payload.contract && payload.contract !== line?.contract) await assertDraftContract(database, payload.contract, actor);
			}
			return payload;
		}),
	);
	filter(
		'cp_contract_lines.items.delete',
		translated(async (keys: string[], _m: any, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			for (const id of keys) {
				const line = await database('cp_contract_lines').where('id', id).first('contract');
				if (line) await assertDraftContract(database, line.contract, actor);
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
			const allowed = ['decision', 'opinion', 'checklist'];
			const bad = Object.keys(payload).filter((f) => !allowed.includes(f));
			if (bad.length && !actor.system)
				throw new DomainError(
					'CP_SYSTEM_ONLY',
					`${bad.join(', ')} of a review line is set by the review process; a reviewer records decision, opinion and checklist (CR-4)`,
					{ field: bad[0] },
				);
			const now = nowIso();
			let stamps: Payload = {};
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const line = await trx('cp_review_lines').where('id', id).first();
					if (!line) continue;
					const contract = await lockRow(trx, 'cp_contracts', line.contract);
					const decision = (payload.decision ?? line.decision) as ReviewDecision;
					const signing = 'decision' in payload && payload.decision !== line.decision;
					if (!signing) {
						// Drafting an opinion before signing is allowed to the department, never after.
						if (line.decision !== 'pending')
							throw new DomainError('CP_LINE_ALREADY_SIGNED', `Review line for ${line.department} is already ${line.decision} (CR-4)`, { field: 'decision' });
						assertCanSignLine({
							lineDepartment: line.department,
							userDepartments: actor.departments,
							isAdmin: actor.isAdmin,
							actingAs: actor.isAdmin ? line.department : undefined,
							decision: 'approved',
							currentDecision: 'pending',
						});
						continue;
					}
					if (line.decision !== 'pending')
						throw new DomainError(
							'CP_LINE_ALREADY_SIGNED',
							`Review line for ${line.department} is already ${line.decision}; a signed line cannot be re-signed (CR-4)`,
							{ field: 'decision' },
						);
					if (contract.status !== 'in_review' || Number(line.round) !== Number(contract.review_round)) {
						throw new DomainError(
							'CP_ILLEGAL_TRANSITION',
							`This review line belongs to ${contract.status !== 'in_review' ? `a contract in status '${contract.status}'` : `round ${line.round}, the review is in round ${contract.review_round}`}; it can no longer be signed (CR-4)`,
							{ field: 'decision' },
						);
					}
					const member = actor.departments.includes(line.department);
					const as = assertCanSignLine({
						lineDepartment: line.department,
						userDepartments: actor.departments,
						isAdmin: actor.isAdmin,
						actingAs: actor.isAdmin && !member ? line.department : undefined,
						decision,
						currentDecision: line.decision,
						opinion: payload.opinion ?? line.opinion,
					});
					// CR-3: approving confirms the department's aspects; an unchecked aspect must be stated.
					let checklist = parseJson<any[]>(payload.checklist ?? line.checklist, []);
					if (!Array.isArray(checklist)) throw new DomainError('CP_INVALID_VALUE', `checklist must be a list of aspects`, { field: 'checklist' });
					if (decision === 'approved') {
						const unchecked = 'checklist' in payload ? checklist.filter((a) => !a.checked).map((a) => a.key) : [];
						if (unchecked.length)
							throw new DomainError(
								'CP_INVALID_VALUE',
								`Approval leaves aspects unconfirmed: ${unchecked.join(', ')}; confirm them or reject with an opinion (CR-3)`,
								{ field: 'checklist' },
							);
						checklist = checklist.map((a) => ({ ...a, checked: true }));
					}
					stamps = { decision, signed_by: actor.userId, signed_at: now, signed_as_admin: !member && actor.isAdmin, checklist };
					const changed = await trx('cp_review_lines')
						.where({ id, decision: 'pending' })
						.update({ ...stamps, checklist: JSON.stringify(checklist), opinion: payload.opinion ?? line.opinion, date_updated: now });
					if (changed !== 1)
						throw new DomainError('CP_LINE_ALREADY_SIGNED', `Review line for ${line.department} was signed by someone else a moment ago (CR-4)`, {
							field: 'decision',
						});
					await appendAudit(
						trx,
						{ ...actor, departments: [as] },
						[
							{
								collection: 'cp_review_lines',
								item: id,
								action: 'signed',
								from_status: 'pending',
								to_status: decision,
								data: { contract: line.contract, round: line.round, department: line.department, opinion: payload.opinion ?? line.opinion ?? null },
							},
						],
						now,
					);
					if (decision === 'approved') await completeIfDone(trx, actor, line.contract, now);
				}
			});
			return { ...payload, ...stamps };
		}),
	);

	// ---- discrepancies (CR-5) ---------------------------------------------------------------
	filter(
		'cp_discrepancies.items.create',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			const c = payload.contract ? await database('cp_contracts').where('id', payload.contract).first('status', 'review_round') : null;
			if (!c) throw new DomainError('CP_INVALID_VALUE', `contract ${JSON.stringify(payload.contract ?? null)} does not exist`, { field: 'contract' });
			if (c.status !== 'in_review')
				throw new DomainError('CP_ILLEGAL_TRANSITION', `Discrepancies are raised during review; the contract is '${c.status}' (CR-5)`, { field: 'contract' });
			const dept = payload.raised_by_department ?? (actor.departments.length === 1 ? actor.departments[0] : undefined);
			if (!dept || !isDepartmentKey(dept))
				throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `raised_by_department is required`, { field: 'raised_by_department' });
			if (!actor.system && !actor.isAdmin && !actor.departments.includes(dept))
				throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `Only a member of ${dept} can raise a discrepancy in its name (CR-5)`, {
					field: 'raised_by_department',
				});
			for (const f of ['clause', 'problem'])
				if (!payload[f] || !String(payload[f]).trim()) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `${f} is required (CR-5)`, { field: f });
			if (payload.status && payload.status !== 'open') throw new DomainError('CP_ILLEGAL_TRANSITION', `A discrepancy starts open (CR-5)`, { field: 'status' });
			return { ...payload, raised_by_department: dept, status: 'open', round: c.review_round };
		}),
	);

	filter(
		'cp_discrepancies.items.update',
		translated(async (payload: Payload, meta: { keys: string[] }, ctx: FilterCtx) => {
			const { actor, database } = await ctxOf(ctx);
			assertNoSystemFields(payload, ['round', 'raised_by_department', 'contract', 'resolved_by', 'resolved_at', 'closed_by', 'closed_at'], actor);
			const now = nowIso();
			let stamps: Payload = {};
			await database.transaction(async (trx) => {
				for (const id of meta.keys) {
					const item = await trx('cp_discrepancies').where('id', id).first();
					if (!item) continue;
					await lockRow(trx, 'cp_contracts', item.contract);
					if (!('status' in payload) || payload.status === item.status) {
						if (item.status === 'closed' && !actor.system)
							throw new DomainError('CP_ILLEGAL_TRANSITION', `A closed discrepancy is a record and cannot be edited (CR-5)`, { field: 'status' });
						continue;
					}
					const merged = { ...item, ...payload };
					if (payload.evidence && !(await trx('directus_files').where('id', payload.evidence).first('id'))) {
						throw new DomainError('CP_INVALID_VALUE', `evidence file ${JSON.stringify(payload.evidence)} does not exist`, { field: 'evidence' });
					}
					const evidenceCount = (merged.customer_contact && String(merged.customer_contact).trim() ? 1 : 0) + (merged.evidence ? 1 : 0);
					const as = assertDiscrepancyTransition(item.status, payload.status, {
						userDepartments: actor.departments,
						isAdmin: actor.isAdmin,
						actingAs: actor.isAdmin ? (payload.status === 'resolved' ? 'sales' : item.raised_by_department) : undefined,
						raisedBy: item.raised_by_department,
						resolution: merged.resolution,
						evidenceCount,
					});
					if (payload.status === 'resolved') {
						stamps = { resolved_by: actor.userId, resolved_at: now };
						// CR-5: what the customer clarified in writing goes back to the raising department's review.
						if (toBool(merged.customer_clarified_in_writing)) {
							const contract = await trx('cp_contracts').where('id', item.contract).first();
							await trx('cp_review_lines')
								.where({ contract: item.contract, round: contract.review_round, department: item.raised_by_department })
								.whereNot('decision', 'pending')
								.update({ decision: 'pending', signed_by: null, signed_at: null, date_updated: now });
						}
					} else if (payload.status === 'closed') stamps = { closed_by: actor.userId, closed_at: now };
					await trx('cp_discrepancies')
						.where({ id, status: item.status })
						.update({ ...payload, ...stamps, date_updated: now });
					await appendAudit(
						trx,
						{ ...actor, departments: [as] },
						[
							{
								collection: 'cp_discrepancies',
								item: id,
								action: 'transition',
								from_status: item.status,
								to_status: payload.status,
								data: { contract: item.contract },
							},
						],
						now,
					);
					if (payload.status === 'closed') await completeIfDone(trx, actor, item.contract, now);
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
			const bad = Object.keys(payload).filter((f) => !['acknowledged_at', 'acknowledged_by'].includes(f));
			if (bad.length && !actor.system)
				throw new DomainError('CP_SYSTEM_ONLY', `A task notice is only acknowledged by its department; ${bad.join(', ')} cannot be changed (CR-13)`, {
					field: bad[0],
				});
			const now = nowIso();
			for (const id of meta.keys) {
				const n = await database('cp_task_notices').where('id', id).first();
				if (!n) continue;
				if (n.acknowledged_at)
					throw new DomainError('CP_ILLEGAL_TRANSITION', `The task notice for ${n.department} was already acknowledged (CR-13)`, { field: 'acknowledged_at' });
				if (!actor.system && !actor.departments.includes(n.department) && !actor.isAdmin)
					throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `Only ${n.department} acknowledges its task notice (CR-13)`, { field: 'acknowledged_at' });
			}
			return { acknowledged_at: now, acknowledged_by: actor.userId };
		}),
	);

	// ---- changes (CR-14) ---------------------------------------------------------------------
	filter(
		'cp_changes.items.create',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { settings, actor, database } = await ctxOf(ctx);
			requireSalesOrAdmin(actor, 'record a contract change');
			assertNoSystemFields(payload, ['consequence', 'affected_departments'], actor);
			if (!payload.description || !String(payload.description).trim())
				throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `description is required (CR-14)`, { field: 'description' });
			const now = nowIso();
			let result: Payload = {};
			await database.transaction(async (trx) => {
				const contract = payload.contract ? await lockRow(trx, 'cp_contracts', payload.contract) : null;
				if (!contract) throw new DomainError('CP_INVALID_VALUE', `contract ${JSON.stringify(payload.contract ?? null)} does not exist`, { field: 'contract' });
				const signedByBoth = toBool(payload.signed_by_customer) && toBool(payload.signed_by_company);
				const consequence = assertChangeAllowed({
					kind: payload.kind as ChangeKind,
					customerConsentRecorded: Boolean(payload.customer_consent_at || payload.consent_file),
					contractStatus: contract.status,
					terminationSignedByBoth: signedByBoth,
				});
				const system: ActorInfo = { ...actor, system: true };
				if (consequence.consequence === 'new_review') {
					// Re-review by the departments whose CR-3 aspects the change touches.
					const fields = await openRound(trx, settings, contract, now, {
						departments: consequence.reviewDepartments,
						route: 'change',
						reason: `Change of ${payload.kind}: re-review by ${consequence.reviewDepartments.join(', ')} (CR-14)`,
					});
					await trx('cp_contracts')
						.where('id', contract.id)
						.update({ ...fields, date_updated: now });
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
				if (consequence.consequence === 'termination_both_parties') {
					assertContractTransition(contract.status, 'terminated', { terminationSignedByBoth: signedByBoth });
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
					consequence.notifyDepartments,
					{
						subject: `合同变更 Contract change: ${contract.code}`,
						message: `${payload.kind}: ${payload.description} → ${consequence.consequence}`,
						collection: 'cp_contracts',
						item: contract.id,
					},
					now,
				);
				result = { consequence: consequence.consequence, affected_departments: consequence.notifyDepartments, status: 'approved' };
			});
			return { ...payload, ...result };
		}),
	);
	filter(
		'cp_changes.items.update',
		translated(async (payload: Payload, _m: any, ctx: FilterCtx) => {
			const { actor } = await ctxOf(ctx);
			const bad = Object.keys(payload).filter((f) => !['status'].includes(f) || !['done', 'rejected'].includes(payload.status));
			if (bad.length && !actor.system)
				throw new DomainError('CP_SYSTEM_ONLY', `A recorded change is a record: only its status can move to done or rejected (CR-14, CR-17)`, {
					field: bad[0],
				});
			return payload;
		}),
	);
}
