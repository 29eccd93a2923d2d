/**
 * Customer communication (CC-1..CC-4): the contact log entry, visits (回访) and the
 * satisfaction questionnaire (顾客满意度调查表) due at least quarterly per active customer.
 */
import { DomainError } from '../errors';
import { dueKey } from '../schedule/periods';
import { CATALOGUE, values } from '../catalogue';

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
				invalid('answers', `answers.${q.key} (${q.en} ${q.zh}) must be a whole rating from 1 to ${q.scale}, got '${String(answers[q.key])}'`);
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
