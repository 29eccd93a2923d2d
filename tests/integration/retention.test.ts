// CR-17, X-3: records are kept for the retention period (3 years) counted from when they are
// closed. The records are made through the API; then their creation and the audit row of their
// closure are moved back in time in the database, as if years had passed.
import { describe, expect, it } from 'vitest';
import { database, http, ok, uid } from '../harness/client';
import { LINE, complaintWithActionDone, reviewAll } from '../harness/fixtures';

const YEAR = 365.25 * 24 * 3600e3;
const ago = (years: number) => new Date(Date.now() - years * YEAR);

const customer = () => ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Retention ${uid('n')}` });

/** Moves a record's creation and every audit row about it `years` back. */
async function backdate(collection: string, id: string | number, years: number) {
	await database()(collection)
		.where('id', id)
		.update({ date_created: ago(years) });
	await database()('cp_audit')
		.where({ collection, item: String(id) })
		.update({ at: ago(years) });
}

/** Moves the audit row of the transition into `status` to `years` ago. */
async function closedYearsAgo(collection: string, id: string | number, status: string, years: number) {
	const n = await database()('cp_audit')
		.where({ collection, item: String(id), to_status: status })
		.whereNot('from_status', status)
		.update({ at: ago(years) });
	expect(n, `closing audit row of ${collection} ${id}`).toBeGreaterThan(0);
}

async function reviewLines(id: string) {
	return ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${id}&limit=-1`);
}

/** A regular contract walked through review, signing and into production (CR-4, CR-6, CR-11). */
async function contractInProduction() {
	const cust = await customer();
	const c = await ok('sales', 'POST', '/items/cp_contracts', {
		code: uid('HT'),
		title: 'Retention contract',
		kind: 'contract',
		channel: 'written',
		class: 'regular',
		customer: cust.id,
	});
	await ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, line_no: 1, contract: c.id });
	await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_review' });
	await reviewAll(c.id, 'OK');
	await ok('deputy_gm', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'signed' });
	await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'in_production' });
	return c as { id: string };
}

const del = (collection: string, id: string | number) => http('admin', 'DELETE', `/items/${collection}/${id}`);
const exists = async (collection: string, id: string | number) => Boolean(await database()(collection).where('id', id).first());

describe('CR-17 retention counted from closure (X-3)', () => {
	it('CR-17, X-3: a contract created 4 years ago and still in production is not past retention; nor are its lines', async () => {
		const c = await contractInProduction();
		await backdate('cp_contracts', c.id, 4);
		const [line] = await ok('admin', 'GET', `/items/cp_contract_lines?filter[contract][_eq]=${c.id}`);
		await backdate('cp_contract_lines', line.id, 4);
		const r = await del('cp_contracts', c.id);
		expect([r.status, r.code], r.message).toEqual([403, 'CP_RETAINED']);
		expect(r.message).toMatch(/not closed/);
		expect((await del('cp_contract_lines', line.id)).code).toBe('CP_RETAINED');
		expect(await exists('cp_contracts', c.id)).toBe(true);
		expect(await exists('cp_contract_lines', line.id)).toBe(true);
	});

	it('CR-17, X-3: a contract completed 2 years ago (created 5 years ago) is kept, and the message names the date it is kept until; completed 3+ years ago it may be deleted', async () => {
		const c = await contractInProduction();
		await ok('sales', 'PATCH', `/items/cp_contracts/${c.id}`, { status: 'completed' });
		await backdate('cp_contracts', c.id, 5);
		await closedYearsAgo('cp_contracts', c.id, 'completed', 2);
		const closed = (
			await database()('cp_audit')
				.where({ collection: 'cp_contracts', item: String(c.id), to_status: 'completed' })
				.first()
		).at;
		const until = new Date(closed);
		until.setUTCFullYear(until.getUTCFullYear() + 3);
		const lines = await reviewLines(c.id);
		for (const l of lines) await backdate('cp_review_lines', l.id, 5);

		const r = await del('cp_contracts', c.id);
		expect([r.status, r.code], r.message).toEqual([403, 'CP_RETAINED']);
		expect(r.message).toContain(until.toISOString().slice(0, 10));
		expect(r.message).toMatch(/retained for 3 years/);
		// A review line follows its contract.
		expect((await del('cp_review_lines', lines[0].id)).code).toBe('CP_RETAINED');

		const notices = await ok('admin', 'GET', `/items/cp_task_notices?filter[contract][_eq]=${c.id}&limit=-1`);
		expect(notices.length).toBeGreaterThan(0);
		expect((await del('cp_task_notices', notices[0].id)).code).toBe('CP_RETAINED');

		await closedYearsAgo('cp_contracts', c.id, 'completed', 3.1);
		expect((await del('cp_review_lines', lines[0].id)).status).toBe(204);
		for (const n of notices) expect((await del('cp_task_notices', n.id)).status).toBe(204);
		expect((await del('cp_contracts', c.id)).status).toBe(204);
		expect(await exists('cp_contracts', c.id)).toBe(false);
	});

	it('CR-17, X-3: a complaint received 4 years ago is kept while open; closed 1 year ago it is kept; closed 3+ years ago it may be deleted, its actions with it', async () => {
		const cust = await customer();
		const c = await complaintWithActionDone(cust.id, { summary: 'Crushed boxes', product: 'Corrugated box', rootCause: 'Glue', action: 'Change glue' });
		const [action] = await database()('cp_actions').where({ source_collection: 'cp_complaints', source_id: String(c.id) });
		await backdate('cp_complaints', c.id, 4);
		await backdate('cp_actions', action.id, 4);
		const open = await del('cp_complaints', c.id);
		expect([open.status, open.code], open.message).toEqual([403, 'CP_RETAINED']);
		expect(open.message).toMatch(/not closed/);
		expect((await del('cp_actions', action.id)).code).toBe('CP_RETAINED');

		await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { product_disposition: 'nonconforming' });
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'responded', response_content: '已调整工艺' });
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'verifying' });
		await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { verification: 'confirmed', verification_note: '电话复核认可', status: 'closed' });
		await closedYearsAgo('cp_complaints', c.id, 'closed', 1);
		const kept = await del('cp_complaints', c.id);
		expect(kept.code, kept.message).toBe('CP_RETAINED');
		expect(kept.message).toMatch(/kept until \d{4}-\d{2}-\d{2}/);
		expect((await del('cp_actions', action.id)).code).toBe('CP_RETAINED');

		await closedYearsAgo('cp_complaints', c.id, 'closed', 3.1);
		expect((await del('cp_actions', action.id)).status).toBe(204);
		expect((await del('cp_complaints', c.id)).status).toBe(204);
		expect(await exists('cp_complaints', c.id)).toBe(false);
	});

	it('CR-17, X-3: a communication is kept 3 years from when it happened, whatever its creation date', async () => {
		const cust = await customer();
		const recent = await ok('sales', 'POST', '/items/cp_communications', {
			customer: cust.id,
			type: 'inquiry',
			channel: 'phone',
			occurred_at: ago(1).toISOString(),
			summary: 'Price',
		});
		await backdate('cp_communications', recent.id, 5);
		expect((await del('cp_communications', recent.id)).code).toBe('CP_RETAINED');
		await database()('cp_communications')
			.where('id', recent.id)
			.update({ occurred_at: ago(3.1) });
		expect((await del('cp_communications', recent.id)).status).toBe(204);
	});
});
