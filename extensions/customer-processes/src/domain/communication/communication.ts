/**
 * Customer communication (CC-1..CC-4): the contact log entry, visits (回访) and the
 * satisfaction questionnaire (顾客满意度调查表) due at least quarterly per active customer.
 */
import { DomainError } from '../errors';
import { dueKey, surveyPeriodKey } from '../schedule/periods';
import { CATALOGUE, values } from '../catalogue';
import { assertTextBounds, parseInstant } from '../complaints/intake';
import { hashToken, instant, linkExpiry, type PlannedAudit } from '../complaints/lifecycle';
import { assertContractRef, assertCustomerRef, assertDepartmentMember, recordKey, type StaffActor } from '../complaints/references';
import { linkInvalid } from '../complaints/verification';

export const COMMUNICATION_TYPES = values(CATALOGUE.cp_communications.type);
export const COMMUNICATION_CHANNELS = values(CATALOGUE.cp_communications.channel);

export const COMMUNICATION_TEXT_LIMITS: Readonly<Record<string, number>> = {
	summary: 255,
	findings: 10_000,
	follow_up: 10_000,
};

function invalid(field: string, message: string): never {
	throw new DomainError('CP_INVALID_VALUE', message, { field });
}

/** Survey scores are percentages so that periods and customers compare. */
export const SCORE_MIN = 0;
export const SCORE_MAX = 100;

export function parseScore(v: unknown): number {
	const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < SCORE_MIN || n > SCORE_MAX) {
		invalid('score', `score must be a number from ${SCORE_MIN} to ${SCORE_MAX}, got '${String(v)}'`);
	}
	return Math.round(n * 100) / 100;
}

/** Answers are the questionnaire: an object of question -> answer (or a list), bounded in size. */
export function parseAnswers(v: unknown): Record<string, unknown> | unknown[] {
	const parsed = typeof v === 'string' ? safeJson(v) : v;
	if (parsed === null || typeof parsed !== 'object') invalid('answers', 'answers must be an object of question -> answer');
	if (JSON.stringify(parsed).length > 20_000) invalid('answers', 'answers are too long (at most 20000 characters)');
	return parsed as Record<string, unknown> | unknown[];
}

function safeJson(s: string): unknown {
	try {
		return JSON.parse(s);
	} catch {
		return null;
	}
}

/** One questionnaire per customer and survey period, whoever or whatever creates it. */
export function surveyKey(customer: string | number, periodKey: string): string {
	return dueKey('survey', customer, periodKey);
}

export function assertCommunicationType(v: unknown): void {
	if (!(COMMUNICATION_TYPES as readonly unknown[]).includes(v)) {
		invalid('type', `type must be one of ${COMMUNICATION_TYPES.join(', ')}, got '${String(v)}'`);
	}
}

export function assertChannel(v: unknown): void {
	if (v === undefined || v === null) return;
	if (!(COMMUNICATION_CHANNELS as readonly unknown[]).includes(v)) {
		invalid('channel', `channel must be one of ${COMMUNICATION_CHANNELS.join(', ')}, got '${String(v)}'`);
	}
}

/** A survey period key like 2026-Q4, 2026-05, 2026-H1 or 2026 (query parameter of the summary). */
export const PERIOD_KEY = /^\d{4}(?:-(?:Q[1-4]|B[1-6]|T[1-3]|H[12]|0[1-9]|1[0-2]))?$/;

export function assertPeriodKey(v: unknown): string {
	if (typeof v !== 'string' || !PERIOD_KEY.test(v)) invalid('period', `period must look like 2026-Q4, got '${String(v)}'`);
	return v;
}

/** One question of the satisfaction questionnaire, answered on a 1..scale rating. */
export interface SurveyQuestion {
	key: string;
	en: string;
	zh: string;
	scale: number;
}

/** Used when cp_settings.survey_template is empty (Doc 2 4.6.3, Doc 4 3.7). */
export const DEFAULT_SURVEY_TEMPLATE: readonly SurveyQuestion[] = [
	{ key: 'quality', en: 'Product quality', zh: '产品质量', scale: 5 },
	{ key: 'delivery', en: 'On-time delivery', zh: '交货及时', scale: 5 },
	{ key: 'service', en: 'Service and support', zh: '服务与支持', scale: 5 },
	{ key: 'communication', en: 'Communication', zh: '沟通', scale: 5 },
	{ key: 'price', en: 'Price', zh: '价格', scale: 5 },
];

/** The company's questionnaire, or the default when none (or a malformed one) is configured. */
export function surveyTemplate(v: unknown): SurveyQuestion[] {
	const list = typeof v === 'string' ? safeJson(v) : v;
	const ok =
		Array.isArray(list) &&
		list.length > 0 &&
		list.every((q: any) => q && typeof q.key === 'string' && q.key && Number.isInteger(q.scale) && q.scale >= 2 && q.scale <= 10);
	return ok ? (list as any[]).map((q) => ({ key: q.key, en: String(q.en ?? q.key), zh: String(q.zh ?? q.key), scale: q.scale })) : [...DEFAULT_SURVEY_TEMPLATE];
}

/**
 * CC-4: answers are checked against the questionnaire (a template question takes a whole rating
 * from 1 to its scale) and, when every question is answered and no score is given, the score is
 * the mean rating as a percentage of the scale. A given score is kept (a paper form's total).
 */
export function scoreSurvey(
	template: readonly SurveyQuestion[],
	answersRaw: unknown,
	scoreRaw: unknown,
): { answers?: Record<string, unknown> | unknown[]; score?: number } {
	const out: { answers?: Record<string, unknown> | unknown[]; score?: number } = {};
	if (answersRaw !== undefined && answersRaw !== null) out.answers = parseAnswers(answersRaw);
	const answers = out.answers && !Array.isArray(out.answers) ? out.answers : null;
	if (answers) {
		for (const q of template) {
			if (!Object.hasOwn(answers, q.key)) continue;
			const n = Number(answers[q.key]);
			if (!Number.isInteger(n) || n < 1 || n > q.scale)
				invalid('answers', `答卷「${q.zh}」须为 1 至 ${q.scale} 的整数评分 / Answers, ${q.en} must be a whole rating from 1 to ${q.scale}`);
		}
	}
	if (scoreRaw !== undefined && scoreRaw !== null) out.score = parseScore(scoreRaw);
	else if (answers && template.every((q) => Object.hasOwn(answers, q.key))) {
		const mean = template.reduce((sum, q) => sum + Number(answers[q.key]) / q.scale, 0) / template.length;
		out.score = Math.round(mean * 10000) / 100;
	}
	return out;
}

// ------------------------------------------------------------------ the survey entry (CC-4)

type Row = Record<string, any>;

/** Fields that belong to a satisfaction questionnaire, not to a contact log entry. */
export const SURVEY_FIELDS = ['answers', 'score', 'survey_status', 'period_key'] as const;

/** A contact log entry carries no questionnaire. */
export function assertNoSurveyFields(payload: Row): void {
	for (const f of SURVEY_FIELDS) {
		if (payload[f] !== undefined && payload[f] !== null)
			throw new DomainError('CP_INVALID_VALUE', `${f} belongs to a satisfaction survey (type 'survey')`, { field: f });
	}
}

export interface SurveyEntry {
	/** The request with the server's scoring: answers checked, the score computed or kept, the status. */
	write: Row;
	/** due -> answered, when this entry answers the questionnaire. */
	audit: { action: 'transition'; from_status: string; to_status: string; data: Record<string, unknown> }[];
}

/**
 * Staff enter a questionnaire's answers (CC-4, Doc 2 4.6.3: Sales runs the survey; the policy says
 * who): answers are checked against the questionnaire, the score is the given one or computed from
 * a complete questionnaire, and a survey with a score is answered (stamped with the day, unless
 * given). `row` is the stored survey, or null when the survey is created with its answers.
 * Worked example: ratings 5, 4, 4, 5, 3 on five 1-5 questions score (21 / 25) = 84.
 */
export function planSurveyEntry(row: Row | null, payload: Row, facts: { now: Date; template: readonly SurveyQuestion[] }): SurveyEntry {
	const write: Row = { ...payload };
	const rated = scoreSurvey(
		facts.template,
		Object.hasOwn(payload, 'answers') ? payload.answers : undefined,
		Object.hasOwn(payload, 'score') ? payload.score : undefined,
	);
	if (Object.hasOwn(payload, 'answers')) write.answers = rated.answers ?? null;
	if (rated.score !== undefined) write.score = rated.score;
	if (!row) {
		// Created with its answers (a paper form typed in): answered once it has a score.
		const answered = write.score !== undefined && write.score !== null;
		if (payload.survey_status === 'answered' && !answered)
			throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'an answered survey needs a score', { field: 'score' });
		write.survey_status = answered ? 'answered' : 'due';
		return { write, audit: [] };
	}
	const hasScore = write.score !== undefined && write.score !== null ? true : !Object.hasOwn(payload, 'score') && row.score !== null && row.score !== undefined;
	const entering = Object.hasOwn(payload, 'answers') || Object.hasOwn(payload, 'score') || payload.survey_status === 'answered';
	const from = String(row.survey_status ?? 'due');
	if (!entering) return { write, audit: [] };
	if (!hasScore) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'a survey answer needs a score (0-100)', { field: 'score' });
	write.survey_status = 'answered';
	if (!Object.hasOwn(payload, 'occurred_at')) write.occurred_at = facts.now.toISOString();
	return { write, audit: from === 'answered' ? [] : [{ action: 'transition', from_status: from, to_status: 'answered', data: { via: 'staff' } }] };
}

/**
 * One write of a contact log entry or a survey (CC-1, CC-4): a log entry takes no questionnaire;
 * a survey's customer stays (one survey per customer and period); answers go through the entry.
 */
export function planCommunicationUpdate(row: Row, payload: Row, facts: { now: Date; template: readonly SurveyQuestion[] }): SurveyEntry {
	if (row.type !== 'survey') {
		assertNoSurveyFields(payload);
		return { write: { ...payload }, audit: [] };
	}
	if (Object.hasOwn(payload, 'customer') && String(payload.customer ?? '') !== String(row.customer ?? '')) {
		throw new DomainError('CP_INVALID_VALUE', 'customer of a survey cannot change (one survey per customer and period)', { field: 'customer' });
	}
	return planSurveyEntry(row, payload, facts);
}

/** A recorded correction of an answered survey passes the entry's own checks: a score stays 0-100. */
export function correctedSurveyValue(field: string, value: unknown, template: readonly SurveyQuestion[]): unknown {
	if (field === 'score') return parseScore(value);
	if (field === 'answers') return scoreSurvey(template, value, 0).answers ?? null;
	if (field === 'channel') assertChannel(value);
	return value;
}

// ------------------------------------------------------------------ a new entry or survey (CC-1, CC-4)

export interface CommunicationCreationFacts {
	now: Date;
	/** The company's time zone: the survey period is the local quarter (or month, ...). */
	zone: string;
	/** cp_settings.survey_cadence_months (3 when not set). */
	cadenceMonths: number;
	template: readonly SurveyQuestion[];
	/** The given customer key names a cp_customers record. */
	customerExists: boolean;
	/** The contract the given key names, or null when none (or none was given). */
	contract: { customer?: unknown } | null;
	/** The survey already recorded under the key surveyCreationKey gave, or null. */
	duplicate: { id: unknown } | null;
}

const occurredAtOf = (payload: Row, now: Date) =>
	payload.occurred_at === undefined || payload.occurred_at === null ? now : parseInstant(payload.occurred_at, 'occurred_at', { now, notInFuture: true });

const periodOf = (payload: Row, occurredAt: Date, facts: { cadenceMonths: number; zone: string }) =>
	payload.period_key ? assertPeriodKey(payload.period_key) : surveyPeriodKey(occurredAt, facts.cadenceMonths, facts.zone);

/**
 * The one-per-customer-and-period key of a new survey, for the adapter to look the existing one up;
 * null for a contact log entry or when the fields it is made of are not usable (the plan refuses them).
 */
export function surveyCreationKey(payload: Row, facts: { now: Date; zone: string; cadenceMonths: number }): string | null {
	const customer = recordKey(payload.customer);
	if (payload.type !== 'survey' || !customer) return null;
	try {
		return surveyKey(customer, periodOf(payload, occurredAtOf(payload, facts.now), facts));
	} catch {
		return null;
	}
}

/**
 * A new contact log entry or satisfaction survey (CC-1, CC-4): a customer's, at a time not in the
 * future; a survey belongs to the survey period of its date (or the one given), and each customer
 * has one survey per period, whoever or whatever creates it.
 * Worked example: a survey of customer C dated 10 May 2026 on a quarterly cadence is C's 2026-Q2
 * survey; a second one dated 20 June 2026 is refused, and one dated 1 July 2026 is C's 2026-Q3.
 */
export function planSurveyCreation(payload: Row, facts: CommunicationCreationFacts): { write: Row } {
	assertTextBounds(payload, COMMUNICATION_TEXT_LIMITS);
	assertCommunicationType(payload.type);
	assertChannel(payload.channel);
	const customer = assertCustomerRef(payload.customer, facts.customerExists);
	assertContractRef(payload.contract, facts.contract, customer);
	const occurredAt = occurredAtOf(payload, facts.now);
	const out: Row = { ...payload, occurred_at: occurredAt.toISOString() };
	if (payload.type !== 'survey') {
		assertNoSurveyFields(payload);
		return { write: out };
	}
	const period = periodOf(payload, occurredAt, facts);
	out.period_key = period;
	out.dedupe_key = surveyKey(customer, period);
	if (facts.duplicate) {
		throw new DomainError('CP_DUPLICATE_SURVEY', `Customer already has a satisfaction survey for ${period}; enter the answers there`, {
			field: 'period_key',
			details: { existing_id: facts.duplicate.id },
		});
	}
	return { write: planSurveyEntry(null, out, { now: facts.now, template: facts.template }).write };
}

// ------------------------------------------------------------------ the customer's survey link (CC-4)

/** Doc 2 4.6.3: Sales runs the satisfaction survey; Quality, who analyses it, may send the link too. */
export const SURVEY_LINK_DEPARTMENTS: readonly string[] = ['sales', 'quality'];

export interface SurveyLinkPlan {
	update: { token_hash: string; token_expires_at: Date };
	audit: PlannedAudit;
	expiresAt: Date;
}

/**
 * A link for the customer to answer a survey that is still due; a new link replaces the previous
 * one. `row` is the survey found by the id, or null. Worked example: a link made 1 June 2026 00:00
 * UTC with the default 14 days expires 15 June 2026 00:00 UTC; an answered survey gets no link.
 */
export function planSurveyLink(
	row: Row | null,
	request: { id: string; days?: unknown; token: string },
	facts: { now: Date; actor: StaffActor },
): SurveyLinkPlan {
	assertDepartmentMember(facts.actor, SURVEY_LINK_DEPARTMENTS);
	const expiresAt = linkExpiry(facts.now, request.days === undefined ? undefined : Number(request.days));
	if (!row || row.type !== 'survey') throw new DomainError('CP_INVALID_VALUE', `survey '${request.id}' does not exist`, { field: 'id', status: 404 });
	if (row.survey_status !== 'due') throw new DomainError('CP_ACTION_NOT_ALLOWED', 'This survey is already answered', { field: 'survey_status' });
	return {
		update: { token_hash: hashToken(request.token), token_expires_at: expiresAt },
		audit: { action: 'survey_link', data: { expires_at: expiresAt.toISOString() } },
		expiresAt,
	};
}

/** Throws CP_LINK_INVALID unless the link's survey is still due and the link has not expired. */
export function assertSurveyLinkUsable(row: Row | null | undefined, now: Date): asserts row is Row {
	const expires = instant(row?.token_expires_at);
	if (!row || row.type !== 'survey' || row.survey_status !== 'due' || !expires || expires.getTime() <= now.getTime()) throw linkInvalid();
}

export interface SurveyAnswerPlan {
	/** The answered survey; the link is used up (its hash cleared). The adapter stores answers as JSON. */
	update: {
		score: number;
		answers: Record<string, unknown> | unknown[] | null;
		survey_status: 'answered';
		occurred_at: Date;
		channel: 'link';
		token_hash: null;
	};
	audit: PlannedAudit;
}

/**
 * The customer answers through the link (CC-4): every question of the questionnaire, or a score.
 * Worked example: ratings 5, 4, 4, 5, 3 on five 1-5 questions score 84; four of them and no score: refused.
 */
export function planSurveyAnswer(
	row: Row | null | undefined,
	answer: { answers?: unknown; score?: unknown },
	facts: { now: Date; template: readonly SurveyQuestion[] },
): SurveyAnswerPlan {
	assertSurveyLinkUsable(row, facts.now);
	const scored = scoreSurvey(facts.template, answer.answers, answer.score);
	if (scored.score === undefined) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', 'answer every question, or give a score (0-100)', { field: 'score' });
	return {
		update: { score: scored.score, answers: scored.answers ?? null, survey_status: 'answered', occurred_at: facts.now, channel: 'link', token_hash: null },
		audit: { action: 'transition', from_status: 'due', to_status: 'answered', data: { via: 'link' } },
	};
}
