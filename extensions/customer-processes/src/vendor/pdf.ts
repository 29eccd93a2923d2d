// Built on its own to dist/vendor/pdf.cjs (extension.config.js): loaded on the first PDF only.
import PDFDocument from 'pdfkit';
export { PDFDocument };
