/**
 * X-6 "departments are data": who receives the task notice (CR-13), who takes each step of the
 * feedback handling form (CP-2..CP-5, the clock's pauses CP-4), who raises discrepancies (CR-5)
 * and who keeps and checks which kind of customer property (PR-5) are settings on cp_settings.
 * Empty means the procedures' own assignment (the defaults below). Pure: the adapters read the
 * settings row and pass the resolved lists into the plan functions.
 */
import { DomainError } from './errors';
import { DEPARTMENT_KEYS, departmentName } from './departments';
import { TASK_NOTICE_DEPARTMENTS } from './contract-review/task-notices';
import { GUARD_DEPARTMENTS } from './complaints/lifecycle';
import { CLOCK_PAUSE_DEPARTMENTS } from './complaints/pauses';
import { DEFAULT_PROPERTY_CUSTODIANS } from './property/events';
import { PROPERTY_KINDS } from './property/property-status';
import { RESTRICTED_KINDS, RESTRICTED_READERS } from './property/register';

/** The steps of the feedback handling form a department may be given (the transition guards and the clock's pause). */
export const COMPLAINT_STEPS = ['investigate', 'plan_action', 'respond', 'request_verification', 'close', 'reopen', 'pause'] as const;
export type ComplaintStep = (typeof COMPLAINT_STEPS)[number];

export interface ProcessDepartments {
	/** CR-13: the departments that receive the sales-to-production task notice. */
	taskNotice: readonly string[];
	/** CP-2..CP-5: per step, the departments that may take it. */
	complaint: Readonly<Record<ComplaintStep, readonly string[]>>;
	/** CR-5: the departments that may raise a discrepancy (in their own name). */
	discrepancy: readonly string[];
	/** PR-5: per property kind, the departments that keep and check it. */
	custodians: Readonly<Record<string, readonly string[]>>;
}

export const PROCESS_DEPARTMENT_FIELDS = ['task_notice_departments', 'complaint_departments', 'discrepancy_departments', 'property_custodians'] as const;
export type ProcessDepartmentSettings = Partial<Record<(typeof PROCESS_DEPARTMENT_FIELDS)[number], unknown>>;

/** The procedures' defaults (Doc 1 4.5.2, Doc 2 4.6.4, Doc 1 4.2.3, Doc 5 1). */
export const DEFAULT_PROCESS_DEPARTMENTS: ProcessDepartments = {
	taskNotice: TASK_NOTICE_DEPARTMENTS,
	complaint: { ...GUARD_DEPARTMENTS, pause: CLOCK_PAUSE_DEPARTMENTS },
	discrepancy: DEPARTMENT_KEYS,
	custodians: DEFAULT_PROPERTY_CUSTODIANS,
};

const parsed = (v: unknown): unknown => {
	if (typeof v !== 'string') return v;
	try {
		return JSON.parse(v);
	} catch {
		return v;
	}
};
const list = (v: unknown): string[] | null => (Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'string') ? [...v] : null);
const map = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** The settings resolved: each entry the company set replaces the default, the rest stay as the procedure says. */
export function processDepartments(settings: ProcessDepartmentSettings | null | undefined): ProcessDepartments {
	const s = settings ?? {};
	const complaint = map(parsed(s.complaint_departments)) ?? {};
	const custodians = map(parsed(s.property_custodians)) ?? {};
	return {
		taskNotice: list(parsed(s.task_notice_departments)) ?? DEFAULT_PROCESS_DEPARTMENTS.taskNotice,
		complaint: Object.fromEntries(COMPLAINT_STEPS.map((step) => [step, list(complaint[step]) ?? DEFAULT_PROCESS_DEPARTMENTS.complaint[step]])) as Record<
			ComplaintStep,
			readonly string[]
		>,
		discrepancy: list(parsed(s.discrepancy_departments)) ?? DEFAULT_PROCESS_DEPARTMENTS.discrepancy,
		custodians: Object.fromEntries(
			PROPERTY_KINDS.map((kind) => [kind, list(custodians[kind]) ?? (DEFAULT_PROCESS_DEPARTMENTS.custodians as Record<string, readonly string[]>)[kind]]),
		),
	};
}

/** Labels as the admin app shows them (scripts/schema/collections.mjs). */
export const PROCESS_DEPARTMENT_LABELS: Readonly<Record<string, string>> = {
	task_notice_departments: 'Task notice recipients / 任务通知单接收部门',
	complaint_departments: 'Complaint steps by department / 顾客反馈处理各步骤部门',
	discrepancy_departments: 'Departments raising discrepancies / 可提出合同不一致问题的部门',
	property_custodians: 'Property custodians by kind / 顾客财产保管部门',
};
const label = (field: string) => `${PROCESS_DEPARTMENT_LABELS[field] ?? field}`;
const invalid = (field: string, rule: string): never => {
	throw new DomainError('CP_INVALID_VALUE', `${label(field)} ${rule}`, { field });
};

/**
 * Checks a settings change of these fields: every department named exists (in the catalogue or
 * the company's department map), every step and kind is one the product knows, and personal data
 * and intellectual property are kept only by departments that may see them (PR-1).
 * `known` are the department keys that exist after the change.
 */
export function validateProcessDepartments(change: Readonly<Record<string, unknown>>, known: readonly string[]): void {
	const exists = new Set(known);
	const departments = (field: string, where: string, v: unknown): void => {
		if (!Array.isArray(v) || v.length === 0 || !v.every((d) => typeof d === 'string'))
			invalid(field, `${where}must be a non-empty list of department keys, 须为部门键列表, not ${JSON.stringify(v)}`);
		const unknown = (v as string[]).filter((d) => !exists.has(d));
		if (unknown.length) invalid(field, `${where}names departments that do not exist 部门不存在: ${unknown.join(', ')} (add them to Departments / 部门 first)`);
	};
	for (const field of PROCESS_DEPARTMENT_FIELDS) {
		if (!Object.hasOwn(change, field)) continue;
		const raw = change[field];
		if (raw === null) continue;
		const v = parsed(raw);
		if (field === 'task_notice_departments' || field === 'discrepancy_departments') {
			departments(field, '', v);
			continue;
		}
		const m = map(v);
		if (!m) invalid(field, `must be an object, 须为对象, not ${JSON.stringify(v)}`);
		const keys = field === 'complaint_departments' ? (COMPLAINT_STEPS as readonly string[]) : (PROPERTY_KINDS as readonly string[]);
		for (const [key, value] of Object.entries(m!)) {
			if (!keys.includes(key)) invalid(field, `key ${JSON.stringify(key)} must be one of ${keys.join(', ')}`);
			departments(field, `${key}: `, value);
			if (field === 'property_custodians' && (RESTRICTED_KINDS as readonly string[]).includes(key)) {
				const unseen = (value as string[]).filter((d) => !RESTRICTED_READERS.includes(d));
				if (unseen.length)
					invalid(
						field,
						`${key}: only ${RESTRICTED_READERS.map((d) => departmentName(d, 'zh') + ' ' + departmentName(d)).join(', ')} may keep confidential property 保密财产 (PR-1), not ${unseen.join(', ')}`,
					);
			}
		}
	}
}
