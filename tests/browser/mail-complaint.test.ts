// A complaint that came in by e-mail (issue #15, CP-1) as Sales sees it in the app and on the
// printed customer feedback handling form: a message is delivered to a private Dovecot
// (tests/harness/dovecot.mjs), the mailbox is read once (POST /cp/jobs/mail-poll), then the
// complaint's page and the form its next-steps panel links to are opened in a real browser.
// Screenshots go to $CP_SCREENSHOTS (docs/screenshots for the README: complaint-mail.png,
// form-mail.png). Skipped without Chromium, without Dovecot, or when department users have no app
// access (Directus 12 Core seats).
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { cp, database, eventually, ok } from '../harness/client';
import { dovecotAvailable, startDovecot } from '../harness/dovecot.mjs';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.CP_SCREENSHOTS ? resolve(process.env.CP_SCREENSHOTS) : join(tmpdir(), 'cp-screenshots');
const info = cp();
const skip = !existsSync(CHROMIUM) || info.appAccess === false || !dovecotAvailable();
if (skip) console.warn('[browser:mail] SKIPPED: needs /usr/bin/chromium, Dovecot (dovecot-imapd) and app access for department users');

// The shared test Directus is already running: the mailbox password must be in its environment
// under a name the setting gives (secret_env). ADMIN_PASSWORD is there with a value the test knows,
// so the private Dovecot takes that value as its password.
const SECRET_ENV = 'ADMIN_PASSWORD';
const run = String(2000 + (process.pid % 7000));
const MESSAGE_ID = `mail-shot-${run}-${Date.now().toString(36)}@hd-food.example`;

/** One text/plain message in GB2312 (subject and body), as a Chinese mail client sends it. */
function gb2312Message(from: string, subject: string, body: string): Buffer {
	const head = [
		`From: ${from}`,
		'To: complaints@factory.example',
		`Subject: =?GB2312?B?${iconv.encode(subject, 'GB2312').toString('base64')}?=`,
		`Date: ${new Date().toUTCString()}`,
		`Message-ID: <${MESSAGE_ID}>`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=GB2312',
		'Content-Transfer-Encoding: base64',
		'',
		iconv.encode(body, 'GB2312').toString('base64').replace(/.{76}/g, '$&\r\n'),
		'',
	].join('\r\n');
	return Buffer.from(head);
}

describe.skipIf(skip)('browser: a complaint that came in by e-mail, on the screen and on the printed form (CP-1)', { timeout: 300_000 }, () => {
	let browser: Browser;
	let dovecot: Awaited<ReturnType<typeof startDovecot>>;
	let page: Page;
	const customerName = '华东食品包装有限公司';
	const sender = `zhang.wei-${run}@hd-food.example`;
	const subject = '彩盒印刷色差，整批拒收';
	const body = [
		'贵司 3 月 2 日送达的彩盒（批号 2026-0302）印刷色差明显，与确认样不符，我司已整批拒收。',
		'请于三日内书面答复处理方案。',
		'',
		'张伟',
		`${customerName} 采购部`,
	].join('\r\n');
	let complaint: { id: string; code: string };

	beforeAll(async () => {
		mkdirSync(SHOTS, { recursive: true });
		dovecot = await startDovecot({ password: info.admin.password });
		const customer = await ok('sales', 'POST', '/items/cp_customers', {
			code: `C-${run}-M`,
			name: customerName,
			email: `purchasing-${run}@hd-food.example`,
			contact_emails: sender,
			contact_person: '张伟（采购部）',
			is_new: false,
		});
		await ok('admin', 'PATCH', '/items/cp_settings', {
			mailbox: { host: dovecot.host, port: dovecot.port, tls: false, user: dovecot.user, secret_env: SECRET_ENV, folder: 'INBOX' },
		});
		const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
		await imap.connect();
		await imap.append('INBOX', gb2312Message(`张伟 <${sender}>`, subject, body), [], new Date(Date.now() - 2 * 3600e3));
		await imap.logout();
		// The schedule may read the mailbox meanwhile; either way the message is filed once.
		await ok('admin', 'POST', '/cp/jobs/mail-poll', {});
		const row = await eventually(() =>
			database()('cp_complaints as c')
				.join('cp_communications as m', 'm.complaint', 'c.id')
				.where('m.message_id', MESSAGE_ID)
				.first('c.id', 'c.code', 'c.customer', 'c.channel', 'c.summary'),
		);
		expect(row.summary).toBe(subject);
		expect([row.customer, row.channel]).toEqual([customer.id, 'mail']);
		complaint = { id: String(row.id), code: String(row.code) };

		const { chromium } = await import('playwright-core');
		browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
		const context = await browser.newContext({ viewport: { width: 1366, height: 1100 }, deviceScaleFactor: 1, timezoneId: 'Asia/Shanghai' });
		page = await context.newPage();
		await page.goto(`${info.url}/admin/login`, { waitUntil: 'networkidle' });
		await page.fill('input[type="email"]', info.users.sales.email);
		await page.fill('input[type="password"]', info.users.sales.password);
		await page.click('button[type="submit"]');
		await page.waitForURL((u) => !u.pathname.includes('/login'), { timeout: 90_000 });
	}, 240_000);

	afterAll(async () => {
		// No mail intake for the tests that share this Directus.
		await ok('admin', 'PATCH', '/items/cp_settings', { mailbox: null }).catch(() => undefined);
		await browser?.close();
		await dovecot?.stop();
	});

	it("Sales sees the mail's subject and body as the complaint's summary and customer feedback, the sender's customer and the channel Mail", async () => {
		await page.goto(`${info.url}/admin/content/cp_complaints/${complaint.id}`, { waitUntil: 'networkidle' });
		await page.waitForSelector('[data-cp-steps][data-ready="true"]', { timeout: 60_000, state: 'attached' });
		await page.waitForSelector('[data-field="description"] textarea', { timeout: 30_000 });
		expect(await page.locator('header').first().textContent()).toContain(`${complaint.code} ${subject}`);
		expect(await page.inputValue('[data-field="summary"] input')).toBe(subject);
		const feedback = await page.inputValue('[data-field="description"] textarea');
		expect(feedback).toContain('印刷色差明显，与确认样不符，我司已整批拒收。');
		expect(feedback).toContain('请于三日内书面答复处理方案。');
		expect(await page.locator('[data-field="customer"]').textContent()).toContain(customerName);
		expect(await page.inputValue('[data-field="channel"] input')).toContain('邮件');
		// The picture shows the fields the mail filled: from the number down to the customer feedback.
		await page.locator('[data-field="code"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
		await page.screenshot({ path: join(SHOTS, 'complaint-mail.png') });
	});

	it('the printed feedback handling form the page links to shows the same complaint, received by mail', async () => {
		const link = page.locator('[data-cp-steps] a[data-form]').first();
		const href = await link.getAttribute('href');
		expect(href).toContain(`/cp/complaints/${complaint.id}/form`);
		const res = await page.goto(new URL(href!, info.url).toString(), { waitUntil: 'networkidle' });
		expect(res?.status()).toBe(200);
		const text = (await page.textContent('body')) ?? '';
		for (const shown of ['反馈处理单', complaint.code, customerName, subject, '印刷色差明显，与确认样不符', '邮件', '投诉邮箱 Complaints mailbox'])
			expect(text, shown).toContain(shown);
		expect(text).not.toContain(complaint.id);
		await page.screenshot({ path: join(SHOTS, 'form-mail.png'), fullPage: true });
	});

	it("CP-1 an e-mail from an unknown sender waits in Sales's queue; its page offers filing it for a customer or rejecting it, and Sales rejects it by clicks", async () => {
		const imap = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.password }, logger: false });
		await imap.connect();
		const spamSubject = `托盘特价 pallets on offer ${run}`;
		await imap.append(
			'INBOX',
			Buffer.from(
				[
					`From: offers-${run}@pallets.example`,
					`To: complaints@example.org`,
					`Subject: ${spamSubject}`,
					`Message-ID: <spam-${MESSAGE_ID}>`,
					'MIME-Version: 1.0',
					'Content-Type: text/plain; charset=utf-8',
					'',
					'今日特价托盘 Pallets on offer today',
				].join('\r\n'),
			),
		);
		await imap.logout();
		await ok('admin', 'POST', '/cp/jobs/mail-poll', {});
		const entry = await eventually(() =>
			database()('cp_communications')
				.where({ message_id: `spam-${MESSAGE_ID}` })
				.first('id', 'triage_status'),
		);
		expect(entry.triage_status).toBe('pending');
		await page.goto(`${info.url}/admin/customer-processes`, { waitUntil: 'networkidle' });
		await page.waitForSelector('[data-queue="mail_triage"]', { timeout: 60_000 });
		expect(await page.locator(`[data-queue="mail_triage"] [data-item="${entry.id}"]`).textContent()).toContain(spamSubject);
		await page.locator(`[data-queue="mail_triage"] [data-item="${entry.id}"] a`).click();
		await page.waitForSelector('[data-cp-steps][data-ready="true"]', { timeout: 60_000, state: 'attached' });
		// Filing it waits for the customer to be picked on the page; rejecting it asks for the reason.
		const assign = page.locator('[data-cp-steps] [data-step="triage:assign"]');
		expect(await assign.getAttribute('data-allowed')).toBe('false');
		expect(await assign.locator('.missing').textContent()).toContain('请选择顾客');
		await page.screenshot({ path: join(SHOTS, 'mail-triage.png') });
		const reject = page.locator('[data-cp-steps] [data-step="triage:reject"]');
		expect(await reject.getAttribute('data-allowed')).toBe('true');
		const reload = page.waitForEvent('load', { timeout: 60_000 });
		await reject.locator('button').first().click();
		await page.fill('[data-step="triage:reject"] [data-input="note"] textarea', '广告邮件,不是投诉');
		await reject.locator('[data-confirm]').first().click();
		await reload;
		const after = await database()('cp_communications').where({ id: entry.id }).first('triage_status', 'triage_note');
		expect(after).toEqual({ triage_status: 'rejected', triage_note: '广告邮件,不是投诉' });
	});
});
