// The customer's pages (CP-1 web-form complaint, CP-5 verification, CC-4 survey) over HTTP against
// the real Directus: a browser gets bilingual HTML (by Accept-Language, or the ?lang= switch), the
// posted forms change the database as the JSON routes do, the links reach the customer by e-mail
// through Directus's mailer (the harness's SMTP sink) and the sending is recorded.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cp, database, eventually, ok, uid } from '../harness/client';
import { complaintWithActionDone } from '../harness/fixtures';
import { sentMails } from '../harness/mail';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const countOf = async (q: any) => Number((await q.count({ n: '*' }).first()).n);

/** A browser's request (through the trusted proxy, as client `xff`): a page, or a posted HTML form. */
async function browser(method: 'GET' | 'POST', path: string, opts: { lang?: string; form?: Record<string, string>; xff?: string } = {}) {
	const headers: Record<string, string> = { accept: BROWSER_ACCEPT, 'accept-language': opts.lang ?? 'zh-CN,zh;q=0.9,en;q=0.8' };
	if (opts.xff) headers['x-forwarded-for'] = opts.xff;
	let body: string | undefined;
	if (opts.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(opts.form).toString();
	}
	const res = await fetch(`${cp().url}${path}`, { method, headers, body });
	return { status: res.status, html: await res.text(), headers: res.headers };
}

/** What a customer must never see on a page: JSON, error codes, record ids. */
function expectCustomerSafe(html: string, ids: string[] = []) {
	expect(html).toMatch(/^<!doctype html>/);
	expect(html).not.toMatch(/CP_[A-Z_]+/);
	expect(html).not.toMatch(/"errors"|"data"|\{"/);
	for (const id of ids) expect(html).not.toContain(id);
}

const path = (url: string) => (url.startsWith('/') ? url : new URL(url).pathname);

describe('CP-1 the web-form complaint page', () => {
	it('CP-1 a browser gets the form in its language, with the switch, the customer-page headers and no script', async () => {
		const zh = await browser('GET', '/cp/public/complaints', { xff: '192.0.2.101' });
		expect(zh.status).toBe(200);
		expect(zh.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/);
		expect(zh.headers.get('x-content-type-options')).toBe('nosniff');
		expect(zh.headers.get('content-security-policy')).toContain("default-src 'none'");
		expect(zh.headers.get('content-security-policy')).toContain("form-action 'self'");
		expect(zh.headers.get('referrer-policy')).toBe('no-referrer');
		expect(zh.html).toContain('<html lang="zh-CN">');
		expect(zh.html).toContain('顾客编号');
		expect(zh.html).toContain('name="viewport"');
		expect(zh.html).not.toContain('<script');
		expect(zh.html).toContain('href="?lang=en"');
		const en = await browser('GET', '/cp/public/complaints', { lang: 'en-GB,en;q=0.9', xff: '192.0.2.101' });
		expect(en.html).toContain('<html lang="en">');
		expect(en.html).toContain('Customer code');
		// The switch wins over the browser's preference.
		const switched = await browser('GET', '/cp/public/complaints?lang=en', { xff: '192.0.2.101' });
		expect(switched.html).toContain('Customer code');
		expectCustomerSafe(zh.html);
	});

	it('CP-1 a posted form with a wrong pair is refused with one page and creates nothing; the right one records the complaint', async () => {
		const code = uid('C');
		await ok('sales', 'POST', '/items/cp_customers', { code, name: '网页表单顾客', email: 'buyer@pages.example' });
		const summary = uid('纸箱破损');
		const text = { summary, description: '外箱压痕，三箱受潮', product: '五层瓦楞纸箱', batch: 'B-2026-11', lang: 'zh' };
		const complaints = await countOf(database()('cp_complaints'));
		const wrongMail = await browser('POST', '/cp/public/complaints', { form: { customer_code: code, email: 'x@pages.example', ...text }, xff: '192.0.2.102' });
		const unknownCode = await browser('POST', '/cp/public/complaints', {
			form: { customer_code: uid('NOPE'), email: 'buyer@pages.example', ...text },
			xff: '192.0.2.102',
		});
		expect(wrongMail.status).toBe(400);
		// The same page whichever half was wrong; what the customer wrote about the problem is kept.
		expect(unknownCode.html).toBe(wrongMail.html);
		expect(wrongMail.html).toContain('表单未被接受');
		expect(wrongMail.html).toContain('外箱压痕，三箱受潮');
		expect(wrongMail.html).not.toContain('x@pages.example');
		expectCustomerSafe(wrongMail.html);
		expect(await countOf(database()('cp_complaints'))).toBe(complaints);

		const taken = await browser('POST', '/cp/public/complaints', { form: { customer_code: code, email: 'Buyer@Pages.example', ...text }, xff: '192.0.2.102' });
		expect(taken.status).toBe(201);
		const row = await database()('cp_complaints').where('summary', summary).first();
		expect([row.channel, row.status, row.description, row.product, row.batch]).toEqual(['web', 'received', '外箱压痕，三箱受潮', '五层瓦楞纸箱', 'B-2026-11']);
		expect(taken.html).toContain(row.code);
		expect(taken.html).toContain('您的投诉已收到');
		expectCustomerSafe(taken.html, [String(row.id)]);
		expect(await countOf(database()('cp_audit').where({ collection: 'cp_complaints', item: String(row.id), action: 'create' }))).toBe(1);
	});
});

/** A complaint with its written response sent, for a customer with an e-mail address on record. */
async function respondedFor(email: string) {
	const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: '华东包装材料有限公司', email })).id;
	const c = await complaintWithActionDone(customer, {
		summary: uid('纸箱受潮塌箱'),
		product: '五层瓦楞纸箱',
		rootCause: '粘合工序温度过低',
		action: '调整粘合工序温度',
	});
	const response = `已将粘合温度提高到 180°C，并对库存逐箱复检。${uid('R')}`;
	await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { response_content: response, product_disposition: 'nonconforming', status: 'responded' });
	return { ...c, customer, response };
}

describe('CP-5 the verification page and the e-mail with the written response', () => {
	it('CP-5 the link goes to the customer by e-mail with the response, the sending is recorded, and the page confirms and closes', async () => {
		const email = `${uid('buyer')}@pages.example`.toLowerCase();
		const c = await respondedFor(email);
		const link = await ok('sales', 'POST', `/cp/complaints/${c.id}/verification-link`, {});
		expect([link.mailed, link.mailed_to]).toEqual([true, email]);
		// The mail: to the customer's address, with the written response and the link.
		const mail = await eventually(() => {
			const m = sentMails().find((x) => x.to.includes(email));
			if (!m) throw new Error('no mail yet');
			return m;
		});
		expect(mail.text).toContain(c.code);
		expect(mail.text).toContain(c.response);
		expect(mail.text).toContain(link.url);
		// Recorded: a contact log entry by mail, and the sending on the complaint's audit trail.
		const log = await database()('cp_communications').where({ customer: c.customer, channel: 'mail' }).select();
		expect(log).toHaveLength(1);
		expect(log[0].type).toBe('after_sale');
		expect(log[0].summary).toContain(c.code);
		const sent = await database()('cp_audit').where({ collection: 'cp_complaints', item: c.id, action: 'mail_sent' }).select();
		expect(sent).toHaveLength(1);
		// JSON columns: text on SQLite/MariaDB, parsed on PostgreSQL.
		expect(typeof sent[0].data === 'string' ? JSON.parse(sent[0].data) : sent[0].data).toEqual({ kind: 'verification_link', to: email });

		const zh = await browser('GET', path(link.url), { xff: '192.0.2.110' });
		expect(zh.status).toBe(200);
		expect(zh.headers.get('content-security-policy')).toContain("form-action 'self'");
		expect(zh.html).toContain(c.response);
		expect(zh.html).toContain('您是否认可我们的处理结果');
		expectCustomerSafe(zh.html, [c.id]);
		const en = await browser('GET', `${path(link.url)}?lang=en`, { xff: '192.0.2.110' });
		expect(en.html).toContain('Do you accept how we handled it?');

		// No choice made: the page again with what to fix; the link still works.
		const none = await browser('POST', path(link.url), { form: { lang: 'en', note: '' }, xff: '192.0.2.110' });
		expect(none.status).toBe(400);
		expect(none.html).toContain('Choose whether you accept');
		expect((await database()('cp_complaints').where('id', c.id).first()).status).toBe('verifying');

		const done = await browser('POST', path(link.url), { form: { lang: 'zh', decision: 'confirmed', note: '问题已解决，谢谢' }, xff: '192.0.2.110' });
		expect(done.status).toBe(200);
		expect(done.html).toContain('投诉已关闭');
		expectCustomerSafe(done.html, [c.id]);
		const row = await database()('cp_complaints').where('id', c.id).first();
		expect([row.status, row.verification, row.verification_note, row.verify_token_hash]).toEqual(['closed', 'confirmed', '问题已解决，谢谢', null]);
		expect(await countOf(database()('cp_audit').where({ collection: 'cp_complaints', item: c.id, action: 'verification' }))).toBe(1);

		// Used, and a forged token: the same page, 404, nothing to tell them apart.
		const used = await browser('GET', path(link.url), { xff: '192.0.2.111' });
		const forged = await browser('GET', `/cp/public/verify/${randomBytes(32).toString('base64url')}`, { xff: '192.0.2.111' });
		const malformed = await browser('POST', '/cp/public/verify/not-a-token', { form: { decision: 'confirmed' }, xff: '192.0.2.111' });
		expect(used.status).toBe(404);
		expect(forged.html).toBe(used.html);
		expect([malformed.status, malformed.html]).toEqual([404, used.html]);
		expect(used.html).toContain('此链接无效或已过期');
		expectCustomerSafe(used.html);
	});

	it('CP-5 a rejection on the page reopens the complaint with the comment', async () => {
		const c = await respondedFor(`${uid('buyer')}@pages.example`.toLowerCase());
		const link = await ok('quality', 'POST', `/cp/complaints/${c.id}/verification-link`, {});
		const done = await browser('POST', path(link.url), {
			form: { lang: 'en', decision: 'rejected', note: 'Still damp boxes in the second lot' },
			xff: '192.0.2.112',
		});
		expect(done.status).toBe(200);
		expect(done.html).toContain('we will work on the complaint again');
		const row = await database()('cp_complaints').where('id', c.id).first();
		expect([row.status, row.verification, row.verification_note]).toEqual(['reopened', 'rejected', 'Still damp boxes in the second lot']);
	});

	it('CP-5 a customer without an e-mail on record gets no mail; the link is still made for staff to pass on', async () => {
		const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: '无邮箱顾客' })).id;
		const c = await complaintWithActionDone(customer, { summary: uid('色差'), product: '彩盒', rootCause: '油墨批次', action: '更换油墨' });
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { response_content: '已更换油墨。', product_disposition: 'nonconforming', status: 'responded' });
		const link = await ok('sales', 'POST', `/cp/complaints/${c.id}/verification-link`, {});
		expect([link.mailed, link.mailed_to]).toEqual([false, null]);
		expect(await countOf(database()('cp_audit').where({ collection: 'cp_complaints', item: c.id, action: 'mail_sent' }))).toBe(0);
	});
});

describe('CC-4 the survey page and the invitation e-mail', () => {
	it('CC-4 the invitation is mailed and recorded; the page shows the questionnaire, refuses a partial answer and scores the full one', async () => {
		const email = `${uid('survey')}@pages.example`.toLowerCase();
		const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Survey page customer', email })).id;
		await ok('admin', 'POST', '/cp/jobs/surveys-tick');
		const [survey] = await database()('cp_communications').where({ customer, type: 'survey' }).select('id', 'period_key');
		const link = await ok('sales', 'POST', `/cp/communications/${survey.id}/survey-link`, {});
		expect([link.mailed, link.mailed_to]).toEqual([true, email]);
		const mail = await eventually(() => {
			const m = sentMails().find((x) => x.to.includes(email));
			if (!m) throw new Error('no mail yet');
			return m;
		});
		expect(mail.text).toContain('满意度调查');
		expect(mail.text).toContain(link.url);
		const log = await database()('cp_communications').where({ customer, channel: 'mail' }).select();
		expect(log.map((l: any) => l.type)).toEqual(['visit']);
		expect(await countOf(database()('cp_audit').where({ collection: 'cp_communications', item: survey.id, action: 'mail_sent' }))).toBe(1);

		const zh = await browser('GET', path(link.url), { xff: '192.0.2.120' });
		expect(zh.status).toBe(200);
		// The default questionnaire (Doc 2 4.6.3): product quality, delivery, service, communication, price, each rated 1-5.
		for (const q of ['产品质量', '交货及时', '服务与支持', '沟通', '价格']) expect(zh.html).toContain(q);
		expect(zh.html.match(/type="radio"/g)).toHaveLength(25);
		expectCustomerSafe(zh.html, [survey.id]);
		const en = await browser('GET', path(link.url), { lang: 'en-US', xff: '192.0.2.120' });
		expect(en.html).toContain('Product quality');

		const partial = await browser('POST', path(link.url), { form: { lang: 'en', q_quality: '5', q_delivery: '4' }, xff: '192.0.2.120' });
		expect(partial.status).toBe(400);
		expect(partial.html).toContain('Rate every point');
		// What was rated stays ticked.
		expect(partial.html).toContain('name="q_quality" value="5" checked');
		expect((await database()('cp_communications').where('id', survey.id).first()).survey_status).toBe('due');

		// Worked example: ratings 5, 4, 4, 5, 3 on five 1-5 questions score 84.
		const done = await browser('POST', path(link.url), {
			form: { lang: 'zh', q_quality: '5', q_delivery: '4', q_service: '4', q_communication: '5', q_price: '3', comment: '交货可以更快' },
			xff: '192.0.2.120',
		});
		expect(done.status).toBe(200);
		expect(done.html).toContain('感谢您参与满意度调查');
		const row = await database()('cp_communications').where('id', survey.id).first();
		expect([row.survey_status, Number(row.score), row.channel]).toEqual(['answered', 84, 'link']);
		const answers = typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers;
		expect(answers).toEqual({ quality: 5, delivery: 4, service: 4, communication: 5, price: 3, comment: '交货可以更快' });
		const again = await browser('GET', path(link.url), { xff: '192.0.2.121' });
		expect(again.status).toBe(404);
		expectCustomerSafe(again.html);
	});

	it('CC-4 the JSON routes stay for integrations: Accept JSON gets JSON from the same link', async () => {
		const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Survey JSON customer' })).id;
		await ok('admin', 'POST', '/cp/jobs/surveys-tick');
		const [survey] = await database()('cp_communications').where({ customer, type: 'survey' }).select('id');
		const link = await ok('sales', 'POST', `/cp/communications/${survey.id}/survey-link`, { mail: false });
		const res = await fetch(`${cp().url}${path(link.url)}`, { headers: { accept: 'application/json', 'x-forwarded-for': '192.0.2.122' } });
		expect(res.status).toBe(200);
		expect((await res.json()).data.questions).toHaveLength(5);
	});
});
