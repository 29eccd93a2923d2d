/**
 * New or old customer (CR-8, CR-11; Doc 1 4.3.1). A customer becomes an old customer with its
 * first signed contract, so nobody has to remember to clear a flag; Sales may still decide
 * otherwise (e.g. a customer known from before this system, or one whose products changed so
 * much it should be reviewed as new again), and says why. Pure: the adapter loads the facts.
 */
import type { ContractStatus } from './contract-status';

/** A contract in these statuses was signed (an old customer's confirmed oral order counts, CR-11). */
export const SIGNED_STATUSES: readonly ContractStatus[] = ['signed', 'in_production', 'completed'];

/** Sales's decision recorded on the customer (cp_customers.is_new and is_new_reason); null is_new: none. */
export interface NewCustomerOverride {
	is_new: boolean | null | undefined;
	reason?: string | null | undefined;
}

export interface CustomerHistory {
	/** How many of the customer's contracts (other than the one under review) were signed. */
	signedContracts: number;
	override?: NewCustomerOverride | null | undefined;
}

export interface NewCustomerDecision {
	isNew: boolean;
	/** 'override' when Sales decided it, 'history' when derived from the signed contracts. */
	basis: 'override' | 'history';
	reason: string;
}

export function isSignedStatus(status: string | null | undefined): boolean {
	return status != null && (SIGNED_STATUSES as readonly string[]).includes(status);
}

/** CR-8: new until the first signed contract, unless Sales overrode it. */
export function decideNewCustomer(history: CustomerHistory): NewCustomerDecision {
	const o = history.override;
	if (o && (o.is_new === true || o.is_new === false)) {
		return { isNew: o.is_new, basis: 'override', reason: o.reason?.trim() || 'set by Sales' };
	}
	return history.signedContracts > 0
		? { isNew: false, basis: 'history', reason: `${history.signedContracts} signed contract(s)` }
		: { isNew: true, basis: 'history', reason: 'no signed contract yet' };
}

/**
 * CR-8: Sales changes a customer's new/old status only with the reason, in the same request, so the
 * record says why the history was overruled. Clearing it (null: derive from history again) needs none.
 * A customer entered with its status (e.g. an old customer from before this system) is not a change.
 */
export function overrideReasonMissing(row: { is_new?: unknown } | null, payload: Record<string, unknown>): boolean {
	if (!row || !Object.hasOwn(payload, 'is_new') || payload.is_new == null) return false;
	if (row.is_new != null && toBoolean(row.is_new) === toBoolean(payload.is_new)) return false;
	const reason = payload.is_new_reason;
	return typeof reason !== 'string' || reason.trim() === '';
}

const toBoolean = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';
