// Build settings of the extension bundle (read by `directus-extension build`). The run-time
// libraries are bundled into dist/api.js, the large ones (pdfkit, archiver, ImapFlow, mailparser)
// into dist/vendor/, loaded on first use; the Chinese PDF font is a file, so it
// is copied to dist/fonts/ with its licence; the installer (scripts/cli.mjs with the schema
// snapshot and the seeds) is bundled to dist/cli.mjs, the package's `bin`: the published package
// carries everything it needs, nothing is read from the repository at run time.
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '../..');
const FONT = 'NotoSansHans-Regular.otf';

function copyFont() {
	return {
		name: 'cp-copy-font',
		writeBundle() {
			const pkg = dirname(dirname(createRequire(join(here, 'package.json')).resolve('@embedpdf/fonts-sc')));
			const out = join(here, 'dist', 'fonts');
			mkdirSync(out, { recursive: true });
			if (!existsSync(join(out, FONT))) copyFileSync(join(pkg, 'fonts', FONT), join(out, FONT));
			copyFileSync(join(pkg, 'LICENSE'), join(out, 'LICENSE-NotoSansHans.txt'));
		},
	};
}

function bundleCli() {
	return {
		name: 'cp-bundle-cli',
		async writeBundle(options) {
			if (!String(options.file ?? '').endsWith('api.js')) return;
			const { build } = await import('esbuild');
			const outfile = join(here, 'dist', 'cli.mjs');
			await build({
				entryPoints: [join(ROOT, 'scripts/cli-entry.mjs')],
				bundle: true,
				platform: 'node',
				format: 'esm',
				target: 'node20',
				outfile,
				banner: { js: '#!/usr/bin/env node' },
				logLevel: 'warning',
			});
			chmodSync(outfile, 0o755);
		},
	};
}

/**
 * The large run-time libraries, each in its own file under dist/vendor/ (src/vendor/*.ts), required
 * by services/vendor.ts on first use instead of being loaded with dist/api.js at every start.
 */
function bundleVendor() {
	return {
		name: 'cp-bundle-vendor',
		async writeBundle(options) {
			if (!String(options.file ?? '').endsWith('api.js')) return;
			const { build } = await import('esbuild');
			await build({
				entryPoints: ['pdf', 'zip', 'mail'].map((n) => join(here, 'src/vendor', `${n}.ts`)),
				bundle: true,
				platform: 'node',
				format: 'cjs',
				target: 'node20',
				outdir: join(here, 'dist', 'vendor'),
				outExtension: { '.js': '.cjs' },
				// Some of them are ES modules that locate files by import.meta.url: the built file's own URL.
				banner: { js: "const __vendorUrl = require('node:url').pathToFileURL(__filename).href;" },
				define: { 'import.meta.url': '__vendorUrl' },
				logLevel: 'warning',
			});
		},
	};
}

export default {
	plugins: [copyFont(), bundleCli(), bundleVendor()],
};
