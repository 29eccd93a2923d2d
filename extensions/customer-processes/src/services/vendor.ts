// The large libraries (pdfkit with its font engine, archiver and csv-stringify, ImapFlow and
// mailparser) are not part of dist/api.js: each is built into its own file under dist/vendor/
// (extension.config.js) and required on first use, so an instance that prints no PDF and reads
// no mailbox does not carry them (issue 14: about 50 MiB of resident memory per instance). Run
// from the sources (unit tests), the same names come from the packages themselves.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { simpleParser as SimpleParser } from 'mailparser';

export interface PdfVendor {
	PDFDocument: any;
}
export interface ZipVendor {
	archiver: (format: 'zip', options?: Record<string, unknown>) => any;
	stringify: (options: Record<string, unknown>) => any;
}
export interface MailVendor {
	ImapFlow: new (options: Record<string, unknown>) => any;
	simpleParser: typeof SimpleParser;
}

const here = dirname(fileURLToPath(import.meta.url));
const requireHere = createRequire(import.meta.url);
const loaded = new Map<string, unknown>();

/** The built file beside the bundle, else (sources) the packages; the names are variables so that the bundler leaves them alone. */
function load<T>(file: string, fromPackages: () => T): T {
	if (!loaded.has(file)) {
		const built = join(here, 'vendor', `${file}.cjs`);
		loaded.set(file, existsSync(built) ? requireHere(built) : fromPackages());
	}
	return loaded.get(file) as T;
}
const pkg = (name: string) => requireHere(name);

export const pdfVendor = (): PdfVendor => load('pdf', () => ({ PDFDocument: interop(pkg('pdfkit')) }));
export const zipVendor = (): ZipVendor => load('zip', () => ({ archiver: interop(pkg('archiver')), stringify: pkg('csv-stringify').stringify }));
export const mailVendor = (): MailVendor =>
	load('mail', () => {
		const imap = pkg('imapflow');
		return { ImapFlow: imap.ImapFlow ?? imap, simpleParser: pkg('mailparser').simpleParser };
	});

/** A CommonJS module's default export, whichever way it is shaped. */
function interop(m: any): any {
	return m && typeof m === 'object' && 'default' in m ? m.default : m;
}
