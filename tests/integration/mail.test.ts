// Complaints by e-mail (CP-1, CC-1) against a real IMAP server: a private Dovecot started by the
// test (tests/harness/dovecot.mjs), messages delivered by IMAP APPEND with their server receipt
// time, and two Directus instances on one database reading the same mailbox. The polls run through
// POST /cp/jobs/mail-poll (the schedule is set to yearly here, CP_MAIL_CRON).
// Without Dovecot installed the file reports itself skipped; in CI (CI=true) that is a failure.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../harness/harness.mjs';
import { dovecotAvailable, startDovecot } from '../harness/dovecot.mjs';
import { token } from '../harness/client';
import { Cluster, countOf, eventually, uid } from '../scale/lib';

const AVAILABLE = dovecotAvailable();
const CI = process.env.CI === 'true';
const SECRET_ENV = 'CP_TEST_MAILBOX_PASSWORD';
const FILED = '$CpFiled';
const H = 3600e3;

if (!AVAILABLE) console.warn('[mail.test] skipped: Dovecot is not installed (apt-get install dovecot-imapd); CI installs it in .ci/run');

describe.runIf(CI && !AVAILABLE)('CP-1 complaints by e-mail in CI', () => {
	it('needs Dovecot (apt-get install dovecot-imapd in .ci/run)', () => {
		expect(AVAILABLE, 'dovecot is not installed on the CI machine').toBe(true);
	});
});

type Dovecot = Awaited<ReturnType<typeof startDovecot>>;

// ---------------------------------------------------------------- building messages by hand (RFC 5322 / 2045)

const b64 = (b: Buffer | string) => (typeof b === 'string' ? Buffer.from(b, 'utf8') : b).toString('base64').replace(/.{76}/g, '$&\r\n');
const word = (text: string, charset: string) =>
	`=?${charset}?B?${(charset === 'UTF-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, charset)).toString('base64')}?=`;
const encoded = (text: string, charset: string) => (charset === 'UTF-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, charset));

interface MessageSpec {
	from: string;
	subject: string;
	charset?: string;
	text?: string;
	html?: string;
	messageId?: string;
	inReplyTo?: string;
	references?: string[];
	attachments?: { filename: string; type: string; content: Buffer }[];
}

function message(m: MessageSpec): { raw: string; messageId: string } {
	const charset = m.charset ?? 'UTF-8';
	const messageId = m.messageId ?? `<${randomUUID()}@buyer.example>`;
	const headers = [
		`From: ${m.from}`,
		'To: complaints@factory.example',
		`Subject: ${word(m.subject, charset)}`,
		`Date: ${new Date().toUTCString()}`,
		`Message-ID: ${messageId}`,
		...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`] : []),
		...(m.references ? [`References: ${m.references.join(' ')}`] : []),
		'MIME-Version: 1.0',
	];
	const part = (type: string, body: string) =>
		[`Content-Type: ${type}; charset=${charset}`, 'Content-Transfer-Encoding: base64', '', b64(encoded(body, charset))].join('\r\n');
	const body = m.html !== undefined ? part('text/html', m.html) : part('text/plain', m.text ?? '');
	if (!m.attachments?.length) return { raw: [...headers, body].join('\r\n') + '\r\n', messageId };
	const boundary = `b-${randomUUID()}`;
	const parts = [
		body,
		...m.attachments.map((a) =>
			[
				`Content-Type: ${a.type}; name="${word(a.filename, 'UTF-8')}"`,
				`Content-Disposition: attachment; filename="${word(a.filename, 'UTF-8')}"`,
				'Content-Transfer-Encoding: base64',
				'',
				b64(a.content),
			].join('\r\n'),
		),
	];
	return {
		raw: [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...parts.map((p) => `--${boundary}\r\n${p}`), `--${boundary}--`, ''].join(
			'\r\n',
		),
		messageId,
	};
}

describe.skipIf(!AVAILABLE)('CP-1 CC-1 complaints by e-mail (Dovecot)', () => {
	let dovecot: Dovecot;
	let c: Cluster;
	let imap: ImapFlow;
	const A = { email: `qa-${process.pid}@buyer-a.example`, contact: `li.lei-${process.pid}@buyer-a.example` };
	const B = { email: `qc-${process.pid}@buyer-b.example` };
	let customerA: string;
	let customerB: string;

	/** Delivers a message into INBOX with the server's receipt time (IMAP APPEND with INTERNALDATE). */
	const deliver = async (m: MessageSpec, receivedAt = new Date(Date.now() - H)) => {
		const msg = message(m);
		await imap.append('INBOX', msg.raw, [], receivedAt);
		return { ...msg, receivedAt };
	};
	const poll = async (i = 0, body: Record<string, unknown> = {}) => {
		const r = await c.ok('admin', 'POST', '/cp/jobs/mail-poll', body, i);
		// A message the instance could not file stays for the next poll; say why (the server's log).
		if (r.failed) console.warn(`[mail.test] instance ${i}: ${r.failed} not filed\n${c.h.servers[i]!.output.slice(-6).join('')}`);
		return r;
	};
	const logOf = (messageId: string) => c.db()('cp_communications').where('message_id', messageId.replace(/^<|>$/g, '')).first();
	const complaintsWith = (summary: string) => c.db()('cp_complaints').where('summary', summary).select();
	/** UIDs of the messages not yet marked filed on the server. */
	const unfiled = async () => {
		// A fresh session: a selected mailbox may show another session's flag changes only later.
		const look = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
		await look.connect();
		try {
			await look.mailboxOpen('INBOX', { readOnly: true });
			return ((await look.search({ unKeyword: FILED }, { uid: true })) || []) as number[];
		} finally {
			await look.logout();
		}
	};
	const ms = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === 'number' || /^\d+$/.test(String(v)) ? Number(v) : new Date(String(v)).getTime());

	beforeAll(async () => {
		dovecot = await startDovecot();
		const h = await startHarness({
			instances: 2,
			log: () => undefined,
			extraConfig: { CP_MAIL_CRON: '0 0 1 1 *', [SECRET_ENV]: dovecot.password },
		});
		c = new Cluster(h);
		imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
		await imap.connect();
		customerA = (
			await c.ok('sales', 'POST', '/items/cp_customers', {
				code: uid('MA'),
				name: '甲方包装采购 Buyer A',
				email: A.email,
				contact_emails: `${A.contact}\nwang-${process.pid}@buyer-a.example`,
				is_new: false,
			})
		).id;
		customerB = (await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('MB'), name: 'Buyer B', email: B.email, is_new: false })).id;
		await c.ok('admin', 'PATCH', '/items/cp_settings', {
			response_mode: 'calendar_hours',
			response_hours: 72,
			mailbox: { host: dovecot.host, port: dovecot.port, tls: false, user: dovecot.user, secret_env: SECRET_ENV, folder: 'INBOX' },
		});
	});
	afterAll(async () => {
		await imap?.logout().catch(() => undefined);
		await c?.close();
		await dovecot?.stop();
	});

	it('CP-1 the mailbox setting names the environment variable of the password and is refused with a stored password or a bad port', async () => {
		const good = { host: dovecot.host, port: dovecot.port, tls: false, user: dovecot.user, secret_env: SECRET_ENV };
		const stored = await c.http('admin', 'PATCH', '/items/cp_settings', { mailbox: { ...good, password: dovecot.password } });
		expect([stored.status, stored.code]).toEqual([400, 'CP_INVALID_VALUE']);
		expect(stored.message).toContain('投诉邮箱');
		const port = await c.http('admin', 'PATCH', '/items/cp_settings', { mailbox: { ...good, port: 70000 } });
		expect([port.status, port.code]).toEqual([400, 'CP_INVALID_VALUE']);
		const row = await c.db()('cp_settings').first('mailbox');
		expect(JSON.stringify(row.mailbox)).not.toContain(dovecot.password);
	});

	it('CP-1 a plain UTF-8 message from a contact on record becomes a numbered complaint received when the server received it; the same complaint again is no second one', async () => {
		// Worked example: received Monday 2 March 2026 09:00 Shanghai (01:00 UTC), 72 calendar hours: response due Thursday 5 March 09:00.
		const receivedAt = new Date('2026-03-02T01:00:00Z');
		const subject = `纸箱受潮塌箱 ${process.pid}`;
		const m = await deliver(
			{ from: `李雷 <${A.contact}>`, subject, text: '第 2026-02 批纸箱到货后受潮塌箱，请尽快处理。\r\nThe cartons of batch 2026-02 collapsed.' },
			receivedAt,
		);
		const r = await poll();
		expect(r.configured).toBe(true);
		const [k] = await complaintsWith(subject);
		expect(k, 'complaint filed').toBeTruthy();
		expect(k.code).toMatch(/^KF-2026-\d{4}$/);
		expect([k.customer, k.channel, k.status]).toEqual([customerA, 'mail', 'received']);
		expect(k.description).toContain('第 2026-02 批纸箱到货后受潮塌箱');
		expect(ms(k.received_at)).toBe(receivedAt.getTime());
		expect(ms(k.response_due_at)).toBe(new Date('2026-03-05T01:00:00Z').getTime());
		const log = await logOf(m.messageId);
		expect([log.type, log.channel, log.complaint, log.customer, log.mail_from, log.triage_status]).toEqual([
			'mail_in',
			'mail',
			k.id,
			customerA,
			A.contact,
			null,
		]);
		expect(await countOf(c.db()('cp_audit').where({ collection: 'cp_complaints', item: k.id, action: 'create' }))).toBe(1);
		expect(await unfiled()).toEqual([]);
		// The printed feedback handling form shows where it came from.
		const form = await fetch(`${c.url()}/cp/complaints/${k.id}/form`, { headers: { authorization: `Bearer ${await token('quality', c.url())}` } });
		const html = await form.text();
		expect(form.status).toBe(200);
		for (const shown of [k.code, subject, '邮件']) expect(html, shown).toContain(shown);

		// The customer sends the same complaint again the same day (another message): an entry of the first.
		const again = await deliver({ from: A.email, subject, text: '再次反馈 again' }, new Date('2026-03-02T03:00:00Z'));
		await poll(1);
		expect((await complaintsWith(subject)).length).toBe(1);
		expect((await logOf(again.messageId)).complaint).toBe(k.id);
	});

	it('CP-1 an HTML-only GB2312 message and a GBK message are decoded, the HTML as plain text', async () => {
		const subjectGb = `投诉：印刷色差严重 ${process.pid}`;
		await deliver({
			from: A.email,
			charset: 'GB2312',
			subject: subjectGb,
			html: '<html><body><p>本批<b>彩盒</b>印刷色差严重，</p><p>客户拒收。</p></body></html>',
		});
		// 镕 is in GBK but not in GB2312.
		const subjectGbk = `纸箱尺寸偏差 朱镕 ${process.pid}`;
		await deliver({ from: A.email, charset: 'GBK', subject: subjectGbk, text: '尺寸偏差 3 毫米，检验员：朱镕。' });
		await poll();
		const [gb] = await complaintsWith(subjectGb);
		expect(gb, 'GB2312 subject decoded').toBeTruthy();
		expect(gb.description).toContain('本批彩盒印刷色差严重');
		expect(gb.description).toContain('客户拒收');
		expect(gb.description).not.toMatch(/<\/?[a-z]+>/);
		const [gbk] = await complaintsWith(subjectGbk);
		expect(gbk, 'GBK subject decoded').toBeTruthy();
		expect(gbk.description).toContain('尺寸偏差 3 毫米，检验员：朱镕。');
	});

	it('CP-1 attachments are stored as Directus files linked to the complaint', async () => {
		const subject = `附件：不良品照片 ${process.pid}`;
		const photo = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(randomUUID())]);
		const report = Buffer.from('%PDF-1.4\n% 检验报告 inspection report\n');
		const m = await deliver({
			from: A.email,
			subject,
			text: '照片与检验报告见附件。',
			attachments: [
				{ filename: '不良品.png', type: 'image/png', content: photo },
				{ filename: 'report.pdf', type: 'application/pdf', content: report },
			],
		});
		await poll();
		const [k] = await complaintsWith(subject);
		expect(k).toBeTruthy();
		const log = await logOf(m.messageId);
		expect(log.complaint).toBe(k.id);
		const files = typeof log.attachments === 'string' ? JSON.parse(log.attachments) : log.attachments;
		expect(files.map((f: any) => f.filename)).toEqual(['不良品.png', 'report.pdf']);
		for (const [f, bytes] of [
			[files[0], photo],
			[files[1], report],
		] as const) {
			const row = await c.db()('directus_files').where('id', f.id).first('filename_download', 'type', 'description');
			expect(row.filename_download).toBe(f.filename);
			expect(row.description).toContain(k.code);
			const res = await fetch(`${c.url()}/assets/${f.id}`, {
				headers: { authorization: `Bearer ${await token('admin', c.url())}` },
			});
			expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
		}
	});

	it('CP-1 a message from an unknown sender waits in the triage list; Sales assigns one to a customer (a complaint received when the mail was) and rejects another', async () => {
		const subject = `Carton complaint from a new address ${process.pid}`;
		const receivedAt = new Date(Date.now() - 5 * H);
		const m = await deliver({ from: `someone-${process.pid}@unknown.example`, subject, text: 'Boxes arrived wet.' }, receivedAt);
		const spam = await deliver({ from: `spam-${process.pid}@unknown.example`, subject: `Cheap pallets ${process.pid}`, text: 'Buy now' });
		await poll();
		expect(await complaintsWith(subject)).toEqual([]);
		const entry = await logOf(m.messageId);
		expect([entry.triage_status, entry.customer, entry.complaint]).toEqual(['pending', null, null]);
		expect(entry.triage_note).toContain('not on record');
		expect(await unfiled()).toEqual([]);
		// The triage list is Sales's.
		const byQuality = await c.http('quality', 'POST', `/cp/communications/${entry.id}/triage`, { decision: 'assign', customer: customerB });
		expect([byQuality.status, byQuality.code]).toEqual([403, 'CP_NOT_DEPARTMENT_MEMBER']);
		// Sales finds it in the work queue and decides on its page: the customer picked in the page's
		// Customer field goes with the "file as a complaint" step (the panel's edits).
		const queue = await c.ok('sales', 'GET', '/cp/queue');
		expect(queue.find((e: any) => e.key === 'mail_triage')?.items.map((i: any) => i.id)).toContain(entry.id);
		const stepsOf = async (who: string, edits?: Record<string, unknown>) =>
			(edits
				? await c.ok(who, 'POST', `/cp/steps/cp_communications/${entry.id}/check`, { edits })
				: await c.ok(who, 'GET', `/cp/steps/cp_communications/${entry.id}`)
			).steps as any[];
		const unpicked = (await stepsOf('sales')).find((x) => x.key === 'triage:assign');
		expect([unpicked.allowed, unpicked.code]).toEqual([false, 'CP_INVALID_VALUE']);
		expect((await stepsOf('quality', { customer: customerB })).find((x) => x.key === 'triage:assign').allowed).toBe(false);
		const file = (await stepsOf('sales', { customer: customerB })).find((x) => x.key === 'triage:assign');
		expect(file.allowed, file.missing).toBe(true);
		const assigned = await c.ok('sales', file.request.method, file.request.path, { customer: customerB, ...file.request.body });
		expect(assigned.code).toMatch(/^KF-\d{4}-\d{4}$/);
		const [k] = await complaintsWith(subject);
		expect([k.customer, k.channel, k.code]).toEqual([customerB, 'mail', assigned.code]);
		expect(ms(k.received_at)).toBe(Math.floor(receivedAt.getTime() / 1000) * 1000);
		expect(await c.db()('cp_communications').where('id', entry.id).first('triage_status', 'complaint')).toEqual({ triage_status: 'assigned', complaint: k.id });
		const twice = await c.http('sales', 'POST', `/cp/communications/${entry.id}/triage`, { decision: 'assign', customer: customerB });
		expect([twice.status, twice.code]).toEqual([409, 'CP_ACTION_NOT_ALLOWED']);

		const spamEntry = await logOf(spam.messageId);
		const noReason = await c.http('sales', 'POST', `/cp/communications/${spamEntry.id}/triage`, { decision: 'reject' });
		expect([noReason.status, noReason.code]).toEqual([400, 'CP_REQUIRED_FIELDS_MISSING']);
		const reject = ((await c.ok('sales', 'GET', `/cp/steps/cp_communications/${spamEntry.id}`)).steps as any[]).find((x) => x.key === 'triage:reject');
		expect(reject.allowed, reject.missing).toBe(true);
		expect(reject.inputs.map((i: any) => [i.name, i.required])).toEqual([['note', true]]);
		await c.ok('sales', reject.request.method, reject.request.path, { ...reject.request.body, note: '广告邮件 advertising' });
		expect((await logOf(spam.messageId)).triage_status).toBe('rejected');
		expect(await countOf(c.db()('cp_audit').where({ collection: 'cp_communications', item: spamEntry.id, action: 'triage' }))).toBe(1);
	});

	it('CP-1 a message the poller cannot read (bytes its charset does not decode, or no sender, subject nor body) waits in the triage list with the original attached, is marked once filed and is filed once', async () => {
		const pid = process.pid;
		// From a customer on record, with a readable subject, but the body declared GB2312 holds FF FF:
		// no GB2312 character. Taken as a complaint it would keep garbled words as the customer's.
		const subject = `色差投诉（正文无法解码） ${pid}`;
		const undecodable = {
			messageId: `<${randomUUID()}@buyer-a.example>`,
			raw: Buffer.concat([
				Buffer.from(
					[
						`From: ${A.email}`,
						'To: complaints@factory.example',
						`Subject: ${word(subject, 'UTF-8')}`,
						`Date: ${new Date().toUTCString()}`,
						'MIME-Version: 1.0',
						'Content-Type: text/plain; charset=GB2312',
						'Content-Transfer-Encoding: 8bit',
						'',
						'',
					].join('\r\n'),
				),
				iconv.encode('彩盒色差', 'GB2312'),
				Buffer.from([0xff, 0xff, 0xff, 0xfe]),
				Buffer.from('\r\n'),
			]),
		};
		undecodable.raw = Buffer.concat([Buffer.from(`Message-ID: ${undecodable.messageId}\r\n`), undecodable.raw]);
		// No header a parser recognises, no Message-ID: only bytes (keyed by its content).
		const garbage = Buffer.concat(
			[37, 53, 71].flatMap((k) => [Buffer.from(Array.from({ length: 200 }, (_, i) => 0x80 + ((i * k + pid) % 0x7e))), Buffer.from('\r\n')]),
		);
		const before = await countOf(c.db()('cp_communications').where('type', 'mail_in'));
		const uids: number[] = [];
		for (const raw of [undecodable.raw, garbage]) {
			const appended = await imap.append('INBOX', raw, [], new Date(Date.now() - H));
			if (!appended || !appended.uid) throw new Error('Dovecot did not answer the UID of the appended message (UIDPLUS)');
			uids.push(appended.uid);
		}
		await poll();
		expect(await complaintsWith(subject)).toEqual([]);
		const entry = await logOf(undecodable.messageId);
		expect([entry.triage_status, entry.complaint, entry.customer, entry.mail_from]).toEqual(['pending', null, customerA, A.email]);
		expect(entry.triage_note).toContain('could not be read');
		expect(entry.triage_note).toContain('无法读取');
		// The second: in the triage list as well, nothing read from it but the original kept.
		const lost = await c.db()('cp_communications').where('type', 'mail_in').whereNull('mail_from').whereNull('message_id').select();
		expect(lost.map((r: any) => r.triage_status)).toEqual(['pending']);
		expect(lost[0].triage_note).toContain('could not be read');
		expect(await countOf(c.db()('cp_communications').where('type', 'mail_in'))).toBe(before + 2);
		// The original message is kept with the entry: the bytes the server holds.
		for (const [row, sent] of [
			[entry, undecodable.raw],
			[lost[0], garbage],
		] as const) {
			const files = typeof row.attachments === 'string' ? JSON.parse(row.attachments) : row.attachments;
			expect(files.map((f: any) => f.filename)).toEqual(['message.eml']);
			const res = await fetch(`${c.url()}/assets/${files[0].id}`, { headers: { authorization: `Bearer ${await token('admin', c.url())}` } });
			const lf = (b: Buffer) => b.toString('latin1').replace(/\r\n/g, '\n');
			expect(lf(Buffer.from(await res.arrayBuffer()))).toBe(lf(sent));
		}
		// Marked filed after the commit; a second poll has nothing to read.
		expect(await unfiled()).toEqual([]);
		expect((await poll(1)).seen).toBe(0);
		// Had the mark been lost (a crash before it), the next poll recognises both and only marks them.
		await imap.mailboxOpen('INBOX');
		await imap.messageFlagsRemove(uids.join(','), [FILED], { uid: true });
		expect((await unfiled()).length).toBe(2);
		const again = await poll(1);
		expect([again.already, again.filed.length]).toEqual([2, 0]);
		expect(await unfiled()).toEqual([]);
		expect(await countOf(c.db()('cp_communications').where('type', 'mail_in'))).toBe(before + 2);

		// Sales files the readable part by hand: assigned to the customer, a complaint from the subject.
		const assigned = await c.ok('sales', 'POST', `/cp/communications/${entry.id}/triage`, { decision: 'assign', customer: customerA });
		expect(assigned.code).toMatch(/^KF-\d{4}-\d{4}$/);
		await c.ok('sales', 'POST', `/cp/communications/${lost[0].id}/triage`, { decision: 'reject', note: '乱码邮件 unreadable bytes' });
	});

	it("CC-1 replies in the thread go to the complaint's log; the written response is e-mailed in the thread and recorded, and the answer to it comes back to the complaint", async () => {
		const subject = `瓦楞纸板强度不足 ${process.pid}`;
		const first = await deliver({ from: B.email, subject, text: '边压强度不足。' }, new Date(Date.now() - 3 * H));
		await poll();
		const [k] = await complaintsWith(subject);
		expect(k).toBeTruthy();
		// A reply by In-Reply-To/References, and one that only names the number in the subject.
		const reply = await deliver(
			{ from: B.email, subject: `Re: ${subject}`, text: '补充：第二批也有问题。', inReplyTo: first.messageId, references: [first.messageId] },
			new Date(Date.now() - 2 * H),
		);
		const byNumber = await deliver({ from: B.email, subject: `关于 ${k.code} 的补充照片`, text: '见附件说明。' });
		await poll(1);
		expect((await complaintsWith(subject)).length).toBe(1);
		expect(await countOf(c.db()('cp_complaints').where('customer', customerB).where('summary', 'like', `%${k.code}%`))).toBe(0);
		for (const m of [reply, byNumber]) expect((await logOf(m.messageId)).complaint, m.messageId).toBe(k.id);

		// The written response, sent from the complaint by e-mail.
		await c.ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { response_content: '经调查为纸板含水率偏高，已更换供应商并补发货物。' });
		const byProduction = await c.http('production', 'POST', `/cp/complaints/${k.id}/send-response`, {});
		expect([byProduction.status, byProduction.code]).toEqual([403, 'CP_NOT_DEPARTMENT_MEMBER']);
		const sent = await c.ok('sales', 'POST', `/cp/complaints/${k.id}/send-response`, {});
		expect(sent.to).toBe(B.email);
		const mail = await eventually(() =>
			readFileSync(c.info.mailLog, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l))
				.find((x) => x.data.includes(sent.message_id)),
		);
		expect(mail, 'the response reached the SMTP server').toBeTruthy();
		expect(mail.to).toEqual([B.email]);
		const parsed = await simpleParser(mail.data);
		expect(parsed.inReplyTo).toBe(byNumber.messageId);
		expect(parsed.references).toEqual(expect.arrayContaining([first.messageId, reply.messageId, byNumber.messageId]));
		expect(parsed.subject).toContain(k.code);
		expect(parsed.text).toContain('已更换供应商');
		const out = await c.db()('cp_communications').where('id', sent.communication).first();
		expect([out.type, out.complaint, out.customer, out.message_id]).toEqual(['mail_out', k.id, customerB, sent.message_id]);
		expect(await countOf(c.db()('cp_audit').where({ collection: 'cp_complaints', item: k.id, action: 'response_mailed' }))).toBe(1);

		// The customer answers the response: back to the same complaint.
		const answer = await deliver({ from: B.email, subject: `Re: ${sent.subject}`, text: '收到，谢谢。', inReplyTo: `<${sent.message_id}>` });
		await poll();
		expect((await logOf(answer.messageId)).complaint).toBe(k.id);
	});

	it('CP-1 two instances polling the same mailbox at once file each message once', async () => {
		const subjects = Array.from({ length: 6 }, (_, i) => `并发投诉 ${i} ${process.pid}`);
		const msgs = [];
		for (const s of subjects) msgs.push(await deliver({ from: A.email, subject: s, text: `内容 ${s}` }));
		await Promise.all([poll(0), poll(1), poll(0), poll(1)]);
		// What a poll could not file (e.g. the other instance held the database) is filed by the next.
		await eventually(async () => (await unfiled()).length === 0 || ((await Promise.all([poll(0), poll(1)])) && false), { timeoutMs: 30_000, everyMs: 200 });
		expect(await unfiled()).toEqual([]);
		for (const s of subjects) expect((await complaintsWith(s)).length, s).toBe(1);
		for (const m of msgs) expect(await countOf(c.db()('cp_communications').where('message_id', m.messageId.replace(/^<|>$/g, '')))).toBe(1);
		const codes = (await c.db()('cp_complaints').whereIn('summary', subjects).select('code')).map((r: any) => r.code);
		expect(new Set(codes).size).toBe(subjects.length);
	});

	it('CP-1 a SIGKILL after the commit and before the mark on the server leaves no duplicate after the restart', async () => {
		const subject = `断电前已受理 ${process.pid}`;
		const m = await deliver({ from: A.email, subject, text: '进程在标记前被杀死。' });
		const killed = c.h.servers[1]!.child;
		const exited = new Promise((r) => killed.once('exit', r));
		const crash = await c.http('admin', 'POST', '/cp/jobs/mail-poll', { crash_after_commit: true }, 1).catch((e: Error) => e);
		await exited;
		expect(killed.signalCode).toBe('SIGKILL');
		expect(crash instanceof Error || crash.status >= 500).toBe(true);
		// Committed, not marked.
		expect((await complaintsWith(subject)).length).toBe(1);
		expect((await unfiled()).length).toBe(1);
		await c.restart(1);
		const again = await poll(1);
		expect(again.already).toBe(1);
		expect(await unfiled()).toEqual([]);
		expect((await complaintsWith(subject)).length).toBe(1);
		expect(await countOf(c.db()('cp_communications').where('message_id', m.messageId.replace(/^<|>$/g, '')))).toBe(1);
	});
});
