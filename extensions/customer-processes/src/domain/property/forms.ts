/**
 * Printable customer property forms (X-1): the ownership label (PR-4) and
 * the problem report to the customer (PR-6, 《顾客财产问题报告单》).
 * Pure HTML rendering in the shared page shell (../forms/layout); the QR code image is made
 * by the adapter and passed in.
 */

import { escapeHtml, figure, formatTime, header, page } from '../forms/layout';

export { escapeHtml };

export const KIND_LABELS: Readonly<Record<string, string>> = {
	material: '材料 Material',
	part: '零部件 Part',
	equipment: '设备 Equipment',
	tooling: '工装/模具 Tooling',
	gauge: '量具 Gauge',
	drawing: '图纸 Drawing',
	specification: '技术规范 Specification',
	sample: '样品 Sample',
	data_media: '数据载体 Data media',
	intellectual_property: '知识产权 Intellectual property',
	personal_data: '个人信息 Personal data',
};

export const PROBLEM_LABELS: Readonly<Record<string, string>> = {
	damage: '损坏 Damage',
	loss: '丢失 Loss',
	unsuitable: '不适用 Unsuitable',
	quantity_mismatch: '数量不符 Quantity mismatch',
	nonconforming_material: '顾客材料不合格 Nonconforming customer material',
	/** PR-5: a periodic check found the item not OK, which starts the problem path (PR-6). */
	check_not_ok: '定期检查异常 Periodic check not OK',
};

export const DECISION_LABELS: Readonly<Record<string, string>> = {
	continue_use: '继续使用 Continue use',
	store: '入库保管 Keep in store',
	return: '退还顾客 Return to customer',
	dispose: '报废处置 Dispose',
};

export interface LabelData {
	id: string | number;
	code: string;
	name: string;
	kind: string;
	customer: { code?: string | null; name?: string | null } | null;
	contract?: { code?: string | null } | null;
	serial_no?: string | null;
	location?: string | null;
	company?: string | null;
	/** Inline <svg> of the QR code (trusted: made by the adapter, not user text). */
	qrSvg: string;
}

/** PR-4: permanent ownership label, 70 x 50 mm, the code readable by people and by a scanner. */
export function renderLabel(d: LabelData): string {
	const customer = [d.customer?.code, d.customer?.name].filter(Boolean).join(' ');
	const rows = [
		['编号 Code', `<strong class="code">${escapeHtml(d.code)}</strong>`],
		['名称 Name', escapeHtml(d.name)],
		['类别 Kind', escapeHtml(KIND_LABELS[d.kind] ?? d.kind)],
		['顾客 Customer', escapeHtml(customer)],
		...(d.contract?.code ? [['合同 Contract', escapeHtml(d.contract.code)]] : []),
		...(d.serial_no ? [['出厂编号 Serial', escapeHtml(d.serial_no)]] : []),
		...(d.location ? [['存放位置 Location', escapeHtml(d.location)]] : []),
	];
	const body = `<div class="label">
  <div class="head">顾客财产 Customer property</div>
  <div class="main">
    <div class="qr">${d.qrSvg}</div>
    <table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>
  </div>
  <div class="foot">${escapeHtml(d.company ?? '')} 所有权属于顾客,请勿挪用 · Owned by the customer, do not divert</div>
</div>
<p class="no-print"><button onclick="window.print()">打印 Print</button></p>`;
	return page(
		`顾客财产标识 ${d.code}`,
		body,
		`body { margin: 4mm; font-size: 8pt; }
.label { width: 70mm; min-height: 50mm; border: 2px solid #000; padding: 2mm; box-sizing: border-box; font-size: 8pt; }
.head { font-weight: bold; font-size: 11pt; text-align: center; border-bottom: 1px solid #000; margin-bottom: 1mm; }
.main { display: flex; gap: 2mm; align-items: flex-start; }
.qr svg { width: 22mm; height: 22mm; }
.label table { margin: 0; }
.label th { width: 22%; }
.label th, .label td { padding: 0.5mm 1mm; font-size: 7pt; }
.code { font-size: 10pt; }
.foot { font-size: 6pt; margin-top: 1mm; }`,
	);
}

export interface ReportEvent {
	id: string | number;
	occurred_at?: string | Date | null;
	note?: string | null;
	quantity?: unknown;
	to_location?: string | null;
	details?: Record<string, unknown> | null;
	reported_by?: string | null;
	/** PR-6: the customer's evidence with a disposition: the message as received, or a file. */
	customer_message?: string | null;
	evidence?: { id?: unknown; title?: string | null; filename_download?: string | null } | string | null;
}

export interface ProblemReportData {
	company?: string | null;
	item: {
		code: string;
		name: string;
		kind: string;
		specification?: string | null;
		model?: string | null;
		quantity?: unknown;
		unit?: string | null;
		serial_no?: string | null;
		location?: string | null;
		status: string;
		scope?: string | null;
		loss_attributed_to_customer?: boolean | null;
	};
	customer: { code?: string | null; name?: string | null; contact_person?: string | null } | null;
	contract?: { code?: string | null; title?: string | null } | null;
	problems: ReportEvent[];
	/** The customer's decision, once recorded. */
	disposition?: ReportEvent | null;
	/** PR-6: the open problem's isolation so far (property/events.ts#isolationOf); null when not isolated. */
	isolation?: { location?: string; how?: string } | null;
	printedAt: string;
}

const when = (v: unknown) => escapeHtml(formatTime(v));

/** An event of the register line's history, as the problem report reads it. */
export interface HistoryEvent extends ReportEvent {
	type: string;
	result?: string | null;
	date_created?: string | number | Date | null;
}

const recordedAt = (e: HistoryEvent) => {
	const v = e.date_created ?? e.occurred_at;
	const t = v === null || v === undefined ? NaN : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v).getTime();
	return Number.isNaN(t) ? 0 : t;
};

/**
 * The problem episode a report covers (PR-6): the open problem, or else the last one with the
 * customer's decision. A problem is a 'problem' event or a periodic check found not OK (PR-5),
 * which blocks the item the same way. Null when nothing was ever reported.
 */
export function problemEpisode(events: readonly HistoryEvent[]): { problems: ReportEvent[]; disposition: ReportEvent | null } | null {
	const isProblem = (e: HistoryEvent) => e.type === 'problem' || (e.type === 'check' && e.result === 'not_ok');
	let episode: ReportEvent[] = [];
	let disposition: ReportEvent | null = null;
	let current: ReportEvent[] = [];
	// In recording order. Databases that keep whole seconds (MariaDB) tie a problem and its
	// disposition entered within a second: a disposition always answers a problem before it.
	const ordered = events
		.map((e, i) => ({ e, i }))
		.sort((a, b) => recordedAt(a.e) - recordedAt(b.e) || Number(a.e.type === 'disposition') - Number(b.e.type === 'disposition') || a.i - b.i)
		.map(({ e }) => e);
	for (const e of ordered) {
		if (isProblem(e)) current.push(e.type === 'check' ? { ...e, details: { ...(e.details ?? {}), problem_type: 'check_not_ok' } } : e);
		else if (e.type === 'disposition' && current.length) {
			episode = current;
			disposition = e;
			current = [];
		}
	}
	if (current.length) return { problems: current, disposition: null };
	return episode.length ? { problems: episode, disposition } : null;
}

/** PR-6: where (or how) the item was isolated: the disposition's record of it, else the current quarantine location or measure. */
function isolationText(d: ProblemReportData): string {
	const recorded = d.disposition?.details?.isolation as { location?: string; how?: string } | undefined;
	if (recorded?.location) return `隔离位置 Isolated at: ${escapeHtml(recorded.location)}`;
	if (recorded?.how) return `隔离措施 Isolation: ${escapeHtml(recorded.how)}`;
	if (d.isolation?.location) return `隔离位置 Isolated at: ${escapeHtml(d.isolation.location)}`;
	if (d.isolation?.how) return `隔离措施 Isolation: ${escapeHtml(d.isolation.how)}`;
	return '尚未隔离 Not isolated yet: 处置前必须隔离 isolation comes before any disposition';
}

/** PR-6, Doc 5 7: Sales fills in the report and sends it to the customer, then records the decision. */
export function renderProblemReport(d: ProblemReportData): string {
	const it = d.item;
	const customer = [d.customer?.code, d.customer?.name].filter(Boolean).join(' ');
	const info = [
		['顾客 Customer', `${escapeHtml(customer)}${d.customer?.contact_person ? ` (${escapeHtml(d.customer.contact_person)})` : ''}`],
		['合同 Contract', escapeHtml([d.contract?.code, d.contract?.title].filter(Boolean).join(' '))],
		['财产编号 Code', escapeHtml(it.code)],
		['名称 Name', escapeHtml(it.name)],
		['类别 Kind', escapeHtml(KIND_LABELS[it.kind] ?? it.kind)],
		['规格/型号 Spec / model', escapeHtml([it.specification, it.model].filter(Boolean).join(' / '))],
		['数量 Quantity', `${escapeHtml(figure(it.quantity))} ${escapeHtml(it.unit ?? '')}`],
		['出厂编号 Serial', escapeHtml(it.serial_no ?? '')],
		['当前位置 Location', escapeHtml(it.location ?? '')],
		['约定范围与责任 Agreed scope', escapeHtml(it.scope ?? '')],
	];
	const problems = d.problems
		.map(
			(p) => `<tr><td>${when(p.occurred_at)}</td><td>${escapeHtml(PROBLEM_LABELS[String(p.details?.problem_type)] ?? p.details?.problem_type ?? '')}</td>
<td>${escapeHtml(p.note ?? '')}</td><td>${escapeHtml(figure(p.quantity))}</td><td>${escapeHtml(p.to_location ?? '')}</td><td>${escapeHtml(p.reported_by ?? '')}</td></tr>`,
		)
		.join('\n');
	const disp = d.disposition;
	const file = disp?.evidence;
	const fileName = file && typeof file === 'object' ? (file.title ?? file.filename_download ?? String(file.id ?? '')) : (file ?? null);
	const evidence = disp
		? [
				...(disp.customer_message ? [`顾客意见原文 Customer message: ${escapeHtml(disp.customer_message)}`] : []),
				...(fileName ? [`顾客书面意见文件 Customer evidence file: ${escapeHtml(fileName)}`] : []),
			]
		: [];
	const decision = disp
		? `<p>顾客处置意见 Customer's decision: <strong>${escapeHtml(DECISION_LABELS[String(disp.details?.decision)] ?? disp.details?.decision ?? '')}</strong>
 (${when(disp.occurred_at)}, 销售部接收 received by Sales: ${escapeHtml(disp.reported_by ?? '')})</p><p>${escapeHtml(disp.note ?? '')}</p>
<p class="evidence">顾客证据 Customer's evidence: ${evidence.join('<br>') || '—'}</p>
<p>损失归因于顾客材料 Loss attributed to customer material: ${it.loss_attributed_to_customer ? '是 Yes' : '否 No'}</p>`
		: `<p>顾客处置意见 Customer's decision:</p>
<p>□ 继续使用 Continue use　□ 入库保管 Keep in store　□ 退还顾客 Return　□ 报废处置 Dispose</p>
<p>说明 Remarks: ______________________________________________</p>`;
	const body = `${header(d.company ?? '', { zh: '顾客财产问题报告单', en: 'Customer property problem report' }, it.code, `打印时间 Printed: ${formatTime(d.printedAt)}`)}
<table>${info.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('\n')}</table>
<h2>问题描述 Problems found</h2>
<table><tr><th>时间 When</th><th>类型 Type</th><th>描述 Description</th><th>数量 Qty</th><th>隔离位置 Isolated at</th><th>报告人 Reported by</th></tr>
${problems}</table>
<h2>隔离 Isolation</h2>
<p class="isolation">${isolationText(d)}</p>
<p>我方已停止使用并隔离、标识该财产,特此报告,请贵方给出处置意见。<br>
We have stopped using, isolated and marked this property and ask for your decision on it.</p>
<h2>顾客处置意见 Customer's disposition</h2>
${decision}
<table class="sign"><tr><th>销售部 Sales</th><td></td><th>顾客签字 Customer signature</th><td></td></tr>
<tr><th>日期 Date</th><td></td><th>日期 Date</th><td></td></tr></table>
<p class="no-print"><button onclick="window.print()">打印 Print</button></p>`;
	return page(`顾客财产问题报告单 ${it.code}`, body, '.sign td { height: 28px; }');
}
