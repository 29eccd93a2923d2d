/**
 * The sales-to-production task notice (CR-13, Doc 1 4.5.2, Doc 3 4.3.2): issued by signing the
 * contract, one per receiving department; each department acknowledges its own, once, and the
 * record says who received it and when (the server's clock, never the request's).
 */
import { DomainError } from '../errors';
import type { PlanActor } from './contract-plan';

/** Default receivers of the sales-to-production task notice (CR-13, Doc 1 4.5.2, Doc 3 4.3.2); cp_settings.task_notice_departments replaces them. */
export const TASK_NOTICE_DEPARTMENTS: readonly string[] = ['production', 'purchasing', 'quality', 'warehouse'];

export interface TaskNoticePlan {
	/** One notice per receiving department, to insert. */
	taskNotices: { department: string; due_at: unknown; content: unknown }[];
	/** The one notification to the receiving departments. */
	notification: { departments: string[]; subject: string; message: string };
}

/**
 * CR-13, X-6: the task notices a contract issues to `recipients` (the setting, resolved by the
 * caller; a re-issue after a change passes the departments it touches and a reason). Pure.
 */
export function planTaskNotices(
	contract: { code?: string | null; title?: string | null; delivery_date?: unknown },
	recipients: readonly string[],
	reason?: string,
): TaskNoticePlan {
	const departments = [...new Set(recipients)];
	return {
		taskNotices: departments.map((department) => ({ department, due_at: contract.delivery_date ?? null, content: contract.title ?? null })),
		notification: {
			departments,
			subject: `任务通知单 Task notice: ${contract.code ?? ''}`,
			message:
				reason ?? `Contract ${contract.code ?? ''} "${contract.title ?? ''}" was signed; please acknowledge the task notice. 合同已签订,请签收任务通知单。`,
		},
	};
}

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
