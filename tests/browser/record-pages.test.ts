// The record pages (issue #12) in a real browser at 1366×768: each department's user takes the
// procedure's steps by clicking the next-steps panel and typing into it, never through the API;
// after each step the test reads what the database then holds. Only the starting records (a draft
// contract with its line, a received complaint, an announced property item) are made through the
// API, as Sales would type them into the ordinary create form. Screenshots of each record page go
// to $CP_SCREENSHOTS (docs/screenshots for the README).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database, ok } from '../harness/client';
import { closeAll, code, info, launch, openRecord, row, shot, skipRecordPages, takeStep } from './record-steps';

describe.skipIf(skipRecordPages)('browser: record pages, steps by clicks (issue #12, CR-4, CR-13, CP-3, CP-4, PR-3)', { timeout: 600_000 }, () => {
	beforeAll(launch, 240_000);
	afterAll(closeAll);

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
		// The conclusion (CR-6), the sales VP's signature (CR-11) and the task notices (CR-13) are walked
		// by procedures.test.ts.
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

		// CP-3's corrective action created in the complaint page's drawer: procedures.test.ts.
		page = await openRecord('quality', 'cp_complaints', c.id);
		expect(await page.locator('[data-field="actions"]').count()).toBe(1);
		await shot(page, 'complaint.png');
	});
	// A property item from receipt through inspection to its return: procedures.test.ts (PR-2, PR-3).
});
