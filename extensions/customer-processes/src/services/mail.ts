// Complaints by e-mail (CP-1, CC-1): the mailbox poller, the triage decision and the written
// response sent by e-mail. Thin: read the mailbox (ImapFlow), parse (mailparser), look the facts
// up, ask domain/mail/inbound.ts, write in one transaction, audit; mark the message on the server
// only after that transaction committed.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { ParsedMail, AddressObject } from 'mailparser';
import { mailVendor } from './vendor';
import { loadSettings, type ActorInfo, type Settings } from './context';
import { appendAudit } from './audit';
import { complaintIntake, json, toDate } from './complaints';
import { lockRow } from './db';
import { DomainError, isDomainError } from '../domain/errors';
import {
	addressesOnRecord,
	cleanText,
	complaintCodesIn,
	complaintText,
	mailKey,
	newMessageId,
	normaliseAddress,
	normaliseMessageId,
	parseMailbox,
	planInbound,
	planResponseMail,
	planTriageDecision,
	receivedInstant,
	responseSubject,
	threadKeys,
	TRIAGE_REASONS,
	type InboundMessage,
	type InboundPlan,
	type TriageReason,
} from '../domain/mail/inbound';
import { COMMUNICATION_TEXT_LIMITS } from '../domain/communication/communication';
import * as clock from './clock';
import { cachePurger } from './cache';
import type { HookApi } from './contract-review';

/** The IMAP keyword a filed message gets (the message stays unread for the people who read the mailbox). */
export const FILED_KEYWORD = '$CpFiled';
/** Messages filed per poll; the rest wait for the next one. */
const BATCH = 50;

/** The mailbox writes as itself: audited as 'mailbox', the intake runs as the engine. */
const MAILBOX: ActorInfo = { userId: null, isAdmin: false, departments: ['mailbox'], system: false };

export interface MailDeps {
	database: Knex;
	services: any;
	getSchema: () => Promise<any>;
	env: Record<string, any>;
	logger: { warn: (...a: any[]) => void; error: (...a: any[]) => void; info?: (...a: any[]) => void };
}

export interface FileOutcome {
	key: string;
	kind: 'complaint' | 'reply' | 'triage' | 'already';
	communication?: string;
	complaint?: string | null;
	code?: string | null;
	reason?: TriageReason;
}

const cut = (s: string | null | undefined, max: number) => (s && s.length > max ? `${s.slice(0, max - 1)}…` : (s ?? null));
const firstAddress = (a: AddressObject | AddressObject[] | undefined): string | null => {
	const list = Array.isArray(a) ? a : a ? [a] : [];
	for (const o of list) for (const v of o.value ?? []) if (v.address) return normaliseAddress(v.address);
	return null;
};
const asList = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? v.split(/\s+/) : []).filter(Boolean);

/** A parsed message as the domain sees it; null when the source cannot be parsed at all. */
async function readMessage(source: Buffer, internalDate: Date | null): Promise<{ msg: InboundMessage; parsed: ParsedMail } | null> {
	let parsed: ParsedMail;
	try {
		parsed = await mailVendor().simpleParser(source, { skipImageLinks: true });
	} catch {
		return null;
	}
	// mailparser decodes the charsets (GB2312/GBK/GB18030, UTF-8, ...) and makes text from HTML.
	const text = (parsed.text ?? '').trim();
	return {
		parsed,
		msg: {
			messageId: parsed.messageId ?? null,
			references: [...asList(parsed.inReplyTo), ...asList(parsed.references)],
			from: firstAddress(parsed.from),
			subject: cleanText(parsed.subject ?? ''),
			text: cleanText(text),
			receivedAt: internalDate ?? parsed.date ?? null,
		},
	};
}

/** The customers (not archived) whose e-mail or contacts' addresses include `from`. */
async function customersOf(knex: Knex, from: string | null): Promise<string[]> {
	if (!from) return [];
	const rows = await knex('cp_customers')
		.whereNot('status', 'archived')
		.where((q) => q.whereRaw('LOWER(email) = ?', [from]).orWhereRaw('LOWER(contact_emails) LIKE ?', [`%${from.replace(/[%_\\]/g, '')}%`]))
		.select('id', 'email', 'contact_emails');
	return rows.filter((r: any) => addressesOnRecord(r).includes(from)).map((r: any) => String(r.id));
}

async function inboundFacts(knex: Knex, msg: InboundMessage) {
	const keys = threadKeys(msg);
	const thread = keys.length
		? await knex('cp_communications as m').join('cp_complaints as c', 'c.id', 'm.complaint').whereIn('m.dedupe_key', keys).first('c.id', 'c.customer')
		: null;
	const codes = complaintCodesIn(msg.subject);
	const named = codes.length ? await knex('cp_complaints').whereIn('code', codes).select('id', 'customer') : [];
	const str = (r: any) => ({ id: String(r.id), customer: r.customer ? String(r.customer) : null });
	return { threadComplaint: thread ? str(thread) : null, namedComplaints: named.map(str), senderCustomers: await customersOf(knex, msg.from) };
}

/**
 * Stores the attachments as Directus files, in the transaction; returns their ids and names. With
 * `raw` (a message the poller could not read) the original message is stored too, as message.eml,
 * so Sales can open it from the triage list.
 */
async function storeAttachments(deps: MailDeps, trx: Knex, parsed: ParsedMail | null, raw: Buffer | null, label: string) {
	const files: { id: string; filename: string; type: string; size: number }[] = [];
	const items: { filename: string; contentType: string; content: Buffer }[] = [
		...(parsed?.attachments ?? []).map((a, i) => ({
			filename: a.filename || `attachment-${i + 1}`,
			contentType: a.contentType || 'application/octet-stream',
			content: a.content,
		})),
		...(raw ? [{ filename: 'message.eml', contentType: 'message/rfc822', content: raw }] : []),
	];
	if (!items.length) return files;
	const service = new deps.services.FilesService({ knex: trx, schema: await deps.getSchema(), accountability: null });
	for (const a of items) {
		const id = await service.uploadOne(
			Readable.from(a.content),
			{ filename_download: a.filename, title: a.filename, type: a.contentType, description: label },
			undefined,
			{ emitEvents: false },
		);
		files.push({ id: String(id), filename: a.filename, type: a.contentType, size: a.content.length });
	}
	return files;
}

/**
 * Files one message (CP-1): in one transaction, the guard row (its log entry, keyed by the
 * message id in a unique column), the complaint or the reply or the triage entry, the attachments
 * and the audit. A message already filed (a crash before it was marked, another instance) is
 * recognised by the guard and only answered 'already'.
 */
export async function fileMessage(deps: MailDeps, source: Buffer, internalDate: Date | null, settings: Settings, now = clock.now()): Promise<FileOutcome> {
	const knex = deps.database;
	const read = await readMessage(source, internalDate);
	const key = mailKey(read?.msg.messageId ?? null, source);
	if (await knex('cp_communications').where('dedupe_key', key).first('id')) return { key, kind: 'already' };
	const receivedAt = receivedInstant({ receivedAt: read?.msg.receivedAt ?? internalDate }, now);
	const commId = randomUUID();
	try {
		return await knex.transaction(async (trx) => {
			const msg = read?.msg ?? null;
			// The claim first: a second instance filing the same message waits here, then fails on the key.
			await trx('cp_communications').insert({
				id: commId,
				type: 'mail_in',
				channel: 'mail',
				occurred_at: receivedAt,
				summary: cut(msg?.subject || null, COMMUNICATION_TEXT_LIMITS.summary!),
				findings: cut(msg?.text || null, COMMUNICATION_TEXT_LIMITS.findings!),
				mail_from: cut(msg?.from ?? null, 255),
				message_id: msg?.messageId ? cut(normaliseMessageId(msg.messageId), 998) : null,
				dedupe_key: key,
				date_created: now,
			});
			let plan: InboundPlan = msg ? planInbound(await inboundFacts(trx, msg), msg) : { kind: 'triage', reason: 'unreadable', customer: null };
			let complaint: { id: string; code: string } | null = null;
			let note: string | null = null;
			if (plan.kind === 'complaint' && msg) {
				const text = complaintText(msg);
				try {
					const row = await complaintIntake(
						trx,
						{ customer: plan.customer, channel: 'mail', summary: text.summary, description: text.description, received_at: receivedAt.toISOString() },
						{ ...MAILBOX, system: true },
						settings,
						now,
					);
					const id = randomUUID();
					const asDates = Object.fromEntries(['received_at', 'response_due_at', 'resolution_due_at'].map((f) => [f, toDate((row as any)[f]) ?? null]));
					await trx('cp_complaints').insert({ ...row, ...asDates, id, date_created: now });
					await appendAudit(
						trx,
						MAILBOX,
						[
							{
								collection: 'cp_complaints',
								item: id,
								action: 'create',
								to_status: 'received',
								data: { via: 'mail', message_id: msg.messageId, from: msg.from },
							},
						],
						now,
					);
					complaint = { id, code: String(row.code) };
				} catch (e) {
					if (!isDomainError(e)) throw e;
					const existing = (e as DomainError).details as { existing_id?: unknown } | undefined;
					// CP-1 duplicates as today: the same complaint again is an entry of the one on record.
					if ((e as DomainError).code === 'CP_DUPLICATE_COMPLAINT' && existing?.existing_id) {
						plan = { kind: 'reply', complaint: String(existing.existing_id), customer: plan.customer };
					} else {
						plan = { kind: 'triage', reason: 'refused', customer: plan.customer };
						note = (e as Error).message;
					}
				}
			}
			const target = plan.kind === 'reply' ? plan.complaint : (complaint?.id ?? null);
			const code = complaint?.code ?? (target ? (await trx('cp_complaints').where('id', target).first('code'))?.code : null) ?? null;
			const unread = plan.kind === 'triage' && plan.reason === 'unreadable';
			const files = await storeAttachments(deps, trx, read?.parsed ?? null, unread ? source : null, code ? `${code} e-mail` : 'e-mail (triage)');
			await trx('cp_communications')
				.where('id', commId)
				.update({
					customer: plan.customer,
					complaint: target,
					attachments: json(files),
					triage_status: plan.kind === 'triage' ? 'pending' : null,
					triage_note: plan.kind === 'triage' ? cut(note ? `${TRIAGE_REASONS[plan.reason]}: ${note}` : TRIAGE_REASONS[plan.reason], 10_000) : null,
				});
			await appendAudit(
				trx,
				MAILBOX,
				[
					{
						collection: 'cp_communications',
						item: commId,
						action: 'create',
						data: { via: 'mail', kind: plan.kind, message_id: msg?.messageId ?? null, from: msg?.from ?? null, complaint: code },
					},
					...(plan.kind === 'reply'
						? [{ collection: 'cp_complaints', item: plan.complaint, action: 'mail_received', data: { communication: commId, from: msg?.from ?? null } }]
						: []),
				],
				now,
			);
			return {
				key,
				kind: plan.kind === 'complaint' && complaint ? 'complaint' : plan.kind,
				communication: commId,
				complaint: target,
				code,
				...(plan.kind === 'triage' ? { reason: plan.reason } : {}),
			} as FileOutcome;
		});
	} catch (e) {
		// Filed meanwhile by another instance: the key says so (the transaction rolled back whole).
		if (await knex('cp_communications').where('dedupe_key', key).first('id')) return { key, kind: 'already' };
		throw e;
	}
}

export interface PollResult {
	configured: boolean;
	seen: number;
	filed: FileOutcome[];
	already: number;
	failed: number;
	error?: string;
}

/** Per process: a tick that finds the previous one still running skips (the database guards across processes). */
let running = false;

/**
 * Reads the mailbox once (CP-1): every message not yet marked filed is filed, then marked (and
 * moved when done_folder is set). With `crashAfterCommit` (tests only) the process dies after the
 * first commit, before the mark, as a crash there would.
 */
export async function pollMailbox(deps: MailDeps, opts: { crashAfterCommit?: boolean } = {}): Promise<PollResult> {
	const result: PollResult = { configured: false, seen: 0, filed: [], already: 0, failed: 0 };
	const settings = await loadSettings(deps.database);
	const box = parseMailbox(settings.mailbox);
	if (!box) return result;
	result.configured = true;
	const secret = deps.env[box.secret_env] ?? process.env[box.secret_env];
	if (secret === undefined || secret === null || secret === '') {
		throw new DomainError(
			'CP_INVALID_VALUE',
			`投诉邮箱的密码环境变量 ${box.secret_env} 未设置 The environment variable ${box.secret_env} named in the mailbox setting is not set`,
			{
				field: 'mailbox',
			},
		);
	}
	if (running) return { ...result, error: 'a poll is already running in this process' };
	const { ImapFlow } = mailVendor();
	const client = new ImapFlow({
		host: box.host,
		port: box.port,
		secure: box.tls,
		auth: { user: box.user, pass: String(secret) },
		logger: false,
		connectionTimeout: 15_000,
	});
	client.on('error', (e: unknown) => deps.logger.warn(e, '[customer-processes] mailbox connection error'));
	running = true;
	try {
		await client.connect();
		const lock = await client.getMailboxLock(box.folder);
		try {
			const uids = (await client.search({ unKeyword: FILED_KEYWORD }, { uid: true })) || [];
			result.seen = uids.length;
			for (const uid of uids.slice(0, BATCH)) {
				const m = await client.fetchOne(String(uid), { source: true, internalDate: true }, { uid: true });
				if (!m || !m.source) continue;
				let outcome: FileOutcome;
				try {
					outcome = await fileMessage(deps, m.source, m.internalDate ? new Date(m.internalDate) : null, settings);
				} catch (e) {
					// Not filed (the database refused, e.g. busy): left unmarked, the next poll files it.
					result.failed++;
					deps.logger.error(e, `[customer-processes] mail ${uid} could not be filed; it stays in the mailbox for the next poll`);
					continue;
				}
				if (outcome.kind === 'already') result.already++;
				else result.filed.push(outcome);
				if (opts.crashAfterCommit) process.kill(process.pid, 'SIGKILL');
				// Only now, after the commit: a crash before this line leaves the message unmarked, and
				// the next poll finds its key and only marks it.
				await client.messageFlagsAdd(String(uid), [FILED_KEYWORD], { uid: true });
				if (box.done_folder) await client.messageMove(String(uid), box.done_folder, { uid: true });
			}
		} finally {
			lock.release();
		}
		await client.logout();
	} catch (e) {
		client.close();
		throw e;
	} finally {
		running = false;
	}
	return result;
}

// ------------------------------------------------------------------ triage (Sales)

/**
 * Sales files a triage entry (CP-1): `assign` to a customer (a new complaint from the message, or,
 * with `complaint`, an entry of that complaint's log) or `reject` with the reason. Once only.
 */
export async function decideTriage(
	deps: MailDeps,
	id: string,
	body: { decision?: unknown; customer?: unknown; complaint?: unknown; note?: unknown },
	actor: ActorInfo,
	now = clock.now(),
) {
	const settings = await loadSettings(deps.database);
	return deps.database.transaction(async (trx) => {
		const entry = await lockRow(trx, 'cp_communications', id).catch(() => null);
		const plan = planTriageDecision({
			actor: { departments: actor.departments, privileged: actor.isAdmin },
			entry,
			decision: body.decision,
			customer: body.customer,
			note: body.note,
		});
		const note = plan.note;
		let update: Record<string, unknown>;
		let code: string | null = null;
		if (plan.decision === 'reject') {
			update = { triage_status: 'rejected', triage_note: note };
		} else {
			const customer = await trx('cp_customers')
				.where('id', String(plan.customer))
				.first('id', 'status')
				.catch(() => null);
			if (!customer) throw new DomainError('CP_INVALID_VALUE', '请选择顾客 Choose the customer (customer) the e-mail is from', { field: 'customer' });
			let complaintId: string;
			if (body.complaint !== undefined && body.complaint !== null) {
				const c =
					typeof body.complaint === 'string'
						? await trx('cp_complaints')
								.where('id', body.complaint)
								.first('id', 'code', 'customer')
								.catch(() => null)
						: null;
				if (!c || String(c.customer) !== String(customer.id)) {
					throw new DomainError('CP_INVALID_VALUE', "该投诉不属于所选顾客 The complaint is not one of this customer's", { field: 'complaint' });
				}
				complaintId = String(c.id);
				code = c.code;
				await appendAudit(
					trx,
					actor,
					[{ collection: 'cp_complaints', item: complaintId, action: 'mail_received', data: { communication: id, via: 'triage' } }],
					now,
				);
			} else {
				const text = complaintText({ subject: entry.summary ?? '', text: entry.findings ?? '' });
				const row = await complaintIntake(
					trx,
					{
						customer: String(customer.id),
						channel: 'mail',
						summary: text.summary,
						description: text.description,
						received_at: toDate(entry.occurred_at)!.toISOString(),
					},
					{ ...actor, system: true },
					settings,
					now,
				);
				complaintId = randomUUID();
				const asDates = Object.fromEntries(['received_at', 'response_due_at', 'resolution_due_at'].map((f) => [f, toDate((row as any)[f]) ?? null]));
				await trx('cp_complaints').insert({ ...row, ...asDates, id: complaintId, date_created: now, user_created: actor.userId });
				code = String(row.code);
				await appendAudit(
					trx,
					actor,
					[
						{
							collection: 'cp_complaints',
							item: complaintId,
							action: 'create',
							to_status: 'received',
							data: { via: 'mail', triage: id, message_id: entry.message_id },
						},
					],
					now,
				);
			}
			update = { triage_status: 'assigned', customer: String(customer.id), complaint: complaintId, ...(note ? { triage_note: note } : {}) };
		}
		const n = await trx('cp_communications')
			.where({ id, triage_status: 'pending' })
			.update({ ...update, date_updated: now, user_updated: actor.userId });
		if (n !== 1) throw new DomainError('CP_ACTION_NOT_ALLOWED', 'This e-mail was filed meanwhile', { field: 'triage_status' });
		await appendAudit(
			trx,
			actor,
			[
				{
					collection: 'cp_communications',
					item: id,
					action: 'triage',
					from_status: 'pending',
					to_status: String(update.triage_status),
					data: { complaint: code, note },
				},
			],
			now,
		);
		return { id, triage_status: update.triage_status, complaint: update.complaint ?? null, code };
	});
}

// ------------------------------------------------------------------ the written response by e-mail

/**
 * Sends the complaint's written response to the customer (CP-4 "书面答复"), in the thread of the
 * customer's e-mails (In-Reply-To the last one received, References all of them), through Directus's
 * MailService, then records it in the complaint's communication log with its Message-ID, so that the
 * customer's answer comes back to this complaint.
 */
export async function sendResponse(deps: MailDeps, complaintId: string, body: { to?: unknown }, actor: ActorInfo, now = clock.now()) {
	const knex = deps.database;
	const c = await knex('cp_complaints')
		.where('id', complaintId)
		.first('id', 'code', 'summary', 'customer', 'response_content')
		.catch(() => null);
	if (!c) throw new DomainError('CP_INVALID_VALUE', `complaint '${complaintId}' does not exist`, { field: 'id', status: 404 });
	const mails = await knex('cp_communications')
		.where({ complaint: c.id })
		.whereIn('type', ['mail_in', 'mail_out'])
		.orderBy([{ column: 'occurred_at' }, { column: 'date_created' }])
		.select('type', 'message_id', 'mail_from');
	const lastIn = [...mails].reverse().find((m: any) => m.type === 'mail_in' && m.mail_from);
	const customer = await knex('cp_customers').where('id', c.customer).first('email');
	const { to } = planResponseMail({
		actor: { departments: actor.departments, privileged: actor.isAdmin },
		responseContent: c.response_content,
		to: body.to,
		lastSender: lastIn?.mail_from ?? null,
		customerEmail: customer?.email ?? null,
	});
	const ids = mails.map((m: any) => m.message_id).filter(Boolean) as string[];
	const messageId = newMessageId(randomUUID(), String(deps.env.EMAIL_FROM ?? ''));
	const lastId = [...mails].reverse().find((m: any) => m.message_id)?.message_id ?? null;
	const subject = responseSubject(String(c.code), String(c.summary ?? ''));
	const text = String(c.response_content);
	const service = new deps.services.MailService({ schema: await deps.getSchema(), knex });
	await service.send({
		to,
		subject,
		text,
		messageId,
		...(lastId ? { inReplyTo: `<${lastId}>`, references: ids.map((i) => `<${i}>`).join(' ') } : {}),
	});
	const commId = randomUUID();
	await knex.transaction(async (trx) => {
		await trx('cp_communications').insert({
			id: commId,
			type: 'mail_out',
			channel: 'mail',
			customer: c.customer,
			complaint: c.id,
			occurred_at: now,
			summary: cut(subject, 255),
			findings: cut(text, COMMUNICATION_TEXT_LIMITS.findings!),
			mail_from: cut(String(deps.env.EMAIL_FROM ?? '') || null, 255),
			message_id: normaliseMessageId(messageId),
			dedupe_key: mailKey(messageId),
			date_created: now,
			user_created: actor.userId,
		});
		await appendAudit(
			trx,
			actor,
			[{ collection: 'cp_complaints', item: c.id, action: 'response_mailed', data: { to, message_id: normaliseMessageId(messageId), communication: commId } }],
			now,
		);
	});
	return { communication: commId, to, subject, message_id: normaliseMessageId(messageId), in_reply_to: lastId };
}

// ------------------------------------------------------------------ registration

export function registerMail(api: HookApi): void {
	const { schedule, database, env, logger } = api;
	const purge = cachePurger(api);
	// CP_MAIL_CRON: when the complaints mailbox is read (default every minute; nothing without a
	// mailbox setting). Directus's synchronized schedule fires each tick on one instance; the
	// message-id key in the database guards the rest (overlapping ticks, a poll by hand).
	schedule(String(env.CP_MAIL_CRON ?? '*/1 * * * *'), async () => {
		try {
			const r = await pollMailbox({ database, services: api.services, getSchema: api.getSchema, env, logger });
			if (r.filed.length) await purge();
		} catch (e) {
			logger.error(e, '[customer-processes] mailbox poll failed');
		}
	});
}
