/**
 * CP-4: the complaint clock stops while the company waits for the customer or a third party
 * (photos, samples, a test report) and runs on when the wait ends; the due dates move by the
 * paused time. What one pause or resume of the feedback handling form decides.
 */
import { DomainError } from '../errors';
import {
	closeLapsedPauses,
	complaintDeadlines,
	endPause,
	isPaused,
	parsePauses,
	PAUSABLE_STATUSES,
	startPause,
	type DeadlineSettings,
	type StoredPause,
} from './intake';
import { instant, type PlannedAudit } from './lifecycle';
import { assertDepartmentMember, type StaffActor } from './references';

type Row = Record<string, any>;

/** Doc 2 4.6.4: Sales keeps contact with the customer and Quality traces the complaint; either says the clock waits. */
export const CLOCK_PAUSE_DEPARTMENTS: readonly string[] = ['quality', 'sales'];

export { MAX_PAUSE_HOURS } from './intake';

/**
 * CP-4: what the clock may wait for, and nothing else (Doc 2 4.6.4: the customer's samples or
 * information, a third party's test). A pause names one of these; the note says the rest.
 */
export const PAUSE_REASONS = {
	customer_samples: { zh: '等待顾客提供样品或信息', en: "Waiting for the customer's samples or information" },
	customer_photos: { zh: '等待顾客提供照片', en: "Waiting for the customer's photos" },
	third_party_test: { zh: '等待第三方检测报告', en: 'Waiting for a third-party test report' },
} as const;
export type PauseReason = keyof typeof PAUSE_REASONS;
export const PAUSE_REASON_KEYS = Object.keys(PAUSE_REASONS) as PauseReason[];

/** The listed reason a request names, by key or by its zh/en label; anything else is refused. */
export function pauseReason(raw: unknown): PauseReason {
	const text = typeof raw === 'string' ? raw.trim() : '';
	const found = PAUSE_REASON_KEYS.find((k) => k === text || PAUSE_REASONS[k].zh === text || PAUSE_REASONS[k].en === text);
	if (!found) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', `A pause needs a listed reason (reason): one of ${PAUSE_REASON_KEYS.join(', ')}`, {
			field: 'reason',
		});
	}
	return found;
}

function pauseNote(raw: unknown): string | null {
	if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) return null;
	if (typeof raw !== 'string') throw new DomainError('CP_INVALID_VALUE', 'note must be text', { field: 'note' });
	if (raw.length > 500) throw new DomainError('CP_INVALID_VALUE', `note is too long: ${raw.length} characters, at most 500`, { field: 'note' });
	return raw.trim();
}

export interface ClockFacts {
	now: Date;
	actor: StaffActor & { userId: string | null };
	/** The response / resolution clock settings (cp_settings). */
	deadlines: DeadlineSettings;
	/** who may pause and resume (cp_settings.complaint_departments.pause resolved); default CLOCK_PAUSE_DEPARTMENTS. */
	pauseDepartments?: readonly string[] | undefined;
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

function planClock(kind: 'pause' | 'resume', row: Row | null, request: { id: string; reason?: unknown; note?: unknown }, facts: ClockFacts): ClockPlan {
	assertDepartmentMember(facts.actor, facts.pauseDepartments ?? CLOCK_PAUSE_DEPARTMENTS);
	if (!row) throw new DomainError('CP_INVALID_VALUE', `complaint '${request.id}' does not exist`, { field: 'id', status: 404 });
	if (!PAUSABLE_STATUSES.includes(row.status)) {
		throw new DomainError('CP_ACTION_NOT_ALLOWED', `A ${row.status} complaint's clock cannot be paused or resumed`, { field: 'status' });
	}
	// A pause that has run its maximum length ended by itself: it is closed at that length first.
	const before = closeLapsedPauses(parsePauses(row.pauses), facts.now);
	let pauses: StoredPause[];
	if (kind === 'pause') {
		// The state first (one pause at a time), then the reason it waits for.
		if (isPaused(before)) startPause(before, facts.now, 'open', null);
		pauses = startPause(before, facts.now, pauseReason(request.reason), facts.actor.userId, pauseNote(request.note));
	} else pauses = endPause(before, facts.now);
	const d = complaintDeadlines(instant(row.received_at)!, facts.deadlines, pauses);
	const update: ClockPlan['update'] = { pauses, resolution_due_at: d.resolutionDueAt };
	// Once answered, the response deadline is history and stays as it was.
	const answered = !!instant(row.responded_at);
	if (!answered) update.response_due_at = d.responseDueAt;
	return {
		from: String(row.status),
		update,
		audit: { action: kind, data: kind === 'pause' ? auditOf(pauses[pauses.length - 1]!) : null },
		pauses,
		paused: isPaused(pauses, facts.now),
		responseDueAt: answered ? instant(row.response_due_at) : d.responseDueAt,
		resolutionDueAt: d.resolutionDueAt,
	};
}

const auditOf = (p: StoredPause): Record<string, unknown> => (p.note ? { reason: p.reason, note: p.note } : { reason: p.reason });

/**
 * Stops the clock of an open complaint, with the reason it waits for.
 * Worked example: received Monday 09:00 with 72 hours to respond (due Thursday 09:00), paused
 * Monday 10:00 for photos: the working target is Thursday 09:00 plus the pause's maximum
 * (120 h), earlier when resumed sooner. The reason is a key of PAUSE_REASONS.
 */
export function planPause(row: Row | null, request: { id: string; reason?: unknown; note?: unknown }, facts: ClockFacts): ClockPlan {
	return planClock('pause', row, request, facts);
}

/**
 * Runs the clock on: the due dates exclude the paused time.
 * Worked example: that pause resumed Monday 13:00 (3 hours) moves the response due date to Thursday 12:00.
 */
export function planResume(row: Row | null, request: { id: string }, facts: ClockFacts): ClockPlan {
	return planClock('resume', row, request, facts);
}
