/**
 * Complaints by e-mail (CP-1, CC-1): the mailbox setting, and what becomes of a message the
 * poller read. No I/O: the adapter (services/mail.ts) reads the mailbox, looks the facts up and
 * writes what these functions decide in one transaction.
 *
 * Worked example: a message from qa@buyer.example (on record for customer C-001) with the subject
 * "纸箱受潮塌箱" becomes a complaint of C-001 with that summary, received when the mail server
 * received it; a later message with "Re: KF-2026-0001 纸箱受潮塌箱" from the same address, or one
 * whose In-Reply-To names a message of that complaint, is an entry of KF-2026-0001's communication
 * log instead; a message from nobody on record waits in the triage list for Sales.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../errors';
import { CLOCK_SKEW_MS, TEXT_LIMITS } from '../complaints/intake';

// ------------------------------------------------------------------ the mailbox setting

export interface MailboxSetting {
	host: string;
	port: number;
	/** Implicit TLS (IMAPS, usually port 993); false = plain or STARTTLS when the server offers it. */
	tls: boolean;
	user: string;
	/** The name of the environment variable that holds the password: the secret itself is never stored. */
	secret_env: string;
	/** The folder read (default INBOX). */
	folder: string;
	/** Where a filed message is moved; null = it stays, flagged as filed. */
	done_folder: string | null;
}

const LABEL = 'Complaints mailbox / 投诉邮箱 (mailbox)';
const MAILBOX_KEYS = ['host', 'port', 'tls', 'user', 'secret_env', 'folder', 'done_folder'] as const;
/** An environment variable name, as a shell writes it. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const HOST = /^[A-Za-z0-9.-]{1,253}$|^\[[0-9A-Fa-f:.]+\]$/;

const invalid = (rule: string): never => {
	throw new DomainError('CP_INVALID_VALUE', `${LABEL}: ${rule}`, { field: 'mailbox' });
};

const folderName = (v: unknown, key: string): string => {
	if (typeof v !== 'string' || v.trim() === '' || v.length > 255 || /[\r\n\0]/.test(v)) invalid(`${key} must be a folder name`);
	return (v as string).trim();
};

/**
 * The mailbox setting with its defaults, or null when none is set (no mail intake). Refuses a
 * stored password: the setting names the environment variable that holds it (secret_env).
 */
export function parseMailbox(raw: unknown): MailboxSetting | null {
	let v = raw;
	if (v === null || v === undefined || v === '') return null;
	if (typeof v === 'string') {
		try {
			v = JSON.parse(v);
		} catch {
			invalid('must be an object {host, port, tls, user, secret_env, folder}');
		}
	}
	if (v === null) return null;
	if (typeof v !== 'object' || Array.isArray(v)) invalid('must be an object {host, port, tls, user, secret_env, folder}');
	const m = v as Record<string, unknown>;
	if (Object.hasOwn(m, 'password') || Object.hasOwn(m, 'pass') || Object.hasOwn(m, 'secret')) {
		invalid('the password is never stored in the settings: put it in an environment variable and name that variable in secret_env');
	}
	const unknown = Object.keys(m).filter((k) => !(MAILBOX_KEYS as readonly string[]).includes(k));
	if (unknown.length) invalid(`unknown key ${unknown.map((k) => JSON.stringify(k)).join(', ')} (allowed: ${MAILBOX_KEYS.join(', ')})`);
	if (typeof m.host !== 'string' || !HOST.test(m.host)) invalid('host must be the IMAP server name or address');
	const tls = m.tls === undefined ? true : m.tls;
	if (typeof tls !== 'boolean') invalid('tls must be true or false');
	const port = m.port === undefined ? (tls ? 993 : 143) : typeof m.port === 'string' && m.port.trim() !== '' ? Number(m.port) : m.port;
	if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
		invalid(`port must be a whole number 1-65535, not ${JSON.stringify(m.port)}`);
	if (typeof m.user !== 'string' || m.user.trim() === '' || m.user.length > 255) invalid('user must be the mailbox login');
	if (typeof m.secret_env !== 'string' || !ENV_NAME.test(m.secret_env)) {
		invalid('secret_env must name the environment variable holding the password (letters, digits, _), e.g. CP_MAILBOX_PASSWORD');
	}
	return {
		host: m.host as string,
		port: port as number,
		tls: tls as boolean,
		user: (m.user as string).trim(),
		secret_env: m.secret_env as string,
		folder: m.folder === undefined || m.folder === null ? 'INBOX' : folderName(m.folder, 'folder'),
		done_folder: m.done_folder === undefined || m.done_folder === null || m.done_folder === '' ? null : folderName(m.done_folder, 'done_folder'),
	};
}

// ------------------------------------------------------------------ a message

export interface InboundMessage {
	/** The Message-ID header (with or without <>), or null when the message has none. */
	messageId: string | null;
	/** In-Reply-To and References: the Message-IDs this one answers. */
	references: readonly string[];
	/** The sender's address. */
	from: string | null;
	subject: string;
	/** Plain text of the body (from HTML when the message has no text part), decoded. */
	text: string;
	/** When the mail server received it (IMAP INTERNALDATE), else the Date header. */
	receivedAt: Date | null;
}

/** '<a@b>' and 'a@b' are the same Message-ID; case is kept (it is significant left of the @). */
export const normaliseMessageId = (id: string): string => id.trim().replace(/^<+/, '').replace(/>+$/, '').trim();

/**
 * The key that guards the intake of a message: stored in the unique dedupe_key of the message's
 * log entry, written in the same transaction as the complaint, so the message is filed once
 * whatever crashes or runs twice. A message without a Message-ID is keyed by its content.
 */
export function mailKey(messageId: string | null, source?: string | Uint8Array): string {
	const basis =
		messageId && normaliseMessageId(messageId)
			? `id:${normaliseMessageId(messageId)}`
			: `src:${createHash('sha256')
					.update(source ?? '')
					.digest('hex')}`;
	return `mail:${createHash('sha256').update(basis).digest('hex')}`;
}

/** The guard keys of the messages this one answers (In-Reply-To, References). */
export const threadKeys = (msg: Pick<InboundMessage, 'references'>): string[] =>
	[...new Set(msg.references.map(normaliseMessageId).filter(Boolean))].map((id) => mailKey(id));

/** Complaint numbers (KF-YYYY-NNNN) named in a subject. */
export const complaintCodesIn = (subject: string): string[] => [...new Set((subject.match(/KF-\d{4}-\d{4,}/gi) ?? []).map((c) => c.toUpperCase()))];

export const normaliseAddress = (a: string | null | undefined): string => (a ?? '').trim().toLowerCase();

/** The addresses on record for a customer: its e-mail and its contacts' (one per line, or separated by , ; or spaces). */
export function addressesOnRecord(customer: { email?: unknown; contact_emails?: unknown }): string[] {
	const all = [customer.email, customer.contact_emails]
		.filter((v): v is string => typeof v === 'string')
		.flatMap((v) => v.split(/[\s,;]+/))
		.map(normaliseAddress)
		.filter((a) => /^[^@\s]+@[^@\s]+$/.test(a));
	return [...new Set(all)];
}

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Strips reply/forward prefixes (Re:, Fwd:, 回复:, 转发:) a subject collects in a thread. */
export const baseSubject = (subject: string): string => subject.replace(/^\s*((re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*)+/i, '').trim();

/**
 * The complaint's summary and customer feedback from a message: the subject (or the first line of
 * the body when there is none) and the body, cut to the form's limits.
 */
export function complaintText(msg: Pick<InboundMessage, 'subject' | 'text'>): { summary: string; description: string | null } {
	const body = msg.text.replace(/\r\n/g, '\n').trim();
	const subject = baseSubject(msg.subject.replace(/\s+/g, ' '));
	const firstLine = body.split('\n').find((l) => l.trim() !== '') ?? '';
	const summary = subject || firstLine.trim() || '(无主题 no subject)';
	return { summary: cut(summary, TEXT_LIMITS.summary!), description: body ? cut(body, TEXT_LIMITS.description!) : null };
}

/** When the complaint was received: the server's receipt time, never in the future (clock skew). */
export function receivedInstant(msg: Pick<InboundMessage, 'receivedAt'>, now: Date): Date {
	const t = msg.receivedAt?.getTime();
	if (t === undefined || Number.isNaN(t)) return now;
	return t > now.getTime() + CLOCK_SKEW_MS ? now : new Date(t);
}

export type TriageReason = 'unknown_sender' | 'ambiguous_sender' | 'unreadable' | 'refused';

export const TRIAGE_REASONS: Readonly<Record<TriageReason, string>> = {
	unknown_sender: '发件人不是任何顾客的登记邮箱 The sender is not on record for any customer',
	ambiguous_sender: '发件人登记在多个顾客名下 The sender is on record for several customers',
	unreadable: '邮件无法读取 The message could not be read',
	refused: '邮件内容无法作为投诉受理 The message could not be taken as a complaint',
};

export interface InboundFacts {
	/** The complaint a message of the thread (In-Reply-To/References) belongs to. */
	threadComplaint: { id: string; customer: string | null } | null;
	/** The complaints named by number in the subject. */
	namedComplaints: readonly { id: string; customer: string | null }[];
	/** The customers whose addresses on record include the sender. */
	senderCustomers: readonly string[];
}

export type InboundPlan =
	| { kind: 'reply'; complaint: string; customer: string | null }
	| { kind: 'complaint'; customer: string }
	| { kind: 'triage'; reason: TriageReason; customer: string | null };

/** NUL and the other control characters but tab and line breaks: no database keeps NUL in text, and none belongs in a complaint. */
// eslint-disable-next-line no-control-regex
export const cleanText = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');

/**
 * Whether the poller could not read a message (CP-1 "one the poller cannot read"): its subject or
 * body holds bytes the declared charset does not decode (the decoder's U+FFFD), or it has neither a
 * sender, a subject nor a body. Such a message is never taken as the customer's words: it waits in
 * the triage list with the original message attached.
 * Worked example: a body declared GB2312 with the bytes FF FF decodes to "\uFFFD\uFFFD": unreadable.
 */
export function unreadable(msg: Pick<InboundMessage, 'from' | 'subject' | 'text'>): boolean {
	if (msg.subject.includes('\uFFFD') || msg.text.includes('\uFFFD')) return true;
	return !msg.from && msg.subject.trim() === '' && msg.text.trim() === '';
}

/**
 * What a message becomes (CP-1): a message the poller could not read goes to the triage list
 * (with the customer when the sender is on record for exactly one); a reply in a complaint's thread
 * goes to its log (by In-Reply-To/References, or by the number in the subject when the sender is
 * that customer's); otherwise a new complaint of the one customer the sender is on record for;
 * otherwise the triage list.
 */
export function planInbound(facts: InboundFacts, msg?: Pick<InboundMessage, 'from' | 'subject' | 'text'>): InboundPlan {
	if (msg && unreadable(msg)) return { kind: 'triage', reason: 'unreadable', customer: facts.senderCustomers.length === 1 ? facts.senderCustomers[0]! : null };
	if (facts.threadComplaint) return { kind: 'reply', complaint: facts.threadComplaint.id, customer: facts.threadComplaint.customer };
	const named = facts.namedComplaints.filter((c) => c.customer && facts.senderCustomers.includes(c.customer));
	if (named.length === 1) return { kind: 'reply', complaint: named[0]!.id, customer: named[0]!.customer };
	if (facts.senderCustomers.length === 1) return { kind: 'complaint', customer: facts.senderCustomers[0]! };
	if (facts.senderCustomers.length > 1) return { kind: 'triage', reason: 'ambiguous_sender', customer: null };
	return { kind: 'triage', reason: 'unknown_sender', customer: null };
}

// ------------------------------------------------------------------ the written response by e-mail

/** The subject of the written response: the complaint number keeps the customer's answer in the thread. */
export const responseSubject = (code: string, summary: string): string => cut(`Re: [${code}] ${baseSubject(summary)}`, 255);

/** Message-ID for a mail we send, in the sender's domain. */
export const newMessageId = (uuid: string, from: string | null | undefined): string => {
	const domain = /@([^>\s]+)/.exec(from ?? '')?.[1] ?? 'customer-processes.local';
	return `<cp-${uuid}@${domain}>`;
};

/** Only Sales or Quality send the company's written response; the triage list is Sales's. */
export const RESPONSE_SENDERS: readonly string[] = ['sales', 'quality'];
export const TRIAGE_DEPARTMENTS: readonly string[] = ['sales'];

/**
 * CP-4: may this user mail the complaint's written response now, and to whom. Sales or Quality;
 * the response is written first; it goes to the address asked for, else the sender of the
 * customer's last e-mail, else the customer's address on record.
 */
export function planResponseMail(input: {
	actor: { departments: readonly string[]; privileged: boolean };
	responseContent: unknown;
	to?: unknown;
	lastSender?: string | null;
	customerEmail?: string | null;
}): { to: string } {
	if (!input.actor.privileged && !input.actor.departments.some((d) => RESPONSE_SENDERS.includes(d)))
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', '由市场部 Sales 或质量部 Quality 发送书面答复 / the written response is sent by Sales or Quality', {
			status: 403,
			field: 'status',
		});
	if (typeof input.responseContent !== 'string' || input.responseContent.trim() === '')
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', '请先填写书面答复内容 Write the written response (书面答复内容 Written response) first', {
			field: 'response_content',
		});
	const asked = typeof input.to === 'string' && input.to.includes('@') ? input.to.trim() : null;
	const to = asked ?? input.lastSender ?? input.customerEmail ?? null;
	if (!to || !/^[^@\s]+@[^@\s]+$/.test(to))
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', '没有顾客的邮箱 No e-mail address of the customer: give one (to)', { field: 'to' });
	return { to };
}

/**
 * CP-1: Sales's decision on a message in the triage list: file it as a complaint (or a reply to
 * one) of the customer Sales chose, or reject it with the reason. Only a pending entry is decided.
 */
export function planTriageDecision(input: {
	actor: { departments: readonly string[]; privileged: boolean };
	entry: { type?: unknown; triage_status?: unknown; customer?: unknown } | null | undefined;
	decision: unknown;
	customer?: unknown;
	note?: unknown;
}): { decision: 'assign' | 'reject'; note: string | null; customer: string | null } {
	if (!input.actor.privileged && !input.actor.departments.some((d) => TRIAGE_DEPARTMENTS.includes(d)))
		throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', '待分拣邮件由市场部 Sales 处理 / Sales decides on the triage list', {
			status: 403,
			field: 'triage_status',
		});
	const e = input.entry;
	if (!e || e.type !== 'mail_in' || !e.triage_status)
		throw new DomainError('CP_INVALID_VALUE', '该沟通记录不在待分拣清单中 / this communication is not in the triage list', { field: 'id', status: 404 });
	if (e.triage_status !== 'pending')
		throw new DomainError('CP_ACTION_NOT_ALLOWED', `该邮件已处理(${String(e.triage_status)}) / this e-mail was already ${String(e.triage_status)}`, {
			field: 'triage_status',
		});
	const note = typeof input.note === 'string' && input.note.trim() ? input.note.trim().slice(0, 2000) : null;
	if (input.decision === 'reject') {
		if (!note) throw new DomainError('CP_REQUIRED_FIELDS_MISSING', '拒绝需说明原因 / a rejection needs its reason (note)', { field: 'note' });
		return { decision: 'reject', note, customer: null };
	}
	if (input.decision === 'assign') {
		// The customer Sales picked, else the one the sender was matched to (an unreadable message from a customer on record).
		const customer = input.customer ?? e.customer;
		if (typeof customer !== 'string' || !customer)
			throw new DomainError('CP_INVALID_VALUE', '请选择顾客 / choose the customer (customer) the e-mail is from', { field: 'customer' });
		return { decision: 'assign', note, customer };
	}
	throw new DomainError('CP_INVALID_VALUE', "decision 必须为 assign 或 reject / decision must be 'assign' or 'reject'", { field: 'decision' });
}
