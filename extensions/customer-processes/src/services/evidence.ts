// The auditor's evidence pack (X-1): a zip written one entry after the other, to the response
// (GET /cp/evidence-pack) or into Directus's file library (./evidence-export.ts), so neither the
// zip nor a whole table is held in memory. CSVs come from SQL with the period in the WHERE
// clause, read page by page; the filled forms are read through ItemsService with the caller's
// accountability (see ./forms), exactly as the printable routes show them, a batch at a time
// (FORMS_BATCH) one batch ahead of the one being written, and each PDF is laid out with the font parsed once per
// process (./pdf). A sample takes at most N records of each kind.
import type { Knex } from 'knex';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { zipVendor } from './vendor';
import { CSV_SPECS, csvSafe, evidenceReadme, packFileName, type CsvSpec, type PackFile, type Period } from '../domain/forms/evidence';
import { reviewFormDoc, discrepancyFormDoc, changeNoticeDoc } from '../domain/forms/contract-forms';
import { complaintFormDoc } from '../domain/complaints/form';
import { renderHtml, type FormDoc } from '../domain/forms/layout';
import { hiddenKinds } from '../domain/property/register';
import type { ActorInfo } from './context';
import type { FormReader } from './forms';
import { pdfSupport, pdfUnavailableReason, renderPdf } from './pdf';

type Row = Record<string, any>;
const PAGE_SIZE = 500;
/**
 * Forms read together (issue 14): one ItemsService read per collection for this many records
 * (./forms reviewForms etc.) instead of 4–5 per record; the next batch is read while this one is
 * written.
 */
const FORMS_BATCH = 50;

const users = (q: Knex.QueryBuilder, alias: string, column: string, prefix: string) =>
	q
		.leftJoin(`directus_users as ${alias}`, `${alias}.id`, column)
		.select(`${alias}.first_name as ${prefix}_first_name`, `${alias}.last_name as ${prefix}_last_name`, `${alias}.email as ${prefix}_email`);

/** One SQL query per CSV, the period bound in SQL; ordered so that paging is stable. */
function queries(knex: Knex, period: Period, hidden: string[]): Record<string, () => Knex.QueryBuilder> {
	const inPeriod = (q: Knex.QueryBuilder, column: string) => q.where(column, '>=', period.start).where(column, '<', period.end);
	return {
		'contract_reviews.csv': () => {
			const q = knex('cp_review_lines as rl')
				.join('cp_contracts as c', 'c.id', 'rl.contract')
				.leftJoin('cp_customers as cu', 'cu.id', 'c.customer')
				.select(
					'rl.*',
					'c.code as contract_code',
					'c.title as contract_title',
					'c.kind',
					'c.class',
					'c.major',
					'c.review_route',
					'c.status as contract_status',
					'c.reviewed_at',
					'cu.name as customer_name',
				);
			users(q, 'u', 'rl.signed_by', 'signer');
			return inPeriod(q, 'rl.date_created').orderBy([
				{ column: 'rl.date_created' },
				{ column: 'c.code' },
				{ column: 'rl.round' },
				{ column: 'rl.department' },
				{ column: 'rl.id' },
			]);
		},
		'discrepancies.csv': () => {
			const q = knex('cp_discrepancies as d').join('cp_contracts as c', 'c.id', 'd.contract').select('d.*', 'c.code as contract_code');
			users(q, 'u1', 'd.user_created', 'creator');
			users(q, 'u2', 'd.resolved_by', 'resolver');
			users(q, 'u3', 'd.closed_by', 'closer');
			return inPeriod(q, 'd.date_created').orderBy([{ column: 'd.date_created' }, { column: 'd.id' }]);
		},
		'changes.csv': () => {
			const q = knex('cp_changes as ch').join('cp_contracts as c', 'c.id', 'ch.contract').select('ch.*', 'c.code as contract_code');
			users(q, 'u', 'ch.user_created', 'creator');
			return inPeriod(q, 'ch.date_created').orderBy([{ column: 'ch.date_created' }, { column: 'ch.id' }]);
		},
		'complaints.csv': () => {
			const q = knex('cp_complaints as k')
				.leftJoin('cp_customers as cu', 'cu.id', 'k.customer')
				.leftJoin('cp_contracts as c', 'c.id', 'k.contract')
				.select('k.*', 'cu.name as customer_name', 'c.code as contract_code');
			return inPeriod(q, 'k.received_at').orderBy([{ column: 'k.received_at' }, { column: 'k.id' }]);
		},
		'actions.csv': () => {
			const q = knex('cp_actions as a').select('a.*');
			users(q, 'u', 'a.owner', 'owner');
			return inPeriod(q, 'a.date_created').orderBy([{ column: 'a.date_created' }, { column: 'a.id' }]);
		},
		'surveys.csv': () => {
			const q = knex('cp_communications as m')
				.leftJoin('cp_customers as cu', 'cu.id', 'm.customer')
				.where('m.type', 'survey')
				.select('m.*', 'cu.name as customer_name');
			return inPeriod(q, 'm.date_created').orderBy([{ column: 'm.date_created' }, { column: 'm.id' }]);
		},
		// The register as it stands: a custody register is state, not a period's events.
		'property_register.csv': () => {
			const q = knex('cp_property as p')
				.leftJoin('cp_customers as cu', 'cu.id', 'p.customer')
				.leftJoin('cp_contracts as c', 'c.id', 'p.contract')
				.select('p.*', 'cu.name as customer_name', 'c.code as contract_code');
			if (hidden.length) q.whereNotIn('p.kind', hidden);
			return q.orderBy([{ column: 'p.code' }, { column: 'p.id' }]);
		},
		'property_events.csv': () => {
			const q = knex('cp_property_events as e')
				.join('cp_property as p', 'p.id', 'e.property')
				.select('e.*', 'p.code as property_code', 'p.name as property_name');
			users(q, 'u', 'e.user_created', 'creator');
			if (hidden.length) q.whereNotIn('p.kind', hidden);
			return inPeriod(q, 'e.date_created').orderBy([{ column: 'e.date_created' }, { column: 'e.id' }]);
		},
	};
}

async function* pages(make: () => Knex.QueryBuilder, max: number | null = null): AsyncGenerator<Row> {
	let seen = 0;
	for (let offset = 0; ; offset += PAGE_SIZE) {
		const size = max === null ? PAGE_SIZE : Math.min(PAGE_SIZE, max - seen);
		if (size <= 0) return;
		const rows: Row[] = await make().limit(size).offset(offset);
		seen += rows.length;
		yield* rows;
		if (rows.length < size) return;
	}
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/** Loads the items `size` at a time, one batch ahead of the one handed out; a failed load is handed out as its error. */
async function* batched<T, R>(source: AsyncIterable<T>, load: (ts: T[]) => Promise<Array<R | Error>>, size: number): AsyncGenerator<[T, R | Error]> {
	const start = (ts: T[]): Promise<[T[], Array<R | Error>]> =>
		load(ts).then(
			(rs) => [ts, rs],
			(e: unknown) => [ts, ts.map(() => asError(e))],
		);
	let pending: Promise<[T[], Array<R | Error>]> | null = null;
	let chunk: T[] = [];
	const flush = async function* (next: Promise<[T[], Array<R | Error>]> | null) {
		if (pending) {
			const [ts, rs] = await pending;
			for (let i = 0; i < ts.length; i++) yield [ts[i]!, rs[i]!] as [T, R | Error];
		}
		pending = next;
	};
	for await (const item of source) {
		chunk.push(item);
		if (chunk.length >= size) {
			const next = start(chunk);
			chunk = [];
			yield* flush(next);
		}
	}
	if (chunk.length) yield* flush(start(chunk));
	yield* flush(null);
}

/** Appends one entry and waits until the zip has written it: entries go one at a time. */
function add(archive: any, source: Readable | string | Buffer, name: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const onEntry = (e: { name: string }) => {
			if (e.name !== name) return;
			archive.off('entry', onEntry);
			archive.off('error', onError);
			resolve();
		};
		const onError = (err: Error) => {
			archive.off('entry', onEntry);
			reject(err);
		};
		archive.on('entry', onEntry);
		archive.once('error', onError);
		// PDFs are compressed already (deflate gains ~6% for ~5 ms of CPU per PDF): stored.
		archive.append(source, { name, store: name.endsWith('.pdf') });
	});
}

async function addCsv(archive: any, spec: CsvSpec, rows: AsyncGenerator<Row>, zone: string, tick: () => Promise<void>): Promise<number> {
	// BOM: spreadsheet programs then read the Chinese text as UTF-8.
	const csv = zipVendor().stringify({ bom: true, header: true, columns: spec.columns });
	const written = add(archive, csv, spec.file);
	let n = 0;
	for await (const r of rows) {
		n++;
		if (!csv.write(spec.row(r, zone).map(csvSafe))) await once(csv, 'drain');
		await tick();
	}
	csv.end();
	await written;
	return n;
}

const safeName = (s: unknown) =>
	String(s ?? '')
		.replace(/[^\p{L}\p{N}._-]+/gu, '_')
		.slice(0, 80) || 'item';

export interface PackInput {
	database: Knex;
	reader: FormReader;
	actor: ActorInfo;
	actorName: string;
	period: Period;
	env: Record<string, any>;
	logger: { warn: (...a: any[]) => void };
	/** At most this many records of each kind (a quick look); null: the whole period. */
	sample?: number | null;
	/** Property kinds left out of the register (default: those hidden from the actor, PR-1). */
	hidden?: string[];
	/** Told in the README when the register leaves kinds out for the file's readers. */
	registerNote?: string;
	/** Called after every record written, with the number written so far. */
	onProgress?: (done: number) => Promise<void> | void;
}

const between = (period: Period) => (qb: Knex.QueryBuilder, column: string) => qb.where(column, '>=', period.start).where(column, '<', period.end);

/** The lists of records whose filled forms the pack holds, each ordered for stable paging. */
function formLists(database: Knex, period: Period) {
	const inPeriod = between(period);
	return {
		// Every contract with a review round opened in the period: its review form (8.2.3).
		contracts: () =>
			inPeriod(database('cp_review_lines as rl').join('cp_contracts as c', 'c.id', 'rl.contract'), 'rl.date_created')
				.distinct('c.id', 'c.code')
				.orderBy([{ column: 'c.code' }, { column: 'c.id' }]),
		discrepancies: () =>
			inPeriod(database('cp_discrepancies as d').join('cp_contracts as c', 'c.id', 'd.contract'), 'd.date_created')
				.select('d.id', 'c.code')
				.orderBy([{ column: 'd.date_created' }, { column: 'd.id' }]),
		changes: () =>
			inPeriod(database('cp_changes as ch').join('cp_contracts as c', 'c.id', 'ch.contract'), 'ch.date_created')
				.select('ch.id', 'c.code')
				.orderBy([{ column: 'ch.date_created' }, { column: 'ch.id' }]),
		// Every complaint received in the period: its feedback handling form (8.2.1, 9.1.2).
		complaints: () =>
			inPeriod(database('cp_complaints'), 'received_at')
				.select('id', 'code')
				.orderBy([{ column: 'received_at' }, { column: 'id' }]),
	};
}

/** How many records the pack will write (CSV rows and forms): the total of the export's progress. */
export async function countEvidencePack(database: Knex, period: Period, hidden: string[], sample: number | null): Promise<number> {
	const q = queries(database, period, hidden);
	const lists = formLists(database, period);
	const count = async (make: () => Knex.QueryBuilder) => {
		const row: any = await database.from(make().clearOrder().as('x')).count({ n: '*' }).first();
		const n = Number(row?.n ?? 0);
		return sample ? Math.min(n, sample) : n;
	};
	let total = 0;
	for (const spec of CSV_SPECS) total += await count(q[spec.file]!);
	for (const make of Object.values(lists)) total += await count(make);
	return total;
}

/** Writes the whole pack (or a sample) into `archive` and finalizes it; resolves when the last entry is written. */
export async function writeEvidencePack(archive: any, input: PackInput): Promise<{ records: number }> {
	const { database, reader, period, actor } = input;
	const sample = input.sample ?? null;
	const { company, zone } = await reader.context();
	const pdf = pdfSupport(input.env);
	let done = 0;
	const tick = async () => {
		done++;
		if (input.onProgress) await input.onProgress(done);
	};

	const q = queries(database, period, input.hidden ?? hiddenKinds(actor));
	const csv: PackFile[] = [];
	for (const spec of CSV_SPECS) {
		const rows = await addCsv(archive, spec, pages(q[spec.file]!, sample), zone, tick);
		csv.push({ name: spec.file, description: `ISO 9001 ${spec.clause} ${spec.title}: ${spec.selection}`, rows });
	}

	const forms: PackFile[] = [];
	const skipped: string[] = [];
	const formsOf = async (
		rows: AsyncGenerator<Row>,
		folder: string,
		file: (r: Row) => string,
		what: (r: Row) => string,
		load: (rs: Row[]) => Promise<Array<unknown | Error>>,
		toDoc: (input: any) => FormDoc,
		withPdf: boolean,
	) => {
		for await (const [r, input] of batched(rows, load, FORMS_BATCH)) {
			const name = file(r);
			let doc: FormDoc | Error;
			try {
				doc = input instanceof Error ? input : toDoc(input);
			} catch (e) {
				doc = asError(e);
			}
			if (doc instanceof Error) {
				// One unreadable record (permissions) must not break the whole pack; the README says so.
				skipped.push(`${folder}/${name}: ${doc.message}`);
			} else {
				await add(archive, renderHtml(doc), `forms/${folder}/${name}.html`);
				forms.push({ name: `forms/${folder}/${name}.html`, description: what(r) });
				if (withPdf && pdf) {
					await add(archive, renderPdf(doc, pdf), `pdf/${folder}/${name}.pdf`);
					forms.push({ name: `pdf/${folder}/${name}.pdf`, description: what(r) });
				}
			}
			await tick();
		}
	};
	const lists = formLists(database, period);
	const short = (id: unknown) => safeName(String(id).slice(0, 8));
	await formsOf(
		pages(lists.contracts, sample),
		'contract-review',
		(c) => safeName(c.code),
		(c) => `标书/合同评审单 Contract review form ${c.code}`,
		(cs) => reader.reviewForms(cs.map((c) => c.id)),
		reviewFormDoc,
		true,
	);
	await formsOf(
		pages(lists.discrepancies, sample),
		'discrepancies',
		(d) => `${safeName(d.code)}_${short(d.id)}`,
		(d) => `合同不一致问题处理单 Discrepancy form ${d.code}`,
		(ds) => reader.discrepancyForms(ds.map((d) => d.id)),
		discrepancyFormDoc,
		false,
	);
	await formsOf(
		pages(lists.changes, sample),
		'changes',
		(ch) => `${safeName(ch.code)}_${short(ch.id)}`,
		(ch) => `合同变更通知单 Change notice ${ch.code}`,
		(chs) => reader.changeNotices(chs.map((ch) => ch.id)),
		changeNoticeDoc,
		false,
	);
	await formsOf(
		pages(lists.complaints, sample),
		'complaints',
		(k) => safeName(k.code),
		(k) => `顾客信息反馈处理单 Complaint form ${k.code}`,
		(ks) => reader.complaintForms(ks.map((k) => k.id)),
		complaintFormDoc,
		true,
	);

	let readme = evidenceReadme({
		company,
		period,
		zone,
		generatedAt: new Date(),
		generatedBy: input.actorName,
		csv,
		forms,
		pdf: Boolean(pdf),
		pdfNote: pdf ? undefined : pdfUnavailableReason(),
		sample,
		...(input.registerNote ? { registerNote: input.registerNote } : {}),
	});
	if (skipped.length) readme += `\r\nNot readable with your permissions, left out:\r\n${skipped.map((s) => `  ${s}`).join('\r\n')}\r\n`;
	await add(archive, readme, 'README.txt');
	await archive.finalize();
	return { records: done };
}

export const newArchive = (logger: { warn: (...a: any[]) => void }) => {
	const archive = zipVendor().archiver('zip', { zlib: { level: 6 } });
	archive.on('warning', (e: Error) => logger.warn(e, '[customer-processes] evidence pack'));
	return archive;
};

/** GET /cp/evidence-pack: the pack (or a sample) streamed to the response. */
export async function streamEvidencePack(res: any, input: PackInput): Promise<void> {
	const archive = newArchive(input.logger);
	res.status(200);
	res.set('content-type', 'application/zip');
	res.set('content-disposition', `attachment; filename="${packFileName(input.period, input.sample ?? null)}"`);
	res.set('cache-control', 'no-store');
	archive.pipe(res);
	const finished = new Promise<void>((resolve, reject) => {
		res.once('finish', resolve);
		res.once('close', resolve);
		archive.once('error', reject);
	});
	finished.catch(() => {});
	// The client went away: stop producing the zip.
	res.once('close', () => {
		if (!res.writableFinished) archive.abort();
	});
	await writeEvidencePack(archive, input);
	await finished;
}
