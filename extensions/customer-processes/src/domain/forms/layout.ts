/**
 * What every printable form shares (X-1): HTML escaping, the page shell with the company
 * header and print CSS, bilingual labels, date formatting, and the signatures block built from
 * audit trail entries (name, department, time).
 *
 * A form is described once as a FormDoc (header, sections of fields or tables, signatures) and
 * rendered to HTML here; the evidence pack renders the same FormDoc to PDF, so both agree.
 * Pure: data in, text out. Every value is escaped, so text like "<script>" prints as text.
 */
import { DateTime } from 'luxon';
import { departmentName, isDepartmentKey } from '../departments';
import { stripRequirementIds } from '../error-text';

export const DEFAULT_ZONE = 'Asia/Shanghai';

export function escapeHtml(v: unknown): string {
	return String(v ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** Timestamps arrive as Date (pg, mysql), epoch ms (SQLite) or ISO text. */
export function toDate(v: unknown): Date | null {
	if (v === null || v === undefined || v === '') return null;
	const d = v instanceof Date ? v : typeof v === 'number' || /^\d+$/.test(String(v)) ? new Date(Number(v)) : new Date(String(v));
	return Number.isNaN(d.getTime()) ? null : d;
}

/** 'yyyy-MM-dd HH:mm' in the company's zone; without a zone, UTC as ISO text. */
export function formatTime(v: unknown, zone?: string): string {
	const d = toDate(v);
	if (!d) return '';
	if (!zone) return d.toISOString().replace('T', ' ').slice(0, 16);
	return DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

/** DATE columns: 'YYYY-MM-DD' text, or a local-midnight Date / epoch ms as Directus stores them. */
export function formatDay(v: unknown): string {
	if (v === null || v === undefined || v === '') return '';
	if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
	const d = toDate(v);
	if (!d) return String(v);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/**
 * A quantity or amount as a person writes it: decimal columns come back as text with their scale
 * ("1000.00" on PostgreSQL and MariaDB, 1000 on SQLite); the form prints 1000 and 12.5 on every database.
 */
export function figure(v: unknown): string {
	if (v === null || v === undefined || v === '') return '';
	const n = Number(v);
	return Number.isFinite(n) ? String(Math.round(n * 1e6) / 1e6) : String(v);
}

/** An amount of money with its two decimals (125000.00), whatever the database returned. */
export function money(v: unknown): string {
	if (v === null || v === undefined || v === '') return '';
	const n = Number(v);
	return Number.isFinite(n) ? n.toFixed(2) : String(v);
}

export const yes = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';
export const yesNo = (v: unknown): string => (yes(v) ? '是 Yes' : '否 No');

/** A user row (or an m2o user object) as a name. */
export function person(r: Record<string, any> | null | undefined): string {
	if (!r || typeof r !== 'object') return '';
	return [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email || '';
}

/** '质量部 Quality'; several keys (an audit entry's "sales,quality") are joined. */
/** Who else writes a record's history: the engine, the complaints mailbox, the customer on a link. */
const WRITERS: Readonly<Record<string, string>> = { system: '系统 System', mailbox: '投诉邮箱 Complaints mailbox', customer: '顾客 Customer' };

export function departmentLabel(key: unknown): string {
	if (key === null || key === undefined || key === '') return '';
	return String(key)
		.split(',')
		.map((k) => k.trim())
		.filter(Boolean)
		.map((k) => (isDepartmentKey(k) ? `${departmentName(k, 'zh')} ${departmentName(k, 'en')}` : (WRITERS[k] ?? k)))
		.join(', ');
}

/** A choice value with its bilingual label, or the raw value when the table does not know it. */
export const choice = (labels: Readonly<Record<string, string>>, v: unknown): string =>
	v === null || v === undefined || v === '' ? '' : (labels[String(v)] ?? String(v));

import { parseJson as parseJsonValue } from '../json';
export { parseJsonValue };

// ------------------------------------------------------------------------ the form model

export type CellValue = string | number | null | undefined;

export interface Field {
	label: string;
	value: CellValue;
	/** Long text: keeps line breaks. */
	text?: boolean;
}

export type Section =
	| { kind: 'fields'; heading?: string; rows: Field[] }
	| { kind: 'table'; heading?: string; columns: string[]; rows: CellValue[][]; empty?: string }
	| { kind: 'paragraph'; heading?: string; text: string };

export interface Signature {
	step: string;
	name: string;
	department: string;
	at: string;
}

export interface FormDoc {
	company: string;
	title: { zh: string; en: string };
	/** Printed top right: the record's number. */
	no?: string;
	sections: Section[];
	/** Omitted: no signatures block. */
	signatures?: Signature[];
	/** Printed under the header, e.g. the print time. */
	subtitle?: string;
}

export const fields = (heading: string, rows: Field[]): Section => ({ kind: 'fields', heading, rows });
export const table = (heading: string, columns: string[], rows: CellValue[][], empty = '无 None'): Section => ({
	kind: 'table',
	heading,
	columns,
	rows,
	empty,
});
export const paragraph = (heading: string, text: string): Section => ({ kind: 'paragraph', heading, text });

export interface AuditRow {
	at?: unknown;
	action?: string | null;
	department?: string | null;
	as_admin?: unknown;
	from_status?: string | null;
	to_status?: string | null;
	/** The entry's details: a correction's {field, from, to, reason}. JSON text on SQLite and MariaDB. */
	data?: unknown;
	first_name?: string | null;
	last_name?: string | null;
	email?: string | null;
}

/**
 * The signatures block: one row per audit entry (who, which department, when). `step` names the
 * entry in the procedure's words; entries it returns null for are left out.
 */
export function signaturesFrom(trail: AuditRow[], zone: string, step: (t: AuditRow) => string | null): Signature[] {
	const out: Signature[] = [];
	for (const t of trail) {
		const s = step(t);
		if (s === null) continue;
		// The engine, the mailbox and the customer sign as themselves, with no department to print.
		const writer = t.department ? WRITERS[String(t.department)] : undefined;
		const name = t.department === 'customer' ? WRITERS.customer! : person(t as Record<string, any>) || (writer ?? '');
		const dept = writer ? '' : t.department ? departmentLabel(t.department) : yes(t.as_admin) ? '管理员 admin' : '';
		out.push({
			step: s,
			name,
			department: dept + (t.department && yes(t.as_admin) ? ' (管理员代签 admin acting)' : ''),
			at: formatTime(t.at, zone),
		});
	}
	return out;
}

// ------------------------------------------------------------------------ HTML

export const FORM_CSS = `body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 11pt; margin: 16mm; color: #000; }
header { text-align: center; margin-bottom: 8mm; }
header .company { font-size: 14pt; font-weight: bold; }
header h1 { font-size: 16pt; margin: 2mm 0; }
header .no { text-align: right; }
header .subtitle { text-align: right; font-size: 9pt; }
table { width: 100%; border-collapse: collapse; margin-bottom: 5mm; page-break-inside: auto; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { width: 28%; background: #f2f2f2; font-weight: normal; }
table.grid th { width: auto; }
td.text { white-space: pre-wrap; word-break: break-word; }
h2 { font-size: 12pt; margin: 4mm 0 2mm; }
tr { page-break-inside: avoid; }
@page { size: A4; margin: 12mm; }
@media print { body { margin: 0; } th { background: none; } .noprint, .no-print { display: none; } }`;

/** The page shell: UTF-8, bilingual document, the shared print CSS plus a form's own. */
export function page(title: string, body: string, css = ''): string {
	return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
${FORM_CSS}${css ? `\n${css}` : ''}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The company header: company name, bilingual title, the record's number. */
/** The page a browser gets when a form cannot be printed: the refusal's title and message, in one language. */
export function refusalPage(title: string, message: string): string {
	return page(title, `<header><h1>${escapeHtml(title)}</h1></header>\n<p class="refusal">${escapeHtml(message)}</p>`, '.refusal { font-size: 12pt; }');
}

export function header(company: string, title: { zh: string; en: string }, no?: string, subtitle?: string): string {
	return `<header>
  <div class="company">${escapeHtml(company)}</div>
  <h1>${escapeHtml(title.zh)}<br><small>${escapeHtml(title.en)}</small></h1>
${no !== undefined ? `  <div class="no">编号 No.: ${escapeHtml(no)}</div>\n` : ''}${subtitle ? `  <div class="subtitle">${escapeHtml(subtitle)}</div>\n` : ''}</header>`;
}

const cell = (v: CellValue) => {
	const s = escapeHtml(v);
	return s.includes('\n') ? `<td class="text">${s}</td>` : `<td>${s}</td>`;
};

export function renderSection(s: Section): string {
	const h = s.heading ? `<h2>${escapeHtml(s.heading)}</h2>\n` : '';
	if (s.kind === 'paragraph') return `${h}<p class="text">${escapeHtml(s.text).replace(/\n/g, '<br>')}</p>`;
	if (s.kind === 'fields') {
		const rows = s.rows
			.map((r) => `<tr><th>${escapeHtml(r.label)}</th>${r.text ? `<td class="text">${escapeHtml(r.value)}</td>` : cell(r.value)}</tr>`)
			.join('\n');
		return `${h}<table>\n${rows}\n</table>`;
	}
	const head = `<tr>${s.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
	const rows = s.rows.length
		? s.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')
		: `<tr><td colspan="${s.columns.length}">${escapeHtml(s.empty ?? '')}</td></tr>`;
	return `${h}<table class="grid">\n${head}\n${rows}\n</table>`;
}

export const SIGNATURE_COLUMNS = ['环节 Step', '签名 Name', '部门 Department', '时间 Date'];

export function signaturesSection(signatures: Signature[]): Section {
	return {
		kind: 'table',
		heading: '签署 Signatures',
		columns: SIGNATURE_COLUMNS,
		rows: signatures.map((s) => [s.step, s.name, s.department, s.at]),
		empty: '',
	};
}

/** Every section of a form, the signatures last. */
export function allSections(doc: FormDoc): Section[] {
	return doc.signatures ? [...doc.sections, signaturesSection(doc.signatures)] : doc.sections;
}

/**
 * The form as staff and customers read it: headings, labels, columns and signature steps without
 * the requirement ids the form definitions carry for the maintainers ("Feedback (CP-1)" prints
 * "Feedback"). Values are the record's and stay as they are.
 */
export function printable(doc: FormDoc): FormDoc {
	const clean = (t: string | undefined) => (t === undefined ? t : stripRequirementIds(t));
	return {
		...doc,
		title: { zh: stripRequirementIds(doc.title.zh), en: stripRequirementIds(doc.title.en) },
		sections: doc.sections.map((s) =>
			s.kind === 'fields'
				? { ...s, heading: clean(s.heading), rows: s.rows.map((r) => ({ ...r, label: stripRequirementIds(r.label) })) }
				: s.kind === 'table'
					? { ...s, heading: clean(s.heading), columns: s.columns.map(stripRequirementIds) }
					: { ...s, heading: clean(s.heading) },
		),
		signatures: doc.signatures?.map((g) => ({ ...g, step: stripRequirementIds(g.step) })),
	};
}

export function renderHtml(form: FormDoc): string {
	const doc = printable(form);
	const body = [header(doc.company, doc.title, doc.no, doc.subtitle), ...allSections(doc).map(renderSection)].join('\n');
	return page(`${doc.title.zh}${doc.no ? ` ${doc.no}` : ''}`, body);
}

// ------------------------------------------------------------------------ recorded corrections (X-5)

const shown = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export const CORRECTION_COLUMNS = ['字段 Field', '原值 Original', '更正为 Corrected', '更正人 By', '时间 When', '原因 Reason'];

/**
 * The recorded corrections of a record (ISO 9001 7.5.3): each with the field's label, the original
 * and the corrected value, who, when and why, from the audit trail's 'correction' entries; null when none.
 */
export function correctionsSection(trail: AuditRow[], zone: string, label: (field: string) => string): Section | null {
	const rows = trail
		.filter((t) => t.action === 'correction')
		.map((t) => {
			const d = parseJsonValue<Record<string, unknown>>(t.data, {});
			const who = [person(t as Record<string, any>), t.department ?? ''].filter(Boolean).join(', ');
			return [label(String(d.field ?? '')), shown(d.from), shown(d.to), who, formatTime(t.at, zone), shown(d.reason)];
		});
	return rows.length ? table('更正记录 Recorded corrections (X-5)', CORRECTION_COLUMNS, rows) : null;
}
