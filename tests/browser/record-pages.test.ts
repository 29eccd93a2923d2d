// The record pages (issue #12) in a real browser at 1366×768: each department's user takes the
// procedure's steps by clicking the next-steps panel and typing into it, never through the API;
// after each step the test reads what the database then holds. Only the starting records (a draft
// contract with its line, a received complaint, an announced property item) are made through the
// API, as Sales would type them into the ordinary create form. Screenshots of each record page go
// to $CP_SCREENSHOTS (docs/screenshots for the README).
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cp, database, ok } from '../harness/client';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.CP_SCREENSHOTS ? resolve(process.env.CP_SCREENSHOTS) : join(tmpdir(), 'cp-screenshots');
const info = cp();
const noBrowser = !existsSync(CHROMIUM);
const noAppAccess = info.appAccess === false;
if (noBrowser) console.warn(`[browser] SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium)`);
else if (noAppAccess) console.warn(`[browser] SKIPPED: on Directus ${info.directusVersion} the department users have no app access (Core tier seats)`);

let browser: Browser;
const run = String(2000 + (process.pid % 7000));
let seq = 0;
const code = (prefix: string) => `${prefix}-${run}-${++seq}`;
const sessions = new Map<string, { context: BrowserContext; page: Page }>();

async function as(who: string): Promise<Page> {
	const open = sessions.get(who);
	if (open) return open.page;
	const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.on('dialog', (d) => d.accept().catch(() => undefined));
	page.on('response', (r) => {
		if (r.status() >= 400)
			void r
				.text()
				.then((t) => console.warn(`[browser:${who}] ${r.status()} ${r.url()} ${t.slice(0, 300)}`))
				.catch(() => undefined);
	});
	page.on('console', (m) => {
		if (m.type() === 'error') console.warn(`[browser:${who}] ${m.text()}`);
	});
	const { email, password } = info.users[who];
	await page.goto(`${info.url}/admin/login`, { waitUntil: 'networkidle' });
	await page.fill('input[type="email"]', email);
	await page.fill('input[type="password"]', password);
	await page.click('button[type="submit"]');
	await page.waitForURL((u) => !u.pathname.includes('/login'), { timeout: 90_000 });
	sessions.set(who, { context, page });
	return page;
}

/** Opens a record page and waits for its steps panel to have asked the server. */
async function openRecord(who: string, collection: string, id: string): Promise<Page> {
	const page = await as(who);
	await page.goto(`${info.url}/admin/content/${collection}/${id}`, { waitUntil: 'networkidle' });
	try {
		await page.waitForSelector('[data-cp-steps][data-ready="true"]', { timeout: 45_000, state: 'attached' });
	} catch (e) {
		await shot(page, `failed-${collection}.png`);
		const panel = await page
			.locator('[data-cp-steps]')
			.evaluate((el) => el.outerHTML)
			.catch(() => 'no panel');
		throw new Error(`${(e as Error).message}\n${panel}`, { cause: e });
	}
	return page;
}

/** Clicks a step's button (it must be allowed for this user), fills its inputs, confirms, waits for the page to reload. */
async function takeStep(page: Page, step: string, fill: (page: Page) => Promise<void> = async () => undefined) {
	const item = page.locator(`[data-cp-steps] [data-step="${step}"]`).first();
	await item.waitFor({ timeout: 60_000 });
	expect(
		await item.getAttribute('data-allowed'),
		`${step}: ${await item
			.locator('.missing')
			.textContent()
			.catch(() => '')}`,
	).toBe('true');
	const reload = page.waitForEvent('load', { timeout: 60_000 });
	await item.locator('button').first().click();
	if ((await item.locator('.inputs').count()) > 0) {
		await fill(page);
		await item.locator('[data-confirm]').first().click();
	}
	await reload;
	await page.waitForSelector('[data-cp-steps][data-ready="true"]', { timeout: 90_000 });
}

const row = (table: string, id: string) => database()(table).where({ id }).first();
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name), fullPage: true });

describe.skipIf(noBrowser || noAppAccess)('browser: record pages, steps by clicks (issue #12, CR-4, CR-13, CP-3, CP-4, PR-3)', { timeout: 600_000 }, () => {
	beforeAll(async () => {
		mkdirSync(SHOTS, { recursive: true });
		const { chromium } = await import('playwright-core');
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
	}, 240_000);

	afterAll(async () => {
		for (const s of sessions.values()) await s.context.close().catch(() => undefined);
		await browser?.close();
	});

	it('a contract from draft to every line signed with its checklist, each department on its own page', async () => {
		const customer = await ok('sales', 'POST', '/items/cp_customers', { code: code('C'), name: '华东包装材料有限公司', is_new: false });
		const c = await ok('sales', 'POST', '/items/cp_contracts', {
			code: code('HT'),
			title: '食品级瓦楞纸箱 年度供货合同',
			kind: 'contract',
			channel: 'written',
			class: 'regular',
			customer: customer.id,
			delivery_date: '2027-03-01',
			total_amount: 250000,
		});
		await ok('sales', 'POST', '/items/cp_contract_lines', {
			line_no: 1,
			product: '五层瓦楞纸箱',
			specification: '600×400×300',
			quantity: 20000,
			unit: '只',
			unit_price: 12.5,
			contract: c.id,
		});

		// Sales submits the draft (Doc 1 4.2.2).
		let page = await openRecord('sales', 'cp_contracts', c.id);
		// The raw status is not a dropdown anybody can set.
		expect(await page.locator('[data-cp-steps] [data-step="status:in_review"]').count(), await page.locator('[data-cp-steps]').innerText()).toBe(1);
		await shot(page, 'contract-draft.png');
		await takeStep(page, 'status:in_review');
		expect((await row('cp_contracts', c.id)).status).toBe('in_review');

		// CR-4: each department signs its own line with its opinion and the line's aspects ticked.
		const lines = await database()('cp_review_lines').where({ contract: c.id });
		expect(lines.map((l: any) => l.department).sort()).toEqual(['production', 'purchasing', 'sales']);
		for (const line of lines) {
			page = await openRecord(line.department, 'cp_contracts', c.id);
			// Another department's line is shown with the reason it is not this user's.
			const other = lines.find((l: any) => l.department !== line.department);
			const foreign = page.locator(`[data-step="sign:${other.id}"]`);
			if (await foreign.count()) expect(await foreign.getAttribute('data-allowed')).toBe('false');
			if (line.department === 'production') await shot(page, 'contract-review.png');
			await takeStep(page, `sign:${line.id}`, async (p) => {
				await p.fill(`[data-step="sign:${line.id}"] [data-input="opinion"] textarea`, `${line.department} 可以满足`);
				for (const box of await p.locator(`[data-step="sign:${line.id}"] [data-aspect] input[type="checkbox"]`).all()) await box.check();
			});
			const signed = await row('cp_review_lines', line.id);
			expect(signed.decision).toBe('approved');
			expect(signed.opinion).toBe(`${line.department} 可以满足`);
			expect(signed.signed_by).toBe(info.users[line.department].id);
		}
		// Not yet by clicks (see the README): the conclusion typed on the form and saved (CR-6), the
		// deputy GM's signature (CR-11) and the task notices acknowledged (CR-13). Typing the
		// conclusion and pressing Ctrl+S left the contract in review in the test.
		expect((await row('cp_contracts', c.id)).status).toBe('in_review');
	});

	it('a complaint: investigated, clock paused and resumed with its reason', async () => {
		const customer = await ok('sales', 'POST', '/items/cp_customers', { code: code('C'), name: '华南食品有限公司' });
		const c = await ok('sales', 'POST', '/items/cp_complaints', {
			customer: customer.id,
			channel: 'phone',
			summary: '纸箱压溃 Crushed boxes',
			received_at: new Date(Date.now() - 3600e3).toISOString(),
		});
		let page = await openRecord('quality', 'cp_complaints', c.id);
		await takeStep(page, 'status:investigating');
		expect((await row('cp_complaints', c.id)).status).toBe('investigating');

		// CP-4: the clock waits for the customer's photos.
		await takeStep(page, 'pause', async (p) => {
			await p.selectOption('[data-step="pause"] [data-input="reason"] select', 'customer_photos');
			await p.fill('[data-step="pause"] [data-input="note"] textarea', '请顾客提供压溃纸箱照片');
		});
		const paused = await row('cp_complaints', c.id);
		const pauses = typeof paused.pauses === 'string' ? JSON.parse(paused.pauses) : paused.pauses;
		expect(pauses).toHaveLength(1);
		expect(pauses[0].reason).toBe('customer_photos');
		await shot(page, 'complaint-paused.png');
		await takeStep(page, 'resume');
		expect(await database()('cp_audit').where({ item: c.id }).whereIn('action', ['pause', 'resume'])).toHaveLength(2);

		// Not yet by clicks: CP-3's corrective action picked on the action's form by the complaint's
		// number (the m2o picker's drawer did not open from the test; see the README).
		page = await openRecord('quality', 'cp_complaints', c.id);
		expect(await page.locator('[data-field="actions"]').count()).toBe(1);
		await shot(page, 'complaint.png');
	});

	it('a property item received by the warehouse and inspected by Quality', async () => {
		const customer = await ok('sales', 'POST', '/items/cp_customers', { code: code('C'), name: '苏州模具用户' });
		const p = await ok('sales', 'POST', '/items/cp_property', {
			code: code('CP'),
			name: '纸箱模切版 Die board',
			kind: 'tooling',
			customer: customer.id,
			serial_no: code('SN'),
			quantity: 1,
			unit: '套',
			scope: '我方保管与日常保养，合同结束归还',
		});
		let page = await openRecord('warehouse', 'cp_property', p.id);
		await takeStep(page, 'event:receipt', async (pg) => {
			await pg.fill('[data-step="event:receipt"] [data-input="quantity"] input', '1');
			await pg.fill('[data-step="event:receipt"] [data-input="to_location"] input', '顾客财产专区 A-01');
		});
		expect((await row('cp_property', p.id)).status).toBe('received');

		page = await openRecord('quality', 'cp_property', p.id);
		await takeStep(page, 'event:inspection', async (pg) => {
			await pg.selectOption('[data-step="event:inspection"] [data-input="result"] select', 'accepted');
		});
		expect((await row('cp_property', p.id)).status).toBe('in_store');

		// Not yet by clicks: the return (PR-2). The panel tries it without the customer's
		// acknowledgement and so shows it greyed out; see the README.
		expect((await database()('cp_property_events').where({ property: p.id })).map((e: any) => e.type)).toEqual(['receipt', 'inspection']);
		page = await openRecord('sales', 'cp_property', p.id);
		expect(await page.locator('[data-field="history"]').textContent()).toBeTruthy();
		await shot(page, 'property.png');
	});
});
