/**
 * Whose work each entry of the work queue is: a person sees their departments' items and their
 * own, never another department's (Technical sees no complaint responses, only the property it
 * keeps, no surveys). The departments come from the procedures' own rules, not a second list.
 */
import { GUARD_DEPARTMENTS } from './complaints/lifecycle';
import { SURVEY_LINK_DEPARTMENTS } from './communication/communication';
import { custodianDepartments } from './property/events';
import { CATALOGUE, values } from './catalogue';
import { TRIAGE_DEPARTMENTS } from './mail/inbound';

/** all: my departments' items and mine; department: my departments' only; mine: only what is mine. */
export type QueueScope = 'all' | 'department' | 'mine';

export function parseQueueScope(v: unknown): QueueScope {
	return v === 'department' || v === 'mine' ? v : 'all';
}

/** Departments whose work an entry is (CP-2 the written response, CC-4 surveys, CR-5 resolving discrepancies). */
export const ENTRY_DEPARTMENTS: Readonly<Record<string, readonly string[]>> = {
	complaint_responses: GUARD_DEPARTMENTS.respond,
	surveys: SURVEY_LINK_DEPARTMENTS,
	discrepancies_to_resolve: ['sales'],
	mail_triage: TRIAGE_DEPARTMENTS,
};

export interface QueueViewer {
	isAdmin: boolean;
	departments: readonly string[];
}

/** Whether a department entry is shown to the viewer under the scope (an administrator sees every department's). */
export function showsDepartmentEntry(key: string, viewer: QueueViewer, scope: QueueScope): boolean {
	if (scope === 'mine') return false;
	const owners = ENTRY_DEPARTMENTS[key];
	if (!owners || viewer.isAdmin) return true;
	return viewer.departments.some((d) => owners.includes(d));
}

/** PR-5: the kinds of customer property whose checks are the viewer's (the custodian department of each kind). */
export function checkedKinds(viewer: QueueViewer): string[] | null {
	if (viewer.isAdmin) return null;
	return values(CATALOGUE.cp_property.kind).filter((k) => custodianDepartments(k).some((d) => viewer.departments.includes(d)));
}
