// What managers and staff see, in a real browser (X-4, CP-7, CC-3, CC-4): the work-queue module,
// the Insights dashboard of the indicators and a printed form, on the harness's running Directus.
// Screenshots go to $CP_SCREENSHOTS (the README's are in docs/screenshots/). Each panel must show the numbers its /cp/kpi endpoint
// returns through the API for the same user.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cp, database, http, ok, uid } from '../harness/client';
import { approval, signConclusion } from '../harness/fixtures';
import { connect } from '../../scripts/lib/api.mjs';
import { seedDashboard } from '../../seeds/dashboard.mjs';
import { formatValue } from '../../extensions/customer-processes/src/domain/kpi/format';

const CHROMIUM = '/usr/bin/chromium';
// CP_SCREENSHOTS=docs/screenshots refreshes the README's pictures; by default they go to a temp folder.
const SHOTS = process.env.CP_SCREENSHOTS ? resolve(process.env.CP_SCREENSHOTS) : join(tmpdir(), 'cp-screenshots');
const ZONE = 'Asia/Shanghai';
const D = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const info = cp();
const noBrowser = !existsSync(CHROMIUM);
const noAppAccess = info.appAccess === false;
if (noBrowser) console.warn(`[browser] SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium)`);
else if (noAppAccess) console.warn(`[browser] SKIPPED: on Directus ${info.directusVersion} the department users have no app access (Core tier seats)`);

let browser: Browser;
let dashboard: Awaited<ReturnType<typeof seedDashboard>>;
let printed: { id: string; code: string };

/** Short codes that read well on the screenshots; unique within one harness database. */
const run = String(1000 + (process.pid % 9000));
let seq = 0;
const code = (prefix: string) => `${prefix}-${run}-${++seq}`;

async function seedData() {
	const customer = await ok('sales', 'POST', '/items/cp_customers', { code: code('C'), name: '华东包装材料有限公司', is_new: false });
	const contract = async (title: string, product: string) => {
		const c = await ok('sales', 'POST', '/items/cp_contracts', {
			code: code('HT'),
			title,
			kind: 'contract',
			channel: 'written',
			class: 'regular',
			customer: customer.id,
		});
		await ok('sales', 'POST', '/items/cp_contract_lines', {
			line_no: 1,
			product,
			specification: '600×400×300',
			quantity: 20000,
			unit: '只',
			unit_price: 12.5,
			delivery_date: '2027-01-20',
			contract: c.id,
		});
		await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' });
		return c;
	};
	const lines = async (id: string) =>
		Object.fromEntries((await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${id}&limit=-1`)).map((l: any) => [l.department, l]));
	// One review completed, two waiting, one with a discrepancy for Sales.
	const done = await contract('食品级瓦楞纸箱 年度供货合同', '五层瓦楞纸箱');
	for (const [dept, l] of Object.entries(await lines(done.id)))
		await ok(dept, 'PATCH', `/items/cp_review_lines/${(l as any).id}`, approval(l as any, '可以满足'));
	// CR-6: the sales manager's conclusion completes the review.
	expect((await signConclusion(done.id, '同意签订')).status).toBe(200);
	// The review took a working day and a half, not the seconds of a test run.
	const submitted = await database()('cp_audit').where({ collection: 'cp_contracts', item: done.id, action: 'submitted' }).first('at');
	const started = Date.now() - 5 * D;
	await database()('cp_audit')
		.where({ collection: 'cp_contracts', item: done.id, action: 'submitted' })
		.update({ at: new Date(started) });
	await database()('cp_audit')
		.where({ collection: 'cp_contracts', item: done.id, action: 'review_completed' })
		.update({ at: new Date(started + 31.5 * 3600e3) });
	expect(submitted).toBeTruthy();
	const waiting = await contract('出口纸箱 订单', '出口纸箱');
	const waitingProduction = (await lines(waiting.id)).production;
	await ok('production', 'PATCH', `/items/cp_review_lines/${waitingProduction.id}`, approval(waitingProduction, '产能可以满足'));
	const unclear = await contract('彩印礼品盒 订单', '彩印礼品盒');
	await ok('production', 'POST', '/items/cp_discrepancies', { contract: unclear.id, clause: '印刷工艺', problem: '顾客要求的专色与现有油墨不符,需确认色号' });

	// Complaints: one overdue and unanswered, one fresh, one answered.
	const complaint = (summary: string, agoMs: number) =>
		ok('sales', 'POST', '/items/cp_complaints', {
			customer: customer.id,
			channel: 'phone',
			summary,
			description: '顾客来电反映',
			product: '五层瓦楞纸箱',
			batch: code('20261105'),
			received_at: iso(Date.now() - agoMs),
		});
	const overdue = await complaint('冷库中纸箱受潮塌箱', 4 * D);
	await complaint('外箱印刷颜色偏差', 2 * 3600e3);
	const answered = await complaint('纸箱尺寸偏小 2 mm', 2 * D);
	await ok('quality', 'PATCH', `/items/cp_complaints/${answered.id}`, { status: 'investigating' });
	await ok('quality', 'PATCH', `/items/cp_complaints/${answered.id}`, {
		traceability: '模切版磨损',
		root_cause_category: 'process',
		root_cause: '模切版刀口磨损未及时更换',
		responsible_department: 'production',
		status: 'action',
	});
	const a = await ok('quality', 'POST', '/items/cp_actions', {
		title: '模切版每班首件测量',
		source_collection: 'cp_complaints',
		source_id: answered.id,
		owner: info.users.production.id,
		department: 'production',
		due_at: iso(Date.now() + 3 * D),
	});
	await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
	await ok('sales', 'PATCH', `/items/cp_complaints/${answered.id}`, {
		response_content: '已更换模切版并加严首件检验。',
		product_disposition: 'none',
		status: 'responded',
	});
	await ok('quality', 'POST', '/items/cp_actions', {
		title: '回访顾客确认冷库使用条件',
		source_collection: 'cp_complaints',
		source_id: overdue.id,
		owner: info.users.sales.id,
		department: 'sales',
		due_at: iso(Date.now() + 2 * D),
	});
	printed = { id: answered.id, code: answered.code };

	// A survey due, one answered; a property item whose check is overdue.
	await ok('sales', 'POST', '/items/cp_communications', {
		customer: customer.id,
		type: 'survey',
		channel: 'mail',
		period_key: '2025-Q4',
		score: 86,
		survey_status: 'answered',
		occurred_at: DateTime.fromISO('2025-11-20T10:00:00', { zone: ZONE }).toISO(),
	});
	await ok('sales', 'POST', '/items/cp_communications', {
		customer: customer.id,
		type: 'survey',
		channel: 'mail',
		period_key: '2026-Q1',
		occurred_at: DateTime.fromISO('2026-02-20T10:00:00', { zone: ZONE }).toISO(),
	});
	const p = await ok('warehouse', 'POST', '/items/cp_property', {
		code: code('CP'),
		name: '纸箱模切版 Die board',
		kind: 'tooling',
		customer: customer.id,
		serial_no: uid('SN'),
		quantity: 1,
		unit: '套',
		scope: '我方保管与日常保养',
	});
	await ok('warehouse', 'POST', `/cp/property/${p.id}/events`, {
		type: 'receipt',
		quantity: 1,
		to_location: '顾客财产专区 A-01',
		occurred_at: DateTime.now().minus({ months: 7 }).toISO(),
	});
	await ok('quality', 'POST', `/cp/property/${p.id}/events`, { type: 'inspection', result: 'accepted' });
}

async function login(who: string): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
	const page = await context.newPage();
	const { email, password } = info.users[who];
	await page.goto(`${info.url}/admin/login`, { waitUntil: 'networkidle' });
	await page.fill('input[type="email"]', email);
	await page.fill('input[type="password"]', password);
	await page.click('button[type="submit"]');
	await page.waitForURL((u) => !u.pathname.includes('/login'), { timeout: 90_000 });
	return { context, page };
}

/** The cells a panel shows: row key -> column key -> text. */
async function panelCells(page: Page, panel: string): Promise<Record<string, Record<string, string>>> {
	return page.$$eval(`[data-panel="${panel}"] tr[data-row]`, (trs) =>
		Object.fromEntries(
			trs.map((tr) => [
				tr.getAttribute('data-row') ?? '',
				Object.fromEntries(
					Array.from(tr.querySelectorAll('td[data-col]')).map((td) => [td.getAttribute('data-col'), (td.querySelector('.v')?.textContent ?? '').trim()]),
				),
			]),
		),
	);
}

// The admin app's first load is heavy: on two busy cores it may take a minute, so the waits are long.
describe.skipIf(noBrowser || noAppAccess)('browser: work queue, KPI dashboard, printed form (X-4, CP-7, CC-3, CC-4)', { timeout: 240_000 }, () => {
	beforeAll(async () => {
		mkdirSync(SHOTS, { recursive: true });
		await seedData();
		const api = await connect({ url: info.url, ...info.admin });
		dashboard = await seedDashboard(api, { log: () => {} });
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
		await browser?.close();
	});

	it('the dashboard seed is idempotent', async () => {
		const api = await connect({ url: info.url, ...info.admin });
		const again = await seedDashboard(api, { log: () => {} });
		expect(again.id).toBe(dashboard.id);
		const panels = await ok('admin', 'GET', `/panels?filter[dashboard][_eq]=${dashboard.id}&limit=-1&fields=id,type`);
		expect(panels).toHaveLength(10);
		expect(new Set(panels.map((p: any) => p.type))).toEqual(new Set(['cp-kpi']));
	});

	it('the work-queue module lists each entry with its items, clocks and editor links (Sales, zh-CN)', async () => {
		const { context, page } = await login('sales');
		try {
			await page.goto(`${info.url}/admin/customer-processes`, { waitUntil: 'networkidle' });
			await page.waitForSelector('[data-queue]', { timeout: 90_000 });
			// The seed put the module in the module bar.
			expect(await page.locator('a[href="/admin/customer-processes"]').count()).toBeGreaterThanOrEqual(1);
			const api = (await http('sales', 'GET', '/cp/queue?lang=zh')).data as any[];
			const shown = await page.$$eval('[data-queue]', (els) =>
				els.map((el) => ({
					key: el.getAttribute('data-queue'),
					count: Number(el.querySelector('.count')?.textContent?.trim()),
					items: Array.from(el.querySelectorAll('li[data-item]')).map((li) => ({
						id: li.getAttribute('data-item'),
						href: li.querySelector('a')?.getAttribute('href'),
						clock: li.querySelector('.clock')?.textContent?.trim() ?? '',
					})),
				})),
			);
			expect(shown.map((s) => s.key)).toEqual(api.map((e) => e.key));
			for (const [i, e] of api.entries()) {
				expect(shown[i].count, e.key).toBe(e.count);
				expect(
					shown[i].items.map((x) => x.id),
					e.key,
				).toEqual(e.items.map((x: any) => x.id));
				for (const item of shown[i].items) expect(item.href, e.key).toBe(`/admin/content/${e.items.find((x: any) => x.id === item.id).collection}/${item.id}`);
			}
			const responses = shown.find((s) => s.key === 'complaint_responses')!;
			expect(responses.count).toBeGreaterThanOrEqual(2);
			// CP-4: each complaint shows its response clock; the one received 4 days ago is overdue.
			const now = Date.now();
			for (const item of api.find((e) => e.key === 'complaint_responses').items) {
				const clock = responses.items.find((i) => i.id === item.id)!.clock;
				if (item.paused) expect(clock).toBe('计时暂停');
				else if (Date.parse(item.due_at) < now - 60e3) expect(clock).toMatch(/^已超期 \d/);
				else if (Date.parse(item.due_at) > now + 60e3) expect(clock).toMatch(/^剩余 \d/);
			}
			expect(responses.items.some((i) => i.clock.startsWith('已超期'))).toBe(true);
			expect(shown.find((s) => s.key === 'review_lines')!.count).toBeGreaterThanOrEqual(2);
			await page.screenshot({ path: join(SHOTS, 'module.png'), fullPage: true });

			// An item opens in the normal Directus editor.
			const first = responses.items[0];
			await page.click(`li[data-item="${first.id}"] a`);
			await page.waitForURL((u) => u.pathname === `/admin/content/cp_complaints/${first.id}`);

			// The panels speak the user's language (zh-CN for this user).
			await page.goto(`${info.url}/admin/insights/${dashboard.id}`, { waitUntil: 'networkidle' });
			await page.waitForFunction((n) => document.querySelectorAll('[data-kpi][data-state="ready"]').length === n, dashboard.panels.length, { timeout: 90_000 });
			const heads = await page.$$eval('[data-kpi="reviews-waiting"] thead th', (ths) => ths.map((th) => th.textContent?.trim()).filter(Boolean));
			expect(heads).toEqual(['待评审栏', '合同数']);
			await page.screenshot({ path: join(SHOTS, 'dashboard-zh.png'), fullPage: true });
		} finally {
			await context.close();
		}
	});

	it('each dashboard panel shows the numbers its KPI endpoint returns (Quality, en-US)', async () => {
		const { context, page } = await login('quality');
		try {
			await page.goto(`${info.url}/admin/insights/${dashboard.id}`, { waitUntil: 'networkidle' });
			await page.waitForFunction((n) => document.querySelectorAll('[data-kpi][data-state="ready"]').length === n, dashboard.panels.length, { timeout: 90_000 });
			await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
			let nonEmpty = 0;
			for (const p of dashboard.panels as { id: string; kpi: string }[]) {
				const r = await http('quality', 'GET', `/cp/kpi/${p.kpi}`);
				expect(r.status, p.kpi).toBe(200);
				const expected: Record<string, Record<string, string>> = {};
				for (const row of r.data.rows) {
					expected[row.key ?? ''] = Object.fromEntries(r.data.columns.map((c: any) => [c.key, formatValue(row.values[c.key], c.unit)]));
				}
				expect(await panelCells(page, p.id), p.kpi).toEqual(expected);
				if (r.data.rows.length) nonEmpty++;
			}
			// The seeded data gives every indicator but blocked property something to show.
			expect(nonEmpty).toBeGreaterThanOrEqual(9);
		} finally {
			await context.close();
		}
	});

	it('prints the customer feedback handling form from the app session', async () => {
		const { context, page } = await login('quality');
		try {
			const res = await page.goto(`${info.url}/cp/complaints/${printed.id}/form`, { waitUntil: 'networkidle' });
			expect(res?.status()).toBe(200);
			const text = await page.textContent('body');
			expect(text).toContain('反馈处理单');
			expect(text).toContain(printed.code);
			await page.screenshot({ path: join(SHOTS, 'form.png'), fullPage: true });
		} finally {
			await context.close();
		}
	});
});
