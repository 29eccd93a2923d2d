// Issue 14: the cost of one evidence-pack PDF, split into layout and the end (font subset
// embedding), and of deflating it into the zip. `npx tsx bench/pdf-profile.ts [n]`.
import { deflateRawSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { pdfSupport, renderPdf } from '../extensions/customer-processes/src/services/pdf';
import { renderHtml, type FormDoc } from '../extensions/customer-processes/src/domain/forms/layout';

const N = Number(process.argv[2] ?? 40);
const zh = '顾客投诉产品质量问题调查原因分析纠正措施验证关闭评审合同技术要求交货期价格包装运输';
const text = (i: number, n: number) => Array.from({ length: n }, (_, j) => zh[(i * 7 + j * 3) % zh.length]).join('');
const doc = (i: number): FormDoc => ({
	company: '上海示例包装有限公司',
	title: { zh: '顾客信息反馈处理单', en: 'Customer feedback handling form' },
	no: `KF-2026-${String(i).padStart(5, '0')}`,
	sections: [
		{ kind: 'fields', heading: '基本信息 Basics', rows: Array.from({ length: 14 }, (_, j) => ({ label: `字段 ${j} Field`, value: text(i + j, 12 + j) })) },
		{ kind: 'paragraph', heading: '描述 Description', text: text(i, 220) },
		{
			kind: 'table',
			heading: '纠正措施 Actions',
			columns: ['措施 Action', '状态 Status', '期限 Due', '负责人 Owner', '部门 Dept'],
			rows: Array.from({ length: 4 }, (_, j) => [text(i + j, 30), '进行中', '2026-08-01', `张三${j}`, '质量部']),
		},
		{
			kind: 'table',
			heading: '记录 Trail',
			columns: ['时间 At', '步骤 Step', '签名 By', '部门 Dept'],
			rows: Array.from({ length: 8 }, (_, j) => ['2026-07-0' + (j + 1), text(j, 8), `李四${j}`, '销售部']),
		},
	],
	signatures: [{ step: '受理 Intake', name: '王五', department: '销售部', at: '2026-07-01 10:00' }],
});

const lib = pdfSupport({})!;
const toBuffer = (s: NodeJS.ReadableStream) =>
	new Promise<Buffer>((res, rej) => {
		const parts: Buffer[] = [];
		s.on('data', (b: Buffer) => parts.push(b));
		s.on('end', () => res(Buffer.concat(parts)));
		s.on('error', rej);
	});
// Warm up (font parse, JIT).
for (let i = 0; i < 5; i++) await toBuffer(renderPdf(doc(i), lib));
let html = 0,
	layout = 0,
	all = 0,
	deflate = 0,
	bytes = 0,
	zipped = 0;
for (let i = 0; i < N; i++) {
	const d = doc(i);
	let t = performance.now();
	renderHtml(d);
	html += performance.now() - t;
	t = performance.now();
	const PDF = lib.PDFDocument;
	// layout only: the same document, never ended (no font embedding).
	const origEnd = PDF.prototype.end;
	PDF.prototype.end = function () {};
	renderPdf(d, lib);
	PDF.prototype.end = origEnd;
	layout += performance.now() - t;
	t = performance.now();
	const buf = await toBuffer(renderPdf(d, lib));
	all += performance.now() - t;
	t = performance.now();
	zipped += deflateRawSync(buf, { level: 6 }).length;
	deflate += performance.now() - t;
	bytes += buf.length;
}
const ms = (v: number) => (v / N).toFixed(1);
console.log(
	`n=${N} per PDF: html ${ms(html)} ms, pdf ${ms(all)} ms (layout ${ms(layout)}, end/font subset ${ms(all - layout)}), deflate ${ms(deflate)} ms; ${(bytes / N / 1024).toFixed(1)} KiB -> deflated ${(zipped / N / 1024).toFixed(1)} KiB; load ${(
		await import('node:os')
	)
		.loadavg()
		.map((l) => l.toFixed(2))
		.join(' ')}`,
);
