// Built on its own to dist/vendor/zip.cjs (extension.config.js): loaded on the first evidence pack only.
import archiver from 'archiver';
import { stringify } from 'csv-stringify';
export { archiver, stringify };
