/**
 * The sales-to-production task notice (CR-13, Doc 1 4.5.2, Doc 3 4.3.2): issued by signing the
 * contract, one per receiving department; each department acknowledges its own, once, and the
 * record says who received it and when (the server's clock, never the request's).
 */
import { DomainError } from '../errors';
import type { PlanActor } from './contract-plan';

export interface TaskNoticeRow {
	id: string;
	contract: string;
	department: string;
	acknowledged_at?: unknown;
}

export interface AcknowledgementPlan {
	update: { acknowledged_at: Date; acknowledged_by: string | null };
	/** The department the acknowledgement is recorded as (the generic audit records the write). */
	as: string;
}

export function planAcknowledgement(notice: TaskNoticeRow, actor: PlanActor, now: Date): AcknowledgementPlan {
	if (notice.acknowledged_at)
		throw new DomainError('CP_ILLEGAL_TRANSITION', `The task notice for ${notice.department} was already acknowledged (CR-13)`, { field: 'acknowledged_at' });
	if (!actor.system && !actor.isAdmin && !actor.departments.includes(notice.department))
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `Only ${notice.department} acknowledges its task notice (CR-13)`, { field: 'acknowledged_at' });
	return {
		update: { acknowledged_at: now, acknowledged_by: actor.userId },
		as: notice.department,
	};
}
