// PDF copies of the printable forms for the evidence pack: the same FormDoc as the HTML,
// laid out with pdfkit and a Noto Sans Hans (Simplified Chinese) font embedded as a subset.
// pdfkit is bundled into dist/api.js; the font (8 MB, SIL OFL) is copied by the build to
// dist/fonts/ (extension.config.js), so the published package needs nothing from the host's
// node_modules. CP_PDF_FONT names another font file. Without a font the pack ships HTML only
// and says so in its README.
import { pdfVendor } from './vendor';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Readable } from 'node:stream';
import { allSections, printable, type FormDoc, type Section } from '../domain/forms/layout';

export const PDF_FONT_FILE = 'NotoSansHans-Regular.otf';

/** pdfkit and the font, parsed once per process (fontkit), reused by every PDF. */
export interface PdfLib {
	PDFDocument: any;
	/** The parsed font (a fontkit font object, which pdfkit takes as is), or the file's bytes. */
	font: unknown;
}

let loaded: PdfLib | null | undefined;
let reason = '';

/** Where the font is: CP_PDF_FONT, dist/fonts/ beside the bundle, else the font package (source runs). */
function fontPath(env: Record<string, any>): string {
	if (env.CP_PDF_FONT) return String(env.CP_PDF_FONT);
	const beside = fileURLToPath(new URL(`./fonts/${PDF_FONT_FILE}`, import.meta.url));
	if (existsSync(beside)) return beside;
	try {
		// The package exports only its index; the fonts sit beside dist/.
		const pkgDir = dirname(dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')));
		return join(pkgDir, 'fonts', PDF_FONT_FILE);
	} catch {
		return beside;
	}
}

/** pdfkit and a CJK font, or null with the reason in pdfUnavailableReason(). */
export function pdfSupport(env: Record<string, any> = {}): PdfLib | null {
	if (loaded !== undefined) return loaded;
	try {
		const path = fontPath(env);
		if (!existsSync(path)) throw new Error(`font file ${path} not found`);
		const bytes = readFileSync(path);
		// Issue 14: pdfkit parses a font given as bytes anew for every document (about 0.1 s and
		// tens of MB for this 8 MB CJK font). It also takes an already parsed font (anything with
		// layout()): parse it once through a throw-away document and hand the parsed font to every
		// PDF; each PDF still embeds its own subset.
		const { PDFDocument } = pdfVendor();
		const probe = new PDFDocument({ font: bytes, autoFirstPage: false });
		const parsed = probe._font?.font;
		probe.end();
		if (typeof parsed?.layout === 'function') fastSubrs(parsed);
		loaded = { PDFDocument, font: typeof parsed?.layout === 'function' ? parsed : bytes };
	} catch (e) {
		reason = `the Chinese font (dist/fonts/${PDF_FONT_FILE}, or CP_PDF_FONT) could not be loaded: ${(e as Error).message}`;
		loaded = null;
	}
	return loaded;
}

export const pdfUnavailableReason = () => reason;

const RETURN_OP = new Uint8Array([11]);
/**
 * Issue 14: fontkit's CFF subset keeps every subroutine slot of the font and fills each unused
 * one with a fresh 1-byte buffer (the `return` operator): tens of thousands of allocations per
 * PDF for this CJK font, half of a PDF's time (64 → 35 ms per form measured, bench/pdf-profile.ts).
 * The same bytes from one shared buffer (the encoder only reads it): identical output.
 */
function fastSubrs(font: any): void {
	const proto = typeof font.createSubset === 'function' ? Object.getPrototypeOf(font.createSubset()) : null;
	if (!proto || typeof proto.subsetSubrs !== 'function' || proto.subsetSubrs.length !== 2 || proto.__cpFastSubrs) return;
	proto.subsetSubrs = function (this: any, subrs: Array<{ offset: number; length: number }>, used: Record<number, boolean>) {
		const res = new Array(subrs.length);
		for (let i = 0; i < subrs.length; i++) {
			if (used[i]) {
				const subr = subrs[i]!;
				this.cff.stream.pos = subr.offset;
				res[i] = this.cff.stream.readBuffer(subr.length);
			} else res[i] = RETURN_OP;
		}
		return res;
	};
	proto.__cpFastSubrs = true;
}

const PAGE = { size: 'A4' as const, margin: 36 };
const PAD = 3;

/** Renders a form to a PDF stream; call only when pdfSupport() returned the library. */
export function renderPdf(form: FormDoc, lib: PdfLib): Readable {
	const doc = printable(form);
	const pdf = new lib.PDFDocument({
		size: PAGE.size,
		margin: PAGE.margin,
		font: lib.font,
		info: { Title: `${doc.title.zh} ${doc.title.en} ${doc.no ?? ''}`.trim(), Producer: 'customer-processes' },
	});
	const left = PAGE.margin;
	const width = pdf.page.width - 2 * PAGE.margin;
	const bottom = () => pdf.page.height - PAGE.margin;

	// Header: company, bilingual title, number.
	pdf.fontSize(13).text(doc.company || ' ', left, PAGE.margin, { width, align: 'center' });
	pdf.moveDown(0.2).fontSize(16).text(doc.title.zh, { width, align: 'center' });
	pdf.fontSize(10).text(doc.title.en, { width, align: 'center' });
	if (doc.no !== undefined) pdf.fontSize(9).text(`编号 No.: ${doc.no}`, { width, align: 'right' });
	if (doc.subtitle) pdf.fontSize(8).text(doc.subtitle, { width, align: 'right' });
	let y = pdf.y + 8;

	const ensure = (h: number) => {
		if (y + h > bottom()) {
			pdf.addPage();
			y = PAGE.margin;
		}
	};
	const row = (cells: string[], widths: number[], size: number, fill?: string) => {
		pdf.fontSize(size);
		const heights = cells.map((c, i) => pdf.heightOfString(c || ' ', { width: widths[i]! - 2 * PAD }));
		const maxH = bottom() - PAGE.margin - 2 * PAD;
		const h = Math.min(Math.max(...heights), maxH) + 2 * PAD;
		ensure(h);
		let x = left;
		cells.forEach((c, i) => {
			const w = widths[i]!;
			if (fill) pdf.save().rect(x, y, w, h).fill(fill).restore();
			pdf.lineWidth(0.5).rect(x, y, w, h).stroke();
			pdf.fillColor('#000').text(c || '', x + PAD, y + PAD, { width: w - 2 * PAD, height: h - 2 * PAD });
			x += w;
		});
		y += h;
	};
	const heading = (text?: string) => {
		if (!text) return;
		pdf.fontSize(11);
		const h = pdf.heightOfString(text, { width }) + 6;
		ensure(h + 20);
		pdf.text(text, left, y + 4, { width });
		y += h;
	};
	const section = (s: Section) => {
		heading(s.heading);
		if (s.kind === 'paragraph') {
			pdf.fontSize(9);
			const h = pdf.heightOfString(s.text, { width });
			ensure(h);
			pdf.text(s.text, left, y, { width });
			y += h;
		} else if (s.kind === 'fields') {
			const widths = [width * 0.3, width * 0.7];
			for (const f of s.rows) row([f.label, f.value === null || f.value === undefined ? '' : String(f.value)], widths, 9);
		} else {
			const n = s.columns.length;
			// Columns share the width by how much text they hold (bounded), so long text gets room.
			const weight = s.columns.map((c, i) => {
				const longest = Math.max(
					...[c, ...s.rows.map((r) => r[i])].map((v) =>
						Math.max(
							...String(v ?? '')
								.split('\n')
								.map((l) => l.length),
						),
					),
				);
				return Math.min(Math.max(longest, 4), 30);
			});
			const total = weight.reduce((a, b) => a + b, 0);
			const widths = weight.map((w) => (width * w) / total);
			const size = n > 6 ? 7 : 8.5;
			row(s.columns, widths, size, '#eeeeee');
			if (!s.rows.length) row([s.empty ?? ''], [width], size);
			for (const r of s.rows)
				row(
					r.map((v) => (v === null || v === undefined ? '' : String(v))),
					widths,
					size,
				);
		}
		y += 8;
	};
	for (const s of allSections(doc)) section(s);
	pdf.end();
	return pdf as Readable;
}
