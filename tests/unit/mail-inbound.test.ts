// Complaints by e-mail (CP-1, CC-1): the mailbox setting and what a message becomes, no Directus.
import { describe, expect, it } from 'vitest';
import {
	addressesOnRecord,
	cleanText,
	complaintCodesIn,
	complaintText,
	mailKey,
	parseMailbox,
	planInbound,
	planResponseMail,
	planTriageDecision,
	receivedInstant,
	threadKeys,
	unreadable,
} from '../../extensions/customer-processes/src/domain/mail/inbound';
import { validateSettingsChange } from '../../extensions/customer-processes/src/domain/settings';

const refused = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		return (e as { code?: string }).code;
	}
	return null;
};

describe('CP-1 the mailbox setting', () => {
	it('fills the defaults (TLS on 993, INBOX) and keeps only the name of the password variable', () => {
		expect(parseMailbox({ host: 'imap.example.com', user: 'kf@example.com', secret_env: 'CP_MAILBOX_PASSWORD' })).toEqual({
			host: 'imap.example.com',
			port: 993,
			tls: true,
			user: 'kf@example.com',
			secret_env: 'CP_MAILBOX_PASSWORD',
			folder: 'INBOX',
			done_folder: null,
		});
		expect(parseMailbox({ host: 'imap.example.com', tls: false, user: 'kf', secret_env: 'X' })!.port).toBe(143);
		expect(parseMailbox(null)).toBeNull();
	});

	it('refuses a stored password, unknown keys, a bad port or variable name, through the settings validation', () => {
		const base = { host: 'imap.example.com', user: 'kf', secret_env: 'CP_MAILBOX_PASSWORD' };
		for (const bad of [
			{ ...base, password: 'secret' },
			{ ...base, pass: 'secret' },
			{ ...base, port: 0 },
			{ ...base, port: 65536 },
			{ ...base, secret_env: 'not a name' },
			{ ...base, host: 'imap example' },
			{ ...base, tls: 'yes' },
			{ ...base, colour: 'red' },
			{ host: 'imap.example.com', secret_env: 'X' },
			['imap.example.com'],
		]) {
			expect(
				refused(() => validateSettingsChange({ mailbox: bad }, { roleIds: [] })),
				JSON.stringify(bad),
			).toBe('CP_INVALID_VALUE');
		}
		expect(refused(() => validateSettingsChange({ mailbox: base }, { roleIds: [] }))).toBeNull();
	});
});

describe('CP-1 CC-1 what a message becomes', () => {
	const A = { id: 'a', customer: 'cust-a' };
	it('a reply in a thread goes to the thread complaint, whoever sends it', () => {
		expect(planInbound({ threadComplaint: A, namedComplaints: [], senderCustomers: [] })).toEqual({ kind: 'reply', complaint: 'a', customer: 'cust-a' });
	});
	it('a number in the subject files to that complaint only when the sender is that customer', () => {
		expect(planInbound({ threadComplaint: null, namedComplaints: [A], senderCustomers: ['cust-a'] })).toMatchObject({ kind: 'reply', complaint: 'a' });
		expect(planInbound({ threadComplaint: null, namedComplaints: [A], senderCustomers: ['cust-b'] })).toEqual({ kind: 'complaint', customer: 'cust-b' });
		expect(planInbound({ threadComplaint: null, namedComplaints: [A], senderCustomers: [] })).toMatchObject({ kind: 'triage', reason: 'unknown_sender' });
	});
	it('a new complaint for exactly one customer on record, triage otherwise', () => {
		expect(planInbound({ threadComplaint: null, namedComplaints: [], senderCustomers: ['cust-a'] })).toEqual({ kind: 'complaint', customer: 'cust-a' });
		expect(planInbound({ threadComplaint: null, namedComplaints: [], senderCustomers: ['cust-a', 'cust-b'] })).toMatchObject({
			kind: 'triage',
			reason: 'ambiguous_sender',
		});
		expect(planInbound({ threadComplaint: null, namedComplaints: [], senderCustomers: [] })).toMatchObject({ kind: 'triage', reason: 'unknown_sender' });
	});

	it('a message the poller cannot read goes to the triage list, even from a customer on record or in a thread', () => {
		// The body was declared GB2312 but held FF FF: the decoder wrote U+FFFD for it.
		const garbled = { from: 'qa@buyer-a.example', subject: '彩盒色差', text: '彩盒色差\uFFFD\uFFFD' };
		expect(unreadable(garbled)).toBe(true);
		expect(planInbound({ threadComplaint: null, namedComplaints: [], senderCustomers: ['cust-a'] }, garbled)).toEqual({
			kind: 'triage',
			reason: 'unreadable',
			customer: 'cust-a',
		});
		expect(planInbound({ threadComplaint: A, namedComplaints: [], senderCustomers: [] }, garbled)).toMatchObject({ kind: 'triage', reason: 'unreadable' });
		// Nothing read at all: no sender, no subject, no body.
		expect(unreadable({ from: null, subject: '', text: ' ' })).toBe(true);
		// Readable: a subject or body is enough, the sender may be unknown.
		expect(unreadable({ from: null, subject: 'Boxes wet', text: '' })).toBe(false);
		expect(
			planInbound(
				{ threadComplaint: null, namedComplaints: [], senderCustomers: ['cust-a'] },
				{ from: 'qa@buyer-a.example', subject: '纸箱受潮', text: '塌箱' },
			),
		).toEqual({
			kind: 'complaint',
			customer: 'cust-a',
		});
		// NUL and other control characters are dropped, tabs and line breaks kept.
		expect(cleanText('bo\u0000dy\u0007\tline\r\nnext')).toBe('body\tline\r\nnext');
	});
	it('the addresses on record are the e-mail and the contacts, compared without case', () => {
		expect(addressesOnRecord({ email: 'QA@Buyer.example', contact_emails: 'li@buyer.example\nwang@buyer.example; zhao@buyer.example, nonsense' })).toEqual([
			'qa@buyer.example',
			'li@buyer.example',
			'wang@buyer.example',
			'zhao@buyer.example',
		]);
	});

	it('the summary is the subject without Re:/回复:, the description the body, cut to the form limits', () => {
		expect(complaintText({ subject: '回复: Re: 纸箱受潮', text: '  body \r\n' })).toEqual({ summary: '纸箱受潮', description: 'body' });
		expect(complaintText({ subject: '', text: '\n第一行\n第二行' }).summary).toBe('第一行');
		const long = complaintText({ subject: 'x'.repeat(300), text: 'y'.repeat(20_000) });
		expect([long.summary.length, long.description!.length]).toEqual([255, 10_000]);
	});

	it('the guard key is the Message-ID with or without <>; a reply finds its thread by the same key', () => {
		expect(mailKey('<a1@buyer.example>')).toBe(mailKey('a1@buyer.example'));
		expect(mailKey('<a1@buyer.example>')).not.toBe(mailKey('<a2@buyer.example>'));
		expect(mailKey(null, 'raw one')).not.toBe(mailKey(null, 'raw two'));
		expect(threadKeys({ references: ['<a1@buyer.example>', 'a1@buyer.example'] })).toEqual([mailKey('a1@buyer.example')]);
		expect(mailKey('a1@buyer.example').length).toBeLessThanOrEqual(128);
	});

	it('complaint numbers are found in a subject; the receipt time is never in the future', () => {
		expect(complaintCodesIn('Re: [KF-2026-0012] 关于 kf-2026-0003')).toEqual(['KF-2026-0012', 'KF-2026-0003']);
		const now = new Date('2026-03-02T01:00:00Z');
		expect(receivedInstant({ receivedAt: new Date('2026-03-02T00:00:00Z') }, now).toISOString()).toBe('2026-03-02T00:00:00.000Z');
		expect(receivedInstant({ receivedAt: new Date('2026-03-03T00:00:00Z') }, now)).toEqual(now);
		expect(receivedInstant({ receivedAt: null }, now)).toEqual(now);
	});
});

describe('CP-4 the written response by e-mail', () => {
	const quality = { departments: ['quality'], privileged: false };
	it('goes to the address asked for, else the sender of the last mail, else the customer on record', () => {
		const base = { actor: quality, responseContent: '已补发 resent' };
		expect(planResponseMail({ ...base, to: 'buyer@acme.example', lastSender: 'a@x.example' })).toEqual({ to: 'buyer@acme.example' });
		expect(planResponseMail({ ...base, to: '', lastSender: 'a@x.example', customerEmail: 'c@x.example' })).toEqual({ to: 'a@x.example' });
		expect(planResponseMail({ ...base, customerEmail: 'c@x.example' })).toEqual({ to: 'c@x.example' });
	});
	it('is refused before the response is written, without an address, and for departments other than Sales and Quality', () => {
		expect(() => planResponseMail({ actor: quality, responseContent: '  ', customerEmail: 'c@x.example' })).toThrow(/Written response/);
		expect(() => planResponseMail({ actor: quality, responseContent: 'ok' })).toThrow(/e-mail address/);
		expect(() => planResponseMail({ actor: { departments: ['production'], privileged: false }, responseContent: 'ok', customerEmail: 'c@x.example' })).toThrow(
			/Sales or Quality/,
		);
	});
});

describe('CP-1 Sales decides on the triage list', () => {
	const sales = { departments: ['sales'], privileged: false };
	const pending = { type: 'mail_in', triage_status: 'pending', customer: null };
	it('files it for the customer Sales picked, else the one the sender was matched to; a rejection gives its reason', () => {
		expect(planTriageDecision({ actor: sales, entry: pending, decision: 'assign', customer: 'c-1' })).toEqual({
			decision: 'assign',
			note: null,
			customer: 'c-1',
		});
		expect(planTriageDecision({ actor: sales, entry: { ...pending, customer: 'c-2' }, decision: 'assign' })).toMatchObject({ customer: 'c-2' });
		expect(() => planTriageDecision({ actor: sales, entry: pending, decision: 'assign' })).toThrow(/customer/);
		expect(() => planTriageDecision({ actor: sales, entry: pending, decision: 'reject', note: ' ' })).toThrow(/reason/);
		expect(planTriageDecision({ actor: sales, entry: pending, decision: 'reject', note: '广告 advertising' })).toMatchObject({ decision: 'reject' });
	});
	it('is Sales’s, and only for a pending e-mail', () => {
		expect(() => planTriageDecision({ actor: { departments: ['quality'], privileged: false }, entry: pending, decision: 'reject', note: 'x' })).toThrow(
			/Sales/,
		);
		expect(() => planTriageDecision({ actor: sales, entry: { ...pending, triage_status: 'assigned' }, decision: 'reject', note: 'x' })).toThrow(/already/);
		expect(() => planTriageDecision({ actor: sales, entry: { type: 'visit', triage_status: null }, decision: 'reject', note: 'x' })).toThrow(/triage list/);
	});
});
