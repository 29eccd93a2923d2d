/**
 * What one property event does to its register line (PR-3..PR-8). The event
 * is the record; the register line is kept in step with it in the same
 * transaction. planEvent is pure: it gets the line, the event and the facts,
 * and returns the new status, the register patch and the normalised event.
 */
import { DomainError, isBlank, throwIfFailures, type GuardFailure } from '../errors';
import { localDateKey, nextCheckDue } from '../schedule/periods';
import {
	PROPERTY_EVENT_TYPES,
	assertEventAllowed,
	assertPropertyTransition,
	isPhysical,
	type PropertyEventType,
	type PropertyKind,
	type PropertyStatus,
} from './property-status';
import { IDENTIFIED_KINDS, RESTRICTED_KINDS, RESTRICTED_READERS, parseQuantity, type Viewer } from './register';

/** PR-6 problem kinds (Doc 1 4.8.4, Doc 5 5). */
export const PROBLEM_TYPES = ['damage', 'loss', 'unsuitable', 'quantity_mismatch', 'nonconforming_material'] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** PR-6: the customer's decision on a problem and the status it leads to. */
export const DISPOSITION_DECISIONS = {
	continue_use: 'in_use',
	store: 'in_store',
	return: 'returned',
	dispose: 'disposed',
} as const satisfies Record<string, PropertyStatus>;
export type DispositionDecision = keyof typeof DISPOSITION_DECISIONS;

/** PR-3: incoming inspection is Quality's (admins may act and are recorded as such). */
export const INSPECTING_DEPARTMENTS: readonly string[] = ['quality'];

/** PR-6 (Doc 1 4.8.4, Doc 5 7): the customer's disposition is received and recorded by Sales. */
export const DISPOSITION_RECEIVERS: readonly string[] = ['sales'];

/** Who hears about an event once it is recorded (PR-3 feedback via Sales; PR-6 report to Sales/Technical/Quality). */
export function departmentsToNotify(type: string, result?: string | null, kind?: string): string[] {
	let to: string[] = [];
	if (startsProblemPath(type, result)) to = ['sales', 'technical', 'quality'];
	if (type === 'inspection' && result === 'rejected') to = ['sales'];
	// PR-1: news of personal data or IP goes only to those who may read it.
	return isRestricted(kind) ? to.filter((d) => RESTRICTED_READERS.includes(d)) : to;
}

/** PR-5 -> PR-6: a problem report, or a periodic check that found the item not OK, starts the problem path. */
export const startsProblemPath = (type: string, result?: string | null): boolean => type === 'problem' || (type === 'check' && result === 'not_ok');

export const isRestricted = (kind: string | undefined | null): boolean => (RESTRICTED_KINDS as readonly string[]).includes(String(kind));

/**
 * PR-5, X-6: who keeps and checks an item, by kind (Doc 5 1: Production keeps tooling,
 * Technical keeps documents, discs and samples; the warehouse the rest). The default of the
 * setting cp_settings.property_custodians; a company's setting replaces it kind by kind.
 */
export const DEFAULT_PROPERTY_CUSTODIANS: Readonly<Record<PropertyKind, readonly string[]>> = {
	material: ['warehouse'],
	part: ['warehouse'],
	equipment: ['production'],
	tooling: ['production'],
	gauge: ['production'],
	drawing: ['technical'],
	specification: ['technical'],
	sample: ['technical'],
	data_media: ['technical'],
	intellectual_property: ['sales'],
	personal_data: ['sales'],
};

/** The custodians of a kind: the company's setting for it, else the default (pure: the setting is passed in). */
export function custodianDepartments(kind: string, setting?: Readonly<Record<string, readonly string[]>> | null): string[] {
	const own = setting?.[kind];
	if (Array.isArray(own) && own.length) return [...own];
	return [...((DEFAULT_PROPERTY_CUSTODIANS as Record<string, readonly string[]>)[kind] ?? ['warehouse'])];
}

export const QUARANTINE_WORDS: readonly string[] = ['quarantine', '隔离'];

/** PR-6: a blocked item may only go to a quarantine (isolation) location. */
export function isQuarantineLocation(location: string | null | undefined, words: readonly string[] = QUARANTINE_WORDS): boolean {
	if (isBlank(location)) return false;
	const l = location!.toLowerCase();
	return words.some((w) => w.trim() !== '' && l.includes(w.toLowerCase()));
}

export interface RegisterState {
	code?: string | null;
	name: string;
	kind: PropertyKind;
	status: PropertyStatus;
	specification?: string | null;
	model?: string | null;
	quantity?: unknown;
	location?: string | null;
}

export interface EventInput {
	type: string;
	/** PR-6: the customer's evidence for a disposition: a Directus file (its id) ... */
	evidence?: unknown;
	/** ... or the text of the customer's message (e-mail, letter, chat) as received. */
	customer_message?: string | null;
	occurred_at?: string | Date | null;
	quantity?: unknown;
	result?: string | null;
	from_location?: string | null;
	to_location?: string | null;
	note?: string | null;
	details?: Record<string, unknown> | null;
}

export interface EventFacts {
	now: Date;
	zone: string;
	checkIntervalMonths: number;
	actor: Viewer;
	/** A problem is recorded after the last disposition (PR-6). */
	problemOpen: boolean;
	quarantineWords?: readonly string[];
	/**
	 * PR-6: how the open problem's item was isolated, if it was: the events of the open episode
	 * (problem reports, checks not OK, in order). See isolationOf.
	 */
	episode?: readonly EpisodeEvent[];
	/** PR-6: the Directus file the disposition names as the customer's evidence exists (undefined: none named). */
	evidenceFileExists?: boolean | undefined;
}

export interface EpisodeEvent {
	type: string;
	result?: string | null;
	to_location?: string | null;
	occurred_at?: string | Date | null;
	details?: Record<string, unknown> | null;
}

export interface Isolation {
	/** A physical item: the quarantine location it is kept in. */
	location?: string;
	/** An information item (drawing, specification, IP, personal data): how its use was withdrawn. */
	how?: string;
}

/**
 * PR-6 (Doc 5 5 "立即停止使用,隔离、标识"): isolation is not optional. A physical item is isolated
 * when it is kept at a quarantine location; an information item when an event of the open problem
 * says how it was withdrawn from use (details.isolation, e.g. all copies recalled and marked).
 * Null when it is not isolated yet.
 */
export function isolationOf(
	item: { kind: PropertyKind; location?: string | null },
	episode: readonly EpisodeEvent[],
	words: readonly string[] = QUARANTINE_WORDS,
): Isolation | null {
	if (isPhysical(item.kind)) return isQuarantineLocation(item.location, words) ? { location: String(item.location).trim() } : null;
	const how = [...episode]
		.reverse()
		.map((e) => text(e.details?.isolation))
		.find((v) => v !== null);
	return how ? { how } : null;
}

export interface EventPlan {
	from: PropertyStatus;
	to: PropertyStatus;
	/** Register fields to set besides status. */
	register: Record<string, unknown>;
	/** Event fields as stored (defaults filled in, details normalised). */
	event: Record<string, unknown>;
	/** PR-3: a feedback record to the customer via Sales. */
	feedbackToCustomer: boolean;
	/** PR-6: the event starts the problem path (stop use, isolate, report to the customer). */
	problemReported: boolean;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
/** The key of an m2o value (a file), which may arrive as the key or as {id}; null when none. */
const refId = (v: unknown): string | number | null => {
	const k = v && typeof v === 'object' && 'id' in (v as Record<string, unknown>) ? (v as Record<string, unknown>).id : v;
	return typeof k === 'string' ? (k.trim() === '' ? null : k.trim()) : typeof k === 'number' ? k : null;
};
const same = (a: unknown, b: unknown) =>
	String(a ?? '')
		.trim()
		.toLowerCase() ===
	String(b ?? '')
		.trim()
		.toLowerCase();

function need(failures: GuardFailure[], ok: boolean, field: string, message: string) {
	if (!ok) failures.push({ code: 'CP_REQUIRED_FIELDS_MISSING', message, field });
}

function parseWhen(value: unknown, now: Date): Date {
	if (value === undefined || value === null || value === '') return now;
	const d = value instanceof Date ? value : new Date(String(value));
	if (Number.isNaN(d.getTime())) throw new DomainError('CP_INVALID_VALUE', `occurred_at is not a date: '${String(value)}'`, { field: 'occurred_at' });
	// A little clock skew is tolerated; a record of something that has not happened is not.
	if (d.getTime() > now.getTime() + 5 * 60_000) {
		throw new DomainError('CP_INVALID_VALUE', `occurred_at ${d.toISOString()} is in the future`, { field: 'occurred_at' });
	}
	return d;
}

function bool(details: Record<string, unknown>, key: string): boolean | undefined {
	const v = details[key];
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'boolean') throw new DomainError('CP_INVALID_VALUE', `details.${key} must be true or false`, { field: `details.${key}` });
	return v;
}

export function planEvent(item: RegisterState, input: EventInput, facts: EventFacts): EventPlan {
	const type = input.type as PropertyEventType;
	if (!(PROPERTY_EVENT_TYPES as readonly string[]).includes(type)) {
		throw new DomainError('CP_INVALID_VALUE', `type must be one of ${PROPERTY_EVENT_TYPES.join(', ')}, got '${input.type}'`, { field: 'type' });
	}
	const { actor } = facts;
	if (type === 'inspection' && !actor.system && !actor.isAdmin && !actor.departments.some((d) => INSPECTING_DEPARTMENTS.includes(d))) {
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', 'Incoming inspection is recorded by Quality (PR-3)', { field: 'type' });
	}
	const details: Record<string, unknown> = { ...(input.details ?? {}) };
	if (input.details != null && (typeof input.details !== 'object' || Array.isArray(input.details))) {
		throw new DomainError('CP_INVALID_VALUE', 'details must be an object', { field: 'details' });
	}
	const quantity = parseQuantity(input.quantity);
	const when = parseWhen(input.occurred_at, facts.now);
	const toLocation = text(input.to_location);
	const physical = isPhysical(item.kind);
	const words = facts.quarantineWords ?? QUARANTINE_WORDS;

	// Missing input first, so the form can be fixed before the state is judged.
	const failures: GuardFailure[] = [];
	if (type === 'receipt') need(failures, quantity !== null, 'quantity', 'the received quantity is recorded on the inbound slip (PR-8)');
	if (type === 'inspection')
		need(failures, input.result === 'accepted' || input.result === 'rejected', 'result', "result must be 'accepted' or 'rejected' (PR-3)");
	if (type === 'inspection' && input.result === 'rejected')
		need(failures, !isBlank(input.note), 'note', 'the reason for rejection is fed back to the customer (PR-3)');
	if (type === 'check') need(failures, input.result === 'ok' || input.result === 'not_ok', 'result', "result must be 'ok' or 'not_ok' (PR-5)");
	if (type === 'check' && input.result === 'not_ok') need(failures, !isBlank(input.note), 'note', 'describe what the check found');
	if (type === 'movement') need(failures, toLocation !== null, 'to_location', 'a movement needs the target location (PR-4)');
	if (type === 'problem') {
		need(
			failures,
			(PROBLEM_TYPES as readonly string[]).includes(String(details.problem_type)),
			'details.problem_type',
			`details.problem_type must be one of ${PROBLEM_TYPES.join(', ')} (PR-6)`,
		);
		need(failures, !isBlank(input.note), 'note', 'describe the problem for the report to the customer (PR-6)');
	}
	if (type === 'disposition' && facts.problemOpen) {
		// PR-6: the customer's disposition is received by Sales (Doc 1 4.8.4 "通过销售部转达").
		if (!actor.system && !actor.isAdmin && !actor.departments.some((d) => DISPOSITION_RECEIVERS.includes(d))) {
			throw new DomainError(
				'CP_NOT_DEPARTMENT_MEMBER',
				"顾客处置意见由销售部接收并记录 The customer's disposition is received and recorded by Sales (销售部 Sales)",
				{ field: 'details.decision' },
			);
		}
		need(
			failures,
			Object.hasOwn(DISPOSITION_DECISIONS, String(details.decision)),
			'details.decision',
			`details.decision must be one of ${Object.keys(DISPOSITION_DECISIONS).join(', ')} (PR-6)`,
		);
	}
	throwIfFailures(`Property event '${type}' is incomplete`, failures);
	const evidence = refId(input.evidence);
	const customerMessage = text(input.customer_message);
	if (type === 'disposition' && facts.problemOpen && evidence === null && customerMessage === null) {
		throw new DomainError(
			'CP_EVIDENCE_REQUIRED',
			"顾客处置意见须附顾客的书面证据:顾客书面意见文件或顾客意见原文 The customer's disposition needs the customer's evidence: a file (Customer evidence file) or the customer's message (Customer message)",
			{ field: 'evidence' },
		);
	}
	if (type === 'disposition' && evidence !== null && facts.evidenceFileExists === false) {
		throw new DomainError('CP_INVALID_VALUE', `顾客书面意见文件不存在 Customer evidence file '${String(evidence)}' does not exist`, { field: 'evidence' });
	}

	assertEventAllowed(item.status, type, {
		kind: item.kind,
		quantity,
		toQuarantine: isQuarantineLocation(toLocation, words),
		problemOpen: facts.problemOpen,
		dispositionRecorded: false,
	});

	const from = item.status;
	let to: PropertyStatus = from;
	const register: Record<string, unknown> = {};
	const event: Record<string, unknown> = { occurred_at: when.toISOString(), quantity, to_location: toLocation };
	let feedbackToCustomer = false;
	// PR-5: every kind we hold is checked on its cycle, documents and information included (Doc 5 4).
	const nextDue = () => localDateKey(nextCheckDue(when, facts.checkIntervalMonths, facts.zone), facts.zone);
	const segregated = bool(details, 'segregated');
	if (segregated !== undefined && physical) register.location_segregated = segregated;

	switch (type) {
		case 'receipt': {
			to = 'received';
			assertPropertyTransition(from, to);
			// PR-8: the inbound slip names the property, its spec, model and quantity; differences are noted.
			const slip = {
				name: text(details.name) ?? item.name,
				specification: text(details.specification) ?? item.specification ?? null,
				model: text(details.model) ?? item.model ?? null,
				quantity,
			};
			const registered = parseQuantity(item.quantity);
			const mismatches: { field: string; registered: unknown; received: unknown }[] = [];
			for (const f of ['name', 'specification', 'model'] as const) {
				if (!same(slip[f], item[f])) mismatches.push({ field: f, registered: item[f] ?? null, received: slip[f] });
			}
			if (registered !== null && quantity !== registered) mismatches.push({ field: 'quantity', registered, received: quantity });
			Object.assign(details, { slip, mismatches, quantity_checked: true, spec_checked: true });
			// PR-1: the register matches what physically arrived (a serial-numbered piece stays one line of 1).
			if (!(IDENTIFIED_KINDS as readonly string[]).includes(item.kind)) register.quantity = quantity;
			if (toLocation) register.location = toLocation;
			register.next_check_due = nextDue();
			break;
		}
		case 'inspection': {
			const result = input.result as 'accepted' | 'rejected';
			to = result === 'accepted' ? 'in_store' : 'returned';
			if (result === 'accepted' && physical && !toLocation && isBlank(item.location)) {
				throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'Accepted property goes to its segregated storage location: give to_location (PR-4)', {
					field: 'to_location',
				});
			}
			assertPropertyTransition(from, to, { inspectionResult: result });
			details.verification = { result, by: actor.departments.includes('quality') ? 'quality' : actor.system ? 'system' : 'admin' };
			if (toLocation) register.location = toLocation;
			if (result === 'rejected') {
				register.next_check_due = null;
				feedbackToCustomer = true;
			}
			break;
		}
		case 'check': {
			register.last_check_at = when.toISOString();
			register.next_check_due = nextDue();
			// PR-5 -> PR-6: an abnormal check is a problem found: use stops until the customer decides.
			if (input.result === 'not_ok') {
				to = 'blocked';
				if (from !== 'blocked') assertPropertyTransition(from, to, { problemOpen: true });
				details.status_before = from;
			}
			break;
		}
		case 'movement': {
			const fromLocation = text(input.from_location);
			if (fromLocation && item.location && !same(fromLocation, item.location)) {
				throw new DomainError('CP_INVALID_VALUE', `from_location '${fromLocation}' is not where ${item.code ?? 'the item'} is ('${item.location}')`, {
					field: 'from_location',
				});
			}
			event.from_location = fromLocation ?? item.location ?? null;
			register.location = toLocation;
			break;
		}
		case 'use': {
			const action = String(details.action ?? (from === 'in_store' ? 'issue' : 'use'));
			if (!['issue', 'put_back', 'use'].includes(action)) {
				throw new DomainError('CP_INVALID_VALUE', "details.action must be 'issue', 'put_back' or 'use'", { field: 'details.action' });
			}
			details.action = action;
			if (action === 'issue') {
				to = 'in_use';
				assertPropertyTransition(from, to);
			} else if (action === 'put_back') {
				to = 'in_store';
				assertPropertyTransition(from, to);
			} else if (from !== 'in_use') {
				throw new DomainError('CP_EVENT_NOT_ALLOWED', `${item.code ?? 'The item'} is not in use: issue it first (details.action 'issue')`, {
					field: 'details.action',
				});
			}
			const consumed = parseQuantity(details.consumed, 'details.consumed');
			if (consumed !== null) {
				const stock = parseQuantity(item.quantity) ?? 0;
				if ((IDENTIFIED_KINDS as readonly string[]).includes(item.kind) || consumed < 0 || consumed > stock) {
					throw new DomainError('CP_INVALID_VALUE', `details.consumed must be between 0 and the ${stock} held, for material that is used up`, {
						field: 'details.consumed',
					});
				}
				register.quantity = stock - consumed;
			}
			if (toLocation) {
				event.from_location = item.location ?? null;
				register.location = toLocation;
			}
			break;
		}
		case 'problem': {
			// PR-6: stop use, isolate and mark. Isolation, if done now, is into quarantine.
			if (toLocation && (!physical || !isQuarantineLocation(toLocation, words))) {
				throw new DomainError(
					'CP_INVALID_VALUE',
					`to_location of a problem report isolates the item: it must be a quarantine location, got '${toLocation}' (PR-6)`,
					{
						field: 'to_location',
					},
				);
			}
			to = 'blocked';
			if (from !== 'blocked') assertPropertyTransition(from, to, { problemOpen: true });
			details.status_before = from;
			if (toLocation) {
				event.from_location = item.location ?? null;
				register.location = toLocation;
			}
			break;
		}
		case 'disposition': {
			const decision = details.decision as DispositionDecision;
			to = DISPOSITION_DECISIONS[decision];
			// PR-6: isolation is not optional; no disposition, whatever it decides, before it.
			const isolation = isolationOf(item, facts.episode ?? [], words);
			if (!isolation) {
				throw new DomainError(
					'CP_ISOLATION_REQUIRED',
					physical
						? `${item.code ?? '该财产'} 尚未隔离:先移入隔离区(存放位置含"隔离"或"quarantine")再记录处置 ${item.code ?? 'The item'} was never isolated: move it to a quarantine location first, then record the disposition (PR-6)`
						: `${item.code ?? '该财产'} 尚未隔离:先在问题报告中记录隔离措施(details.isolation)再记录处置 ${item.code ?? 'The item'} was never isolated: record how its use was withdrawn (details.isolation) on a problem report first (PR-6)`,
					{ field: physical ? 'to_location' : 'details.isolation', details: { from, decision } },
				);
			}
			details.isolation = isolation;
			if (customerMessage !== null) event.customer_message = customerMessage;
			if (evidence !== null) event.evidence = evidence;
			assertPropertyTransition(from, to, { dispositionRecorded: true });
			const attributed = bool(details, 'loss_attributed_to_customer');
			// PR-7: our verification does not relieve the customer; a loss caused by their material is theirs.
			if (attributed !== undefined) register.loss_attributed_to_customer = attributed;
			if (to === 'returned' || to === 'disposed') register.next_check_due = null;
			if (toLocation) {
				event.from_location = item.location ?? null;
				register.location = toLocation;
			}
			break;
		}
		case 'return': {
			const action = String(details.action ?? 'return');
			if (!['return', 'dispose'].includes(action))
				throw new DomainError('CP_INVALID_VALUE', "details.action must be 'return' or 'dispose'", { field: 'details.action' });
			details.action = action;
			to = action === 'dispose' ? 'disposed' : 'returned';
			assertPropertyTransition(from, to, { customerAcknowledged: details.customer_acknowledged === true });
			register.next_check_due = null;
			if (toLocation) {
				event.from_location = item.location ?? null;
				register.location = toLocation;
			}
			break;
		}
	}
	event.details = details;
	return { from, to, register, event, feedbackToCustomer, problemReported: startsProblemPath(type, input.result) };
}

/** PR-6: a problem is open when one was recorded after the last disposition (events in id order). */
export function problemIsOpen(events: readonly { type: string; result?: string | null }[]): boolean {
	let open = false;
	for (const e of events) {
		if (startsProblemPath(e.type, e.result)) open = true;
		if (e.type === 'disposition') open = false;
	}
	return open;
}
