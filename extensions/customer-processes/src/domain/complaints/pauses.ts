/**
 * CP-4: the complaint clock stops while the company waits for the customer or a third party
 * (photos, samples, a test report) and runs on when the wait ends; the due dates move by the
 * paused time. What one pause or resume of the feedback handling form decides.
 */
import { DomainError } from '../errors';
import { complaintDeadlines, endPause, isPaused, parsePauses, PAUSABLE_STATUSES, startPause, type DeadlineSettings, type StoredPause } from './intake';
import { instant, type PlannedAudit } from './lifecycle';
import { assertDepartmentMember, type StaffActor } from './references';

type Row = Record<string, any>;

/** Doc 2 4.6.4: Sales keeps contact with the customer and Quality traces the complaint; either says the clock waits. */
export const CLOCK_PAUSE_DEPARTMENTS: readonly string[] = ['quality', 'sales'];

export interface ClockFacts {
	now: Date;
	actor: StaffActor & { userId: string | null };
	/** The response / resolution clock settings (cp_settings). */
	deadlines: DeadlineSettings;
}

export interface ClockPlan {
	/** The status read: the write is conditional on it (a concurrent step refuses the pause). */
	from: string;
	/** What changes on the complaint; the adapter stores pauses as JSON. */
	update: { pauses: StoredPause[]; resolution_due_at: Date | null; response_due_at?: Date | null };
	audit: PlannedAudit;
	pauses: StoredPause[];
	paused: boolean;
	/** The due dates after the step; an answered complaint's response deadline stays as it was. */
	responseDueAt: Date | null;
	resolutionDueAt: Date | null;
}

function planClock(kind: 'pause' | 'resume', row: Row | null, request: { id: string; reason?: unknown }, facts: ClockFacts): ClockPlan {
	assertDepartmentMember(facts.actor, CLOCK_PAUSE_DEPARTMENTS);
	if (!row) throw new DomainError('CP_INVALID_VALUE', `complaint '${request.id}' does not exist`, { field: 'id', status: 404 });
	if (!PAUSABLE_STATUSES.includes(row.status)) {
		throw new DomainError('CP_ACTION_NOT_ALLOWED', `A ${row.status} complaint's clock cannot be paused or resumed`, { field: 'status' });
	}
	const before = parsePauses(row.pauses);
	const pauses = kind === 'pause' ? startPause(before, facts.now, request.reason, facts.actor.userId) : endPause(before, facts.now);
	const d = complaintDeadlines(instant(row.received_at)!, facts.deadlines, pauses);
	const update: ClockPlan['update'] = { pauses, resolution_due_at: d.resolutionDueAt };
	// Once answered, the response deadline is history and stays as it was.
	const answered = !!instant(row.responded_at);
	if (!answered) update.response_due_at = d.responseDueAt;
	return {
		from: String(row.status),
		update,
		audit: { action: kind, data: kind === 'pause' ? { reason: pauses[pauses.length - 1]!.reason } : null },
		pauses,
		paused: isPaused(pauses),
		responseDueAt: answered ? instant(row.response_due_at) : d.responseDueAt,
		resolutionDueAt: d.resolutionDueAt,
	};
}

/**
 * Stops the clock of an open complaint, with the reason it waits for.
 * Worked example: received Monday 09:00 with 72 hours to respond (due Thursday 09:00), paused
 * Monday 10:00 for photos: both due dates are open (null) until the clock runs again.
 */
export function planPause(row: Row | null, request: { id: string; reason?: unknown }, facts: ClockFacts): ClockPlan {
	return planClock('pause', row, request, facts);
}

/**
 * Runs the clock on: the due dates exclude the paused time.
 * Worked example: that pause resumed Monday 13:00 (3 hours) moves the response due date to Thursday 12:00.
 */
export function planResume(row: Row | null, request: { id: string }, facts: ClockFacts): ClockPlan {
	return planClock('resume', row, request, facts);
}
