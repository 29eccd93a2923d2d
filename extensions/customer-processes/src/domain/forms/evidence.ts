/**
 * The auditor's evidence pack (X-1; ISO 9001 8.2 requirements for products and services,
 * 8.5.3 property belonging to customers, 9.1.2 customer satisfaction): who may take it, the
 * period, the CSV files with their columns, and the README index. Pure; the adapter queries,
 * streams the CSVs and forms into a zip.
 */
import { DateTime } from 'luxon';
import { DomainError } from '../errors';
import { checklistText } from './contract-forms';
import { formatDay, formatTime, parseJsonValue, yes } from './layout';

/** Departments that may take the evidence pack (and admins). */
export const EVIDENCE_DEPARTMENTS: readonly string[] = ['gm', 'deputy_gm', 'quality'];

export function assertMayTakeEvidence(actor: { isAdmin: boolean; departments: readonly string[] }): void {
	if (actor.isAdmin || actor.departments.some((d) => EVIDENCE_DEPARTMENTS.includes(d))) return;
	throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `The evidence pack is for ${EVIDENCE_DEPARTMENTS.join(', ')} and administrators`, {
		details: { departments: EVIDENCE_DEPARTMENTS },
	});
}

export interface Period {
	from: string;
	to: string;
	/** Start of `from` in the company's zone. */
	start: Date;
	/** Start of the day after `to`: the period is [start, end). */
	end: Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parsePeriod(from: unknown, to: unknown, zone: string): Period {
	const day = (v: unknown, field: string) => {
		if (typeof v !== 'string' || !DAY.test(v)) throw new DomainError('CP_INVALID_VALUE', `${field} must be a date YYYY-MM-DD`, { field });
		const d = DateTime.fromISO(v, { zone });
		if (!d.isValid) throw new DomainError('CP_INVALID_VALUE', `${field} '${v}' is not a calendar date`, { field });
		return d;
	};
	const a = day(from, 'from');
	const b = day(to, 'to');
	if (b < a) throw new DomainError('CP_INVALID_VALUE', `to (${to}) is before from (${from})`, { field: 'to' });
	return { from: String(from), to: String(to), start: a.toJSDate(), end: b.plus({ days: 1 }).toJSDate() };
}

type Row = Record<string, any>;
type Value = string | number | null;

/** Spreadsheets run text starting with = + - @ as a formula: such values are quoted. */
export function csvSafe(v: unknown): Value {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number') return v;
	if (typeof v === 'boolean') return v ? 'yes' : 'no';
	const s = v instanceof Date ? v.toISOString() : String(v);
	return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

const name = (r: Row, prefix: string) => [r[`${prefix}_first_name`], r[`${prefix}_last_name`]].filter(Boolean).join(' ') || r[`${prefix}_email`] || '';
const bool = (v: unknown) => (v === null || v === undefined ? '' : yes(v) ? 'yes' : 'no');

export interface CsvSpec {
	file: string;
	clause: string;
	title: string;
	/** Which rows: the period rule, told in the README. */
	selection: string;
	columns: string[];
	row: (r: Row, zone: string) => Value[];
}

const t = (v: unknown, zone: string) => formatTime(v, zone);

export const CSV_SPECS: readonly CsvSpec[] = [
	{
		file: 'contract_reviews.csv',
		clause: '8.2.3',
		title: '合同评审与各部门签署 Contract reviews with department sign-offs',
		selection: 'review lines of every review round opened in the period',
		columns: [
			'contract_code',
			'contract_title',
			'customer',
			'kind',
			'class',
			'major',
			'current_route',
			'round',
			'stage',
			'department',
			'aspects',
			'decision',
			'opinion',
			'signed_by',
			'signed_at',
			'signed_as_admin',
			'round_opened_at',
			'contract_status',
			'reviewed_at',
		],
		row: (r, z) => [
			r.contract_code,
			r.contract_title,
			r.customer_name,
			r.kind,
			r.class,
			bool(r.major),
			r.review_route,
			r.round,
			r.stage,
			r.department,
			checklistText(r.checklist).replace(/\n/g, '; '),
			r.decision,
			r.opinion,
			name(r, 'signer'),
			t(r.signed_at, z),
			bool(r.signed_as_admin),
			t(r.date_created, z),
			r.contract_status,
			t(r.reviewed_at, z),
		],
	},
	{
		file: 'discrepancies.csv',
		clause: '8.2.3',
		title: '合同不一致问题 Contract discrepancies',
		selection: 'discrepancies raised in the period',
		columns: [
			'contract_code',
			'round',
			'raised_by_department',
			'raised_by',
			'raised_at',
			'clause',
			'problem',
			'suggestion',
			'status',
			'customer_contact',
			'customer_clarified_in_writing',
			'resolution',
			'resolved_by',
			'resolved_at',
			'closed_by',
			'closed_at',
		],
		row: (r, z) => [
			r.contract_code,
			r.round,
			r.raised_by_department,
			name(r, 'creator'),
			t(r.date_created, z),
			r.clause,
			r.problem,
			r.suggestion,
			r.status,
			r.customer_contact,
			bool(r.customer_clarified_in_writing),
			r.resolution,
			name(r, 'resolver'),
			t(r.resolved_at, z),
			name(r, 'closer'),
			t(r.closed_at, z),
		],
	},
	{
		file: 'changes.csv',
		clause: '8.2.4',
		title: '合同变更 Contract changes',
		selection: 'changes recorded in the period',
		columns: [
			'contract_code',
			'kind',
			'description',
			'status',
			'customer_consent_at',
			'consequence',
			'affected_departments',
			'signed_by_customer',
			'signed_by_company',
			'recorded_by',
			'recorded_at',
		],
		row: (r, z) => [
			r.contract_code,
			r.kind,
			r.description,
			r.status,
			t(r.customer_consent_at, z),
			r.consequence,
			parseJsonValue<string[]>(r.affected_departments, []).join(' '),
			bool(r.signed_by_customer),
			bool(r.signed_by_company),
			name(r, 'creator'),
			t(r.date_created, z),
		],
	},
	{
		file: 'complaints.csv',
		clause: '8.2.1, 9.1.2',
		title: '顾客投诉、答复与验证 Complaints with responses and verification',
		selection: 'complaints received in the period',
		columns: [
			'code',
			'customer',
			'contract_code',
			'channel',
			'received_at',
			'summary',
			'status',
			'root_cause_category',
			'root_cause',
			'responsible_department',
			'product_disposition',
			'response_due_at',
			'responded_at',
			'response_breached',
			'response',
			'resolution_due_at',
			'resolution_breached',
			'verification',
			'verified_at',
			'verification_note',
			'no_verification_reason',
		],
		row: (r, z) => [
			r.code,
			r.customer_name,
			r.contract_code,
			r.channel,
			t(r.received_at, z),
			r.summary,
			r.status,
			r.root_cause_category,
			r.root_cause,
			r.responsible_department,
			r.product_disposition,
			t(r.response_due_at, z),
			t(r.responded_at, z),
			bool(r.response_breached),
			r.response_content,
			t(r.resolution_due_at, z),
			bool(r.resolution_breached),
			r.verification,
			t(r.verified_at, z),
			r.verification_note,
			r.no_verification_reason,
		],
	},
	{
		file: 'actions.csv',
		clause: '8.2.1, 10.2',
		title: '纠正/预防措施 Corrective and preventive actions',
		selection: 'actions created in the period',
		columns: ['title', 'source_collection', 'source_id', 'owner', 'department', 'due_at', 'status', 'done_at', 'created_at'],
		row: (r, z) => [r.title, r.source_collection, r.source_id, name(r, 'owner'), r.department, t(r.due_at, z), r.status, t(r.done_at, z), t(r.date_created, z)],
	},
	{
		file: 'surveys.csv',
		clause: '9.1.2',
		title: '顾客满意度调查 Customer satisfaction surveys',
		selection: 'surveys created in the period',
		columns: ['customer', 'period', 'status', 'channel', 'answered_at', 'score', 'summary', 'findings', 'follow_up', 'created_at'],
		row: (r, z) => [
			r.customer_name,
			r.period_key,
			r.survey_status,
			r.channel,
			t(r.occurred_at, z),
			r.score === null || r.score === undefined ? '' : Number(r.score),
			r.summary,
			r.findings,
			r.follow_up,
			t(r.date_created, z),
		],
	},
	{
		file: 'property_register.csv',
		clause: '8.5.3',
		title: '顾客财产登记 Customer property register',
		selection: 'every register line (the register as it stands when the pack is made)',
		columns: [
			'code',
			'name',
			'kind',
			'customer',
			'contract_code',
			'quantity',
			'unit',
			'serial_no',
			'status',
			'location',
			'location_segregated',
			'last_check_at',
			'next_check_due',
			'loss_attributed_to_customer',
		],
		row: (r, z) => [
			r.code,
			r.name,
			r.kind,
			r.customer_name,
			r.contract_code,
			r.quantity === null || r.quantity === undefined ? '' : Number(r.quantity),
			r.unit,
			r.serial_no,
			r.status,
			r.location,
			bool(r.location_segregated),
			t(r.last_check_at, z),
			formatDay(r.next_check_due),
			bool(r.loss_attributed_to_customer),
		],
	},
	{
		file: 'property_events.csv',
		clause: '8.5.3',
		title: '顾客财产履历(接收、检验、定期检查、问题) Customer property history (receipts, inspections, checks, problems)',
		selection: 'events recorded in the period',
		columns: [
			'property_code',
			'property_name',
			'type',
			'occurred_at',
			'result',
			'quantity',
			'from_location',
			'to_location',
			'note',
			'recorded_by',
			'recorded_at',
		],
		row: (r, z) => [
			r.property_code,
			r.property_name,
			r.type,
			t(r.occurred_at, z),
			r.result,
			r.quantity === null || r.quantity === undefined ? '' : Number(r.quantity),
			r.from_location,
			r.to_location,
			r.note,
			name(r, 'creator'),
			t(r.date_created, z),
		],
	},
];

export interface PackFile {
	name: string;
	description: string;
	rows?: number;
}

/** The most records per kind a sample may ask for. */
export const MAX_SAMPLE = 200;

/** `sample`: absent (the whole pack) or N records per kind, 1..MAX_SAMPLE. */
export function parseSample(v: unknown): number | null {
	if (v === undefined || v === null || v === '') return null;
	const n = typeof v === 'number' ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
	if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLE) {
		throw new DomainError('CP_INVALID_VALUE', `sample must be a whole number of records per kind, 1 to ${MAX_SAMPLE}`, { field: 'sample' });
	}
	return n;
}

export const packFileName = (period: Period, sample: number | null) => `evidence-pack${sample ? `-sample-${sample}` : ''}_${period.from}_${period.to}.zip`;

// ---------------------------------------------------------------- background exports (issue 14)
// A background export is recorded in the audit trail only (the bundle keeps to 15 collections):
// a started entry, a progress entry now and then (the heartbeat), and a done or failed entry.

export const EXPORT_COLLECTION = 'cp_evidence_pack';
export const EXPORT_ACTIONS = {
	started: 'evidence_export_started',
	progress: 'evidence_export_progress',
	done: 'evidence_export_done',
	failed: 'evidence_export_failed',
} as const;

export interface ExportEntry {
	action: string;
	at: Date | string | number;
	user?: string | null;
	data?: Record<string, any> | null;
}

export interface ExportState {
	status: 'running' | 'done' | 'failed';
	from: string | null;
	to: string | null;
	sample: number | null;
	requestedBy: string | null;
	startedAt: Date | null;
	updatedAt: Date | null;
	done: number;
	total: number | null;
	percent: number | null;
	file: string | null;
	bytes: number | null;
	error: string | null;
	/** The instance that ran it stopped sending its heartbeat: the caller records the failure. */
	stale: boolean;
}

const asDate = (v: Date | string | number) => (v instanceof Date ? v : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v));

/**
 * The state of one export from its audit entries (oldest first). A running export whose last
 * entry is older than `staleMs` ran on an instance that stopped: it is failed, not running.
 */
export function exportState(entries: readonly ExportEntry[], now: Date, staleMs: number): ExportState | null {
	const started = entries.find((e) => e.action === EXPORT_ACTIONS.started);
	if (!started) return null;
	const d = started.data ?? {};
	const state: ExportState = {
		status: 'running',
		from: d.from ?? null,
		to: d.to ?? null,
		sample: d.sample ?? null,
		requestedBy: started.user ?? null,
		startedAt: asDate(started.at),
		updatedAt: asDate(started.at),
		done: 0,
		total: d.total ?? null,
		percent: null,
		file: null,
		bytes: null,
		error: null,
		stale: false,
	};
	for (const e of entries) {
		const x = e.data ?? {};
		state.updatedAt = asDate(e.at);
		if (e.action === EXPORT_ACTIONS.progress) {
			state.done = Number(x.done ?? state.done);
			if (x.total !== undefined) state.total = Number(x.total);
		} else if (e.action === EXPORT_ACTIONS.done) {
			state.status = 'done';
			state.done = Number(x.done ?? state.done);
			state.file = x.file ?? null;
			state.bytes = x.bytes ?? null;
		} else if (e.action === EXPORT_ACTIONS.failed) {
			state.status = 'failed';
			state.error = x.error ?? 'failed';
		}
	}
	if (state.status === 'running' && now.getTime() - state.updatedAt!.getTime() > staleMs) {
		state.status = 'failed';
		state.stale = true;
		state.error = 'the server that ran the export stopped before it finished';
	}
	if (state.status === 'done') state.percent = 100;
	else if (state.total) state.percent = Math.min(99, Math.floor((100 * state.done) / state.total));
	else state.percent = state.status === 'running' ? 0 : null;
	return state;
}

export interface ReadmeInput {
	company: string;
	period: Period;
	generatedAt: Date;
	zone: string;
	generatedBy: string;
	csv: PackFile[];
	forms: PackFile[];
	pdf: boolean;
	pdfNote?: string;
	/** A sample: at most this many records per kind. */
	sample?: number | null;
	/** The register without the restricted kinds (a file in the library, readable by all staff). */
	registerNote?: string;
}

export function evidenceReadme(input: ReadmeInput): string {
	const lines = [
		`${input.company || ''} 审核证据包 Evidence pack for the ISO 9001 audit`.trim(),
		'',
		`期间 Period: ${input.period.from} .. ${input.period.to} (${input.zone})`,
		`生成 Generated: ${formatTime(input.generatedAt, input.zone)} by ${input.generatedBy}`,
		...(input.sample ? ['', `样本 Sample: at most ${input.sample} records of each kind (each CSV, each kind of form); not the whole period.`] : []),
		...(input.registerNote ? ['', input.registerNote] : []),
		'',
		'ISO 9001:2015 clauses: 8.2 requirements for products and services (contract review, changes),',
		'8.5.3 property belonging to customers, 9.1.2 customer satisfaction.',
		'',
		'CSV files (UTF-8 with BOM, comma separated, one header row):',
		...input.csv.map((f) => `  ${f.name.padEnd(28)} ${f.rows ?? 0} rows  ${f.description}`),
		'',
		'Filled forms (HTML, print from a browser):',
		...input.forms.map((f) => `  ${f.name}  ${f.description}`),
		'',
		input.pdf
			? 'PDF copies of the review forms and complaint forms are in pdf/ (Chinese glyphs embedded).'
			: `No PDF copies: ${input.pdfNote ?? 'PDF output is not available on this server'}; print the HTML forms instead.`,
		'',
	];
	return lines.join('\r\n');
}
