/**
 * The records a complaint, corrective action or contact log entry points to (CP-1, CP-3, CC-1)
 * and who may use a staff route: decided here from what the adapter looked up.
 */
import { DomainError } from '../errors';

/** The key an adapter looks a reference up by; null for no value or a nested object (refused by keyOf). */
export function recordKey(v: unknown): string | null {
	if (v === undefined || v === null || v === '') return null;
	return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

/** An m2o value must be a key, not a nested object (nested writes would bypass these checks). */
export function keyOf(v: unknown, field: string): string | null {
	if (v === undefined || v === null || v === '') return null;
	if (typeof v === 'string' || typeof v === 'number') return String(v);
	throw new DomainError('CP_INVALID_VALUE', `${field} must be the key of an existing record`, { field });
}

/** Every complaint and contact is a customer's; `exists`: the key names a cp_customers record. */
export function assertCustomerRef(v: unknown, exists: boolean): string {
	const id = keyOf(v, 'customer');
	if (!id) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'customer is required', { field: 'customer' });
	if (!exists) throw new DomainError('CP_INVALID_VALUE', `customer '${id}' does not exist`, { field: 'customer' });
	return id;
}

/** An optional contract, found (or not) by its key, must be the same customer's. */
export function assertContractRef(v: unknown, contract: { customer?: unknown } | null | undefined, customer: string | null): void {
	const id = keyOf(v, 'contract');
	if (!id) return;
	if (!contract) throw new DomainError('CP_INVALID_VALUE', `contract '${id}' does not exist`, { field: 'contract' });
	if (customer && contract.customer && String(contract.customer) !== customer) {
		throw new DomainError('CP_INVALID_VALUE', `contract '${id}' belongs to another customer`, { field: 'contract' });
	}
}

/** CP-3: every action has an owner, a user of the system; `exists`: the key names a user. */
export function assertUserRef(v: unknown, exists: boolean, field: string): string {
	const id = keyOf(v, field);
	if (!id) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `${field} is required (CP-3: every action has an owner)`, { field });
	if (!exists) throw new DomainError('CP_INVALID_VALUE', `${field} '${id}' is not a user`, { field });
	return id;
}

export interface StaffActor {
	departments: readonly string[];
	privileged: boolean;
}

/** A staff route that is one department's work (an administrator may always act). */
export function assertDepartmentMember(actor: StaffActor, departments: readonly string[]): void {
	if (!actor.privileged && !actor.departments.some((d) => departments.includes(d))) {
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `This is for ${departments.join(' or ')}`, { details: { departments } });
	}
}
