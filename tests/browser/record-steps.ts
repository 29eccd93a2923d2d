// Shared by the browser tests of the record pages (issue #12): one Chromium, one logged-in page
// per department's user at 1366×768, opening a record page and taking a step of its next-steps
// panel by clicking and typing, saving a form with the app's own save button, and reading what
// the database then holds. No step goes through the API.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cp, database } from '../harness/client';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = process.env.CP_SCREENSHOTS ? resolve(process.env.CP_SCREENSHOTS) : join(tmpdir(), 'cp-screenshots');
export const info = cp();
const noBrowser = !existsSync(CHROMIUM);
const noAppAccess = info.appAccess === false;
/** Why the record pages cannot be walked here, said once; null when they can. */
export const skipRecordPages: boolean = noBrowser || noAppAccess;
if (noBrowser) console.warn(`[browser] SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium)`);
else if (noAppAccess) console.warn(`[browser] SKIPPED: on Directus ${info.directusVersion} the department users have no app access (Core tier seats)`);

let browser: Browser | undefined;
const run = String(2000 + (process.pid % 7000));
let seq = 0;
/** A unique code for this run's records. */
export const code = (prefix: string) => `${prefix}-${run}-${++seq}`;
const sessions = new Map<string, { context: BrowserContext; page: Page }>();

export async function launch(): Promise<void> {
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
}

export async function closeAll(): Promise<void> {
	for (const s of sessions.values()) await s.context.close().catch(() => undefined);
	sessions.clear();
	await browser?.close();
}

/** The logged-in page of a department's user (logged in once). */
export async function as(who: string): Promise<Page> {
	const open = sessions.get(who);
	if (open) return open.page;
	const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 });
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

export const row = (table: string, id: string) => database()(table).where({ id }).first();
export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, name), fullPage: true });
/** A JSON column as a value (SQLite hands it back as text). */
export const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** Opens a record page and waits for its steps panel to have asked the server. */
export async function openRecord(who: string, collection: string, id: string): Promise<Page> {
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
export async function takeStep(page: Page, step: string, fill: (page: Page) => Promise<void> = async () => undefined): Promise<void> {
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

/** Signs a review line from the contract page as its department: the opinion typed, every aspect ticked. */
export async function signLine(who: string, contract: string, line: string, opinion: string): Promise<Page> {
	const page = await openRecord(who, 'cp_contracts', contract);
	await takeStep(page, `sign:${line}`, async (p) => {
		await p.fill(`[data-step="sign:${line}"] [data-input="opinion"] textarea`, opinion);
		for (const box of await p.locator(`[data-step="sign:${line}"] [data-aspect] input[type="checkbox"]`).all()) await box.check();
	});
	return page;
}

/** Saves the record's form with the app's save button (the check mark in the header) and waits until the save answered. */
export async function saveForm(page: Page, collection: string): Promise<void> {
	const saved = page.waitForResponse((r) => r.url().includes(`/items/${collection}`) && ['PATCH', 'POST'].includes(r.request().method()), { timeout: 60_000 });
	await page.locator('.header-bar button:has(i[data-icon="check"])').first().click();
	const r = await saved;
	expect(r.status(), await r.text().catch(() => '')).toBeLessThan(300);
	await page.waitForLoadState('networkidle');
}

/**
 * A picture of one part of the page (a field with its label and note), whole: the app scrolls
 * inside its own pane, so the window is made tall enough for a moment.
 */
export async function shotOf(page: Page, selector: string, name: string): Promise<void> {
	await page.setViewportSize({ width: 1366, height: 2400 });
	try {
		const part = page.locator(selector).first();
		await part.scrollIntoViewIfNeeded();
		await part.screenshot({ path: join(SHOTS, name) });
	} finally {
		await page.setViewportSize({ width: 1366, height: 768 });
	}
}
