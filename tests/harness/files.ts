// Files in and out of Directus for tests: an import as the admin app sends it, and the zip of the
// evidence pack read back.
import { inflateRawSync } from 'node:zlib';
import { http, type Who } from './client';

/** POST /utils/import/:collection with a JSON (rows) or CSV (text) file. */
export function importFile(who: Who, collection: string, rows: Record<string, unknown>[] | string, type: 'application/json' | 'text/csv' = 'application/json') {
	const form = new FormData();
	const body = typeof rows === 'string' ? rows : JSON.stringify(rows);
	form.append('file', new Blob([body], { type }), type === 'text/csv' ? 'rows.csv' : 'rows.json');
	return http(who, 'POST', `/utils/import/${collection}`, form);
}

/** Reads a zip's central directory: name -> content. Enough for archiver's output (no zip64). */
export function unzip(buf: Buffer): Map<string, Buffer> {
	let eocd = buf.length - 22;
	while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
	if (eocd < 0) throw new Error('not a zip');
	const count = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	const out = new Map<string, Buffer>();
	for (let i = 0; i < count; i++) {
		if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
		const method = buf.readUInt16LE(p + 10);
		const size = buf.readUInt32LE(p + 20);
		const nameLen = buf.readUInt16LE(p + 28);
		const extraLen = buf.readUInt16LE(p + 30);
		const commentLen = buf.readUInt16LE(p + 32);
		const local = buf.readUInt32LE(p + 42);
		const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(start, start + size);
		out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
		p += 46 + nameLen + extraLen + commentLen;
	}
	return out;
}
