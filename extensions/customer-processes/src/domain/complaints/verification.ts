/**
 * CP-5: the customer's re-verification through the link (Doc 2 4.6.4: the complaint is
 * closed once the customer accepts the rectification; Doc 4 3.6: open to the customer's
 * re-check at any time). What one answer does to the feedback handling form:
 * - confirmed, nothing else missing -> closed (the resolution deadline is judged now);
 * - confirmed, something still missing (an action open, no disposition) -> stays verifying
 *   with the confirmation on record, and staff close it when the rest is done;
 * - rejected -> reopened, to be investigated or acted on again.
 * The link works once: the answer clears the token, and is written only while the complaint
 * is still verifying. An unknown, used, expired or malformed link gets one answer.
 */
import { DomainError } from '../errors';
import { isBreached } from './clock';
import { formCloseBlockers, parseDecision, TOKEN_SHAPE, type VerificationDecision } from './lifecycle';
import { TEXT_LIMITS } from './intake';

/** The same answer for every unusable link, so that it tells nothing about the complaint. */
export const linkInvalid = (): DomainError => new DomainError('CP_LINK_INVALID', 'This link is not valid or has expired', { status: 404 });

/** A token can only be one we issued (32 random bytes, base64url); anything else is refused unread. */
export function assertTokenShape(token: unknown): asserts token is string {
	if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) throw linkInvalid();
}

/** The complaint the link's hash points to, as far as the link is concerned. */
export interface LinkState {
	status: string;
	expiresAt: Date | null;
}

/** Throws CP_LINK_INVALID unless the link names a complaint that is being verified and has not expired. */
export function assertLinkUsable<T extends LinkState>(found: T | null | undefined, now: Date): asserts found is T {
	if (!found || found.status !== 'verifying' || !found.expiresAt || found.expiresAt.getTime() <= now.getTime()) throw linkInvalid();
}

export interface VerificationFacts extends LinkState {
	respondedAt: Date | null;
	actions: readonly { status: string }[];
	noActionReason?: string | null | undefined;
	productDisposition?: string | null | undefined;
	resolutionDueAt: Date | null;
	resolutionBreached: boolean;
}

export interface VerificationAudit {
	action: 'verification' | 'transition';
	from_status?: string;
	to_status?: string;
	data?: Record<string, unknown>;
}

export interface VerificationPlan {
	decision: VerificationDecision;
	note: string | null;
	from: 'verifying';
	to: 'closed' | 'reopened' | 'verifying';
	/** Columns of cp_complaints to write, conditionally on the status still being `from` and the token unchanged. */
	update: Record<string, unknown>;
	/** What keeps a confirmed complaint open for staff to close (empty when it closes or reopens). */
	missing: string[];
	/** The customer's answer and, when the status moves, the transition. */
	audit: VerificationAudit[];
}

/** Decides what the customer's answer through the link does; throws CP_LINK_INVALID or CP_INVALID_VALUE. */
export function planVerification(found: VerificationFacts | null | undefined, answer: { decision?: unknown; note?: unknown }, now: Date): VerificationPlan {
	assertLinkUsable(found, now);
	const decision = parseDecision(answer.decision);
	const note = answer.note ?? null;
	const max = TEXT_LIMITS.verification_note!;
	if (note !== null && (typeof note !== 'string' || note.length > max)) {
		throw new DomainError('CP_INVALID_VALUE', `note must be text of at most ${max} characters`, { field: 'note' });
	}
	let to: VerificationPlan['to'] = 'reopened';
	let missing: string[] = [];
	const update: Record<string, unknown> = {
		verification: decision,
		verified_at: now,
		verification_note: note,
		// Single use: the answer consumes the link.
		verify_token_hash: null,
	};
	if (decision === 'confirmed') {
		missing = formCloseBlockers({
			responseSentAt: found.respondedAt,
			actions: found.actions,
			noActionReason: found.noActionReason,
			verification: 'confirmed',
			productDisposition: found.productDisposition,
		});
		to = missing.length ? 'verifying' : 'closed';
		if (to === 'closed') update.resolution_breached = found.resolutionBreached || isBreached(found.resolutionDueAt, now);
	}
	update.status = to;
	const audit: VerificationAudit[] = [{ action: 'verification', data: { decision, note, via: 'link' } }];
	if (to !== 'verifying') audit.push({ action: 'transition', from_status: 'verifying', to_status: to });
	return { decision, note, from: 'verifying', to, update, missing, audit };
}
