/**
 * Automatic numbers of contracts, complaints and property labels (issue 12 point 7, CP-1, PR-4):
 * a company-settable pattern per kind (cp_settings), rendered with the date of the record and a
 * sequence that counts per scope — the pattern with its date parts filled in, so that
 * `KF-{YYYY}-{####}` counts per year and `GP-{######}` never resets. Pure: the adapter
 * (services/numbering.ts) keeps the counters on the locked settings row.
 *
 * Tokens: {YYYY} year, {YY} two-digit year, {MM} month, {DD} day (in the company's time zone),
 * {#…#} the sequence, zero-padded to the number of # (longer numbers are not cut).
 */
import { DateTime } from 'luxon';
import { DomainError } from './errors';

export const NUMBER_KINDS = ['contract', 'complaint', 'property'] as const;
export type NumberKind = (typeof NUMBER_KINDS)[number];

/** The settings field holding each kind's pattern. */
export const PATTERN_FIELDS: Readonly<Record<NumberKind, string>> = {
	contract: 'contract_number_pattern',
	complaint: 'complaint_number_pattern',
	property: 'property_number_pattern',
};

/** The forms of the company's procedures (合同 HT-, 顾客反馈 KF-, 顾客财产 GP-). */
export const DEFAULT_PATTERNS: Readonly<Record<NumberKind, string>> = {
	contract: 'HT-{YYYY}-{####}',
	complaint: 'KF-{YYYY}-{####}',
	property: 'GP-{YYYY}-{####}',
};

/** The code fields are 64 characters; a pattern leaves room for a long sequence. */
export const PATTERN_MAX = 40;
const TOKEN = /\{(YYYY|YY|MM|DD|#{1,9})\}/g;
const LITERAL = /^[\p{L}\p{N}\-_./]*$/u;

export interface ParsedPattern {
	pattern: string;
	/** Sequence width (number of #). */
	width: number;
}

/** Checks a pattern; the message names the field by the caller (CP_INVALID_VALUE). */
export function patternProblem(pattern: unknown): string | null {
	if (typeof pattern !== 'string' || pattern.trim() === '') return 'a number pattern must be text such as KF-{YYYY}-{####}';
	if (pattern.length > PATTERN_MAX) return `a number pattern has at most ${PATTERN_MAX} characters`;
	const tokens = [...pattern.matchAll(TOKEN)].map((m) => m[1]!);
	const seq = tokens.filter((t) => t.startsWith('#'));
	if (seq.length !== 1) return 'a number pattern has exactly one sequence part such as {####}';
	const literal = pattern.replace(TOKEN, '');
	if (!LITERAL.test(literal)) return 'a number pattern may contain letters, digits, - _ . / and the parts {YYYY} {YY} {MM} {DD} {####}';
	return null;
}

export function parsePattern(pattern: unknown, field = 'pattern'): ParsedPattern {
	const problem = patternProblem(pattern);
	if (problem) throw new DomainError('CP_INVALID_VALUE', problem, { field });
	const seq = [...String(pattern).matchAll(TOKEN)].map((m) => m[1]!).find((t) => t.startsWith('#'))!;
	return { pattern: String(pattern), width: seq.length };
}

/** The pattern of `kind` from the settings, or the default. */
export function patternOf(settings: Record<string, unknown> | null | undefined, kind: NumberKind): ParsedPattern {
	const v = settings?.[PATTERN_FIELDS[kind]];
	return parsePattern(typeof v === 'string' && v.trim() !== '' ? v.trim() : DEFAULT_PATTERNS[kind], PATTERN_FIELDS[kind]);
}

export interface NumberScope {
	/** Counter key: kind and the pattern with its date parts filled in. */
	key: string;
	prefix: string;
	suffix: string;
	width: number;
}

/** The scope of a number made at `at` in `zone`: what is fixed before and after the sequence. */
export function scopeOf(kind: NumberKind, parsed: ParsedPattern, at: Date, zone: string): NumberScope {
	const dt = DateTime.fromJSDate(at, { zone });
	const date: Record<string, string> = {
		YYYY: String(dt.year).padStart(4, '0'),
		YY: String(dt.year % 100).padStart(2, '0'),
		MM: String(dt.month).padStart(2, '0'),
		DD: String(dt.day).padStart(2, '0'),
	};
	const filled = parsed.pattern.replace(TOKEN, (_m, t: string) => (t.startsWith('#') ? '\u0000' : date[t]!));
	const [prefix, suffix] = filled.split('\u0000') as [string, string];
	return { key: `${kind}:${prefix}#${suffix}`, prefix, suffix, width: parsed.width };
}

export const formatNumber = (scope: NumberScope, n: number) => `${scope.prefix}${String(n).padStart(scope.width, '0')}${scope.suffix}`;

/** The sequence of `code` when it is a number of `scope` (a typed number of an imported record), else null. */
export function sequenceOf(scope: NumberScope, code: unknown): number | null {
	if (typeof code !== 'string' || !code.startsWith(scope.prefix) || !code.endsWith(scope.suffix)) return null;
	const digits = code.slice(scope.prefix.length, code.length - scope.suffix.length);
	return /^\d{1,12}$/.test(digits) ? Number(digits) : null;
}

/** The counter of `scope`, or null when the scope has none yet (the adapter then seeds it from the table). */
export function counterOf(counters: Record<string, unknown>, scope: NumberScope): number | null {
	const v = Number(counters[scope.key]);
	return Object.hasOwn(counters, scope.key) && Number.isInteger(v) && v >= 0 ? v : null;
}

/**
 * What a create stores: the next number of the scope when no code was typed; a typed code is kept
 * (imported records) and, when it is a number of the scope above the counter, moves the counter
 * on so that a later automatic number never takes it again. `current` is the scope's counter.
 */
export function planNumber(scope: NumberScope, current: number, typed: unknown): { code: string; counter: number } {
	if (typeof typed === 'string' && typed.trim() !== '') {
		const n = sequenceOf(scope, typed.trim());
		return { code: typed.trim(), counter: n !== null && n > current ? n : current };
	}
	return { code: formatNumber(scope, current + 1), counter: current + 1 };
}
