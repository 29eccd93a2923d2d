// The auditor's evidence pack (X-1): a zip streamed to the response, one entry after the other,
// so neither the zip nor a whole table is held in memory. CSVs come from SQL with the period in
// the WHERE clause, read page by page; the filled forms are read through ItemsService with the
// caller's accountability (see ./forms), exactly as the printable routes show them.
import type { Knex } from 'knex';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import archiver from 'archiver';
import { stringify } from 'csv-stringify';
import { CSV_SPECS, csvSafe, evidenceReadme, type CsvSpec, type PackFile, type Period } from '../domain/forms/evidence';
import { reviewFormDoc, discrepancyFormDoc, changeNoticeDoc } from '../domain/forms/contract-forms';
import { complaintFormDoc } from '../domain/complaints/form';
import { renderHtml, type FormDoc } from '../domain/forms/layout';
import { hiddenKinds } from '../domain/property/register';
import type { ActorInfo } from './context';
import type { FormReader } from './forms';
import { pdfSupport, pdfUnavailableReason, renderPdf } from './pdf';

type Row = Record<string, any>;
const PAGE_SIZE = 500;

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

async function* pages(make: () => Knex.QueryBuilder): AsyncGenerator<Row> {
	for (let offset = 0; ; offset += PAGE_SIZE) {
		const rows: Row[] = await make().limit(PAGE_SIZE).offset(offset);
		yield* rows;
		if (rows.length < PAGE_SIZE) return;
	}
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
		archive.append(source, { name });
	});
}

async function addCsv(archive: any, spec: CsvSpec, rows: AsyncGenerator<Row>, zone: string): Promise<number> {
	// BOM: spreadsheet programs then read the Chinese text as UTF-8.
	const csv = stringify({ bom: true, header: true, columns: spec.columns });
	const written = add(archive, csv, spec.file);
	let n = 0;
	for await (const r of rows) {
		n++;
		if (!csv.write(spec.row(r, zone).map(csvSafe))) await once(csv, 'drain');
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
}

export async function streamEvidencePack(res: any, input: PackInput): Promise<void> {
	const { database, reader, period, actor } = input;
	const { company, zone } = await reader.context();
	const pdf = pdfSupport(input.env);
	const archive = archiver('zip', { zlib: { level: 6 } });
	archive.on('warning', (e: Error) => input.logger.warn(e, '[customer-processes] evidence pack'));
	res.status(200);
	res.set('content-type', 'application/zip');
	res.set('content-disposition', `attachment; filename="evidence-pack_${period.from}_${period.to}.zip"`);
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

	const q = queries(database, period, hiddenKinds(actor));
	const csv: PackFile[] = [];
	for (const spec of CSV_SPECS) {
		const rows = await addCsv(archive, spec, pages(q[spec.file]!), zone);
		csv.push({ name: spec.file, description: `ISO 9001 ${spec.clause} ${spec.title}: ${spec.selection}`, rows });
	}

	const forms: PackFile[] = [];
	const skipped: string[] = [];
	const addForm = async (folder: string, file: string, what: string, load: () => Promise<FormDoc>, withPdf: boolean) => {
		let doc: FormDoc;
		try {
			doc = await load();
		} catch (e) {
			// One unreadable record (permissions) must not break the whole pack; the README says so.
			skipped.push(`${folder}/${file}: ${(e as Error).message}`);
			return;
		}
		await add(archive, renderHtml(doc), `forms/${folder}/${file}.html`);
		forms.push({ name: `forms/${folder}/${file}.html`, description: what });
		if (withPdf && pdf) {
			await add(archive, renderPdf(doc, pdf), `pdf/${folder}/${file}.pdf`);
			forms.push({ name: `pdf/${folder}/${file}.pdf`, description: what });
		}
	};
	const between = (qb: Knex.QueryBuilder, column: string) => qb.where(column, '>=', period.start).where(column, '<', period.end);

	// Every contract with a review round opened in the period: its review form (8.2.3).
	const contracts = await between(database('cp_review_lines as rl').join('cp_contracts as c', 'c.id', 'rl.contract'), 'rl.date_created')
		.distinct('c.id', 'c.code')
		.orderBy('c.code');
	for (const c of contracts)
		await addForm(
			'contract-review',
			safeName(c.code),
			`标书/合同评审单 Contract review form ${c.code}`,
			async () => reviewFormDoc(await reader.reviewForm(c.id)),
			true,
		);
	const discrepancies = await between(database('cp_discrepancies as d').join('cp_contracts as c', 'c.id', 'd.contract'), 'd.date_created')
		.select('d.id', 'c.code')
		.orderBy('d.date_created');
	for (const d of discrepancies)
		await addForm(
			'discrepancies',
			`${safeName(d.code)}_${safeName(String(d.id).slice(0, 8))}`,
			`合同不一致问题处理单 Discrepancy form ${d.code}`,
			async () => discrepancyFormDoc(await reader.discrepancyForm(d.id)),
			false,
		);
	const changes = await between(database('cp_changes as ch').join('cp_contracts as c', 'c.id', 'ch.contract'), 'ch.date_created')
		.select('ch.id', 'c.code')
		.orderBy('ch.date_created');
	for (const ch of changes)
		await addForm(
			'changes',
			`${safeName(ch.code)}_${safeName(String(ch.id).slice(0, 8))}`,
			`合同变更通知单 Change notice ${ch.code}`,
			async () => changeNoticeDoc(await reader.changeNotice(ch.id)),
			false,
		);
	// Every complaint received in the period: its feedback handling form (8.2.1, 9.1.2).
	const complaints = await between(database('cp_complaints'), 'received_at').select('id', 'code').orderBy('received_at');
	for (const k of complaints)
		await addForm(
			'complaints',
			safeName(k.code),
			`顾客信息反馈处理单 Complaint form ${k.code}`,
			async () => complaintFormDoc(await reader.complaintForm(k.id)),
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
	});
	if (skipped.length) readme += `\r\nNot readable with your permissions, left out:\r\n${skipped.map((s) => `  ${s}`).join('\r\n')}\r\n`;
	await add(archive, readme, 'README.txt');
	await archive.finalize();
	await finished;
}
