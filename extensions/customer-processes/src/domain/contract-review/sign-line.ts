/**
 * Signing a review line (CR-3, CR-4, Doc 1 4.2.3.1): the department's reviewer records an opinion,
 * name and date on its own line; an approval carries an opinion and confirms each aspect of the
 * line's OWN checklist explicitly (an aspect not confirmed says why in its note). Pure: the adapter loads the line and the
 * contract, writes what the plan returns.
 */
import { DomainError, isBlank } from '../errors';
import { parseJson } from '../json';
import { assertCanSignLine, type ReviewDecision } from './review';
import { initialChecklist, type AuditEntry, type ChecklistItem, type PlanActor } from './contract-plan';
import { assertSigner, type SignerKey } from './approvals';

/** Lines that a named signer of the department signs (Doc 3 4.2.2.5: 经仓库保管员确认无误后并签名). */
export const LINE_SIGNERS: Readonly<Record<string, SignerKey>> = { warehouse: 'warehouse_keeper' };

export interface ReviewLineRow {
	id: string;
	contract: string;
	department: string;
	decision: ReviewDecision;
	round: number | string;
	checklist?: unknown;
	opinion?: string | null;
}

export interface SignLineFacts {
	line: ReviewLineRow;
	contract: { status: string; review_round: number | string | null };
	payload: Record<string, unknown>;
	actor: PlanActor;
	now: Date;
}

export interface SignLinePlan {
	/** Fields written on the line (checklist as a list). */
	update: Record<string, unknown>;
	/** True when the line is signed by this write (not only drafted). */
	signs: boolean;
	/** The department the write is recorded as. */
	as: string;
	audit: AuditEntry[];
	/** An approval may complete the round (CR-6). */
	checkCompletion: boolean;
}

/**
 * The line's own checklist with the ticks of the request. The request must list exactly the line's
 * aspects: a checklist copied from another department's line is refused, never merged (CR-3).
 */
export function lineChecklist(department: string, stored: unknown, requested: unknown): ChecklistItem[] {
	const own = parseJson<unknown>(stored, null);
	const base: ChecklistItem[] = Array.isArray(own) && own.length ? (own as ChecklistItem[]) : initialChecklist(department);
	if (requested === undefined) return base.map((a) => ({ ...a }));
	const list = parseJson<unknown>(requested, undefined);
	if (!Array.isArray(list) || list.some((a) => !a || typeof a !== 'object' || typeof (a as any).key !== 'string')) {
		throw new DomainError('CP_INVALID_VALUE', `checklist must be a list of aspects, each with its key (CR-3)`, { field: 'checklist' });
	}
	const byKey = new Map<string, any>();
	for (const a of list) {
		if (byKey.has(a.key)) throw new DomainError('CP_INVALID_VALUE', `checklist names aspect ${a.key} twice (CR-3)`, { field: 'checklist' });
		byKey.set(a.key, a);
	}
	const ownKeys = base.map((a) => a.key);
	const foreign = [...byKey.keys()].filter((k) => !ownKeys.includes(k));
	const missing = ownKeys.filter((k) => !byKey.has(k));
	if (foreign.length || missing.length) {
		throw new DomainError(
			'CP_INVALID_VALUE',
			`checklist is not the ${department} line's own (${[foreign.length ? `aspects of another line: ${foreign.join(', ')}` : '', missing.length ? `missing: ${missing.join(', ')}` : ''].filter(Boolean).join('; ')}) (CR-3)`,
			{ field: 'checklist', details: { foreign, missing } },
		);
	}
	return base.map((a) => {
		const r = byKey.get(a.key);
		const note = typeof r.note === 'string' && r.note.trim() ? r.note.trim() : undefined;
		return { key: a.key, en: a.en, zh: a.zh, checked: r.checked === true, ...(note ? { note } : {}) };
	});
}

const asValue = (v: unknown) => (typeof v === 'string' ? parseJson<unknown>(v, v) : (v ?? null));
const sameValue = (a: unknown, b: unknown) => JSON.stringify(asValue(a)) === JSON.stringify(asValue(b));

/** A draft of the opinion or checklist (no decision yet), or the signature itself. */
export function planSignLine({ line, contract, payload, actor, now }: SignLineFacts): SignLinePlan {
	const member = actor.departments.includes(line.department);
	const actingAs = actor.isAdmin && !member ? line.department : undefined;
	const opinion = (payload.opinion === undefined ? line.opinion : payload.opinion) as string | null | undefined;
	const signs = 'decision' in payload && payload.decision !== line.decision;
	if (line.decision !== 'pending' && !actor.system) {
		// Resending what is stored (an import, the app) changes nothing and is not a write.
		if (!signs && Object.keys(payload).every((f) => sameValue(payload[f], (line as any)[f])))
			return { update: {}, signs: false, as: line.department, audit: [], checkCompletion: false };
		throw new DomainError(
			'CP_LINE_ALREADY_SIGNED',
			`Review line for ${line.department} is already ${line.decision}; a signed line cannot be ${signs ? 're-signed' : 'edited'} (CR-4)`,
			{ field: 'decision' },
		);
	}
	if (!signs) {
		// Drafting an opinion before signing is the department's, never another's.
		const as = assertCanSignLine({
			lineDepartment: line.department,
			userDepartments: actor.departments,
			isAdmin: actor.isAdmin,
			actingAs,
			decision: 'approved',
			currentDecision: 'pending',
		});
		const update: Record<string, unknown> = {};
		if ('opinion' in payload) update.opinion = payload.opinion;
		if ('checklist' in payload) update.checklist = lineChecklist(line.department, line.checklist, payload.checklist);
		return { update, signs: false, as, audit: [], checkCompletion: false };
	}
	if (contract.status !== 'in_review' || Number(line.round) !== Number(contract.review_round)) {
		throw new DomainError(
			'CP_ILLEGAL_TRANSITION',
			`This review line belongs to ${contract.status !== 'in_review' ? `a contract in status '${contract.status}'` : `round ${line.round}, the review is in round ${contract.review_round}`}; it can no longer be signed (CR-4)`,
			{ field: 'decision' },
		);
	}
	const decision = payload.decision as ReviewDecision;
	const as = assertCanSignLine({
		lineDepartment: line.department,
		userDepartments: actor.departments,
		isAdmin: actor.isAdmin,
		actingAs,
		decision,
		currentDecision: line.decision,
		opinion,
	});
	// A checklist drafted earlier on the line counts: it was ticked explicitly too.
	const checklist = lineChecklist(line.department, line.checklist, payload.checklist);
	if (decision === 'approved') {
		// CR-3/CR-4: an approval carries an opinion and confirms each aspect of the line's own checklist
		// explicitly; an aspect not confirmed is stated on the aspect itself (its note).
		if (isBlank(opinion))
			throw new DomainError('CP_OPINION_REQUIRED', `评审意见不能为空 / an approval carries the reviewer's opinion (CR-4)`, { field: 'opinion' });
		const unstated = checklist.filter((a) => !a.checked && !a.note);
		if (unstated.length) {
			throw new DomainError(
				'CP_REQUIRED_FIELDS_MISSING',
				`评审内容须逐项确认：${unstated.map((a) => a.zh).join('、')} / confirm each aspect of the checklist, or note why not: ${unstated.map((a) => a.en).join(', ')} (CR-3)`,
				{ field: 'checklist', details: { unconfirmed: unstated.map((a) => a.key) } },
			);
		}
		// Doc 3 4.2.2.5: on the in-stock lane the warehouse keeper confirms the outbound slip.
		const signer = LINE_SIGNERS[line.department];
		if (signer && !actor.system) assertSigner(actor, signer, { en: `The ${line.department} line`, zh: '出库单确认' }, 'decision');
	}
	return {
		update: {
			decision,
			opinion: opinion ?? null,
			checklist,
			signed_by: actor.userId,
			signed_at: now,
			signed_as_admin: !member && actor.isAdmin,
		},
		signs: true,
		as,
		audit: [
			{
				collection: 'cp_review_lines',
				item: line.id,
				action: 'signed',
				from_status: 'pending',
				to_status: decision,
				data: { contract: line.contract, round: line.round, department: line.department, opinion: opinion ?? null },
			},
		],
		checkCompletion: decision === 'approved',
	};
}
