// pdfkit ships no types; the bundle uses its document class only (services/pdf.ts).
declare module 'pdfkit' {
	const PDFDocument: any;
	export default PDFDocument;
}
