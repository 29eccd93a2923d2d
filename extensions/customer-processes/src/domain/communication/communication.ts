/**
 * Customer communication (CC-1..CC-4): the contact log entry, visits (回访) and the
 * satisfaction questionnaire (顾客满意度调查表) due at least quarterly per active customer.
 */
import { DomainError } from '../errors';
import { dueKey } from '../schedule/periods';

export const COMMUNICATION_TYPES = ['inquiry', 'progress', 'quality_info', 'change_info', 'pre_sale', 'after_sale', 'visit', 'survey'] as const;
export const COMMUNICATION_CHANNELS = ['visit', 'phone', 'mail', 'meeting', 'link'] as const;

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
