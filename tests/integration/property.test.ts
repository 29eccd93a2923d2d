// Customer property custody register over HTTP as department users (PR-1..PR-8, X-1, X-2).
import { describe, expect, it, beforeAll } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { cp, database, http, ok, token, uid } from '../harness/client';
import { connect } from '../../scripts/lib/api.mjs';
import { CREATE_PATHS, createVia } from '../harness/paths';
import { seedPropertyDemo } from '../../seeds/demo-property.mjs';
import { localDay } from '../harness/fixtures';

const ZONE = 'Asia/Shanghai';
const today = () => DateTime.now().setZone(ZONE);

let customer: string;
let customerName: string;

const line = (over: Record<string, unknown> = {}) => ({
	code: uid('CP-T'),
	name: '纸箱模切版 Die board',
	kind: 'tooling',
	customer,
	serial_no: uid('SN'),
	quantity: 1,
	unit: '套',
	scope: '顾客提供,我方保管与日常保养;损坏须书面通知顾客 Kept and maintained by us; damage reported in writing',
	...over,
});

const row = (id: string) => database()('cp_property').where('id', id).first();
const eventCount = async (id: string) => Number((await database()('cp_property_events').where('property', id).count({ n: '*' }).first())?.n ?? 0);
const event = (who: string, id: string, body: Record<string, unknown>) => http(who, 'POST', `/cp/property/${id}/events`, body);
const notifications = (id: string, recipient?: string) => {
	const q = database()('directus_notifications').where({ collection: 'cp_property', item: String(id) });
	if (recipient) q.where('recipient', recipient);
	return q.select('*');
};

async function register(who = 'warehouse', over: Record<string, unknown> = {}) {
	return ok(who, 'POST', '/items/cp_property', line(over));
}

async function received(over: Record<string, unknown> = {}, receipt: Record<string, unknown> = {}) {
	const item = await register('warehouse', over);
	await ok('warehouse', 'POST', `/cp/property/${item.id}/events`, {
		type: 'receipt',
		quantity: over.quantity ?? 1,
		to_location: '顾客财产专区 A-01',
		...receipt,
	});
	return item;
}

async function inStore(over: Record<string, unknown> = {}, receipt: Record<string, unknown> = {}) {
	const item = await received(over, receipt);
	await ok('quality', 'POST', `/cp/property/${item.id}/events`, { type: 'inspection', result: 'accepted' });
	return item;
}

/** Asserts a refused request changed neither the register line nor its history. */
async function refusedUnchanged(id: string, request: () => ReturnType<typeof http>, status: number, code: string) {
	const before = await row(id);
	const events = await eventCount(id);
	const r = await request();
	expect(r.status, r.message).toBe(status);
	expect(r.code, r.message).toBe(code);
	expect(await row(id)).toEqual(before);
	expect(await eventCount(id)).toBe(events);
	return r;
}

beforeAll(async () => {
	customerName = `华东包装 Property customer ${uid('x')}`;
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: customerName })).id;
});

describe('register (PR-1, PR-2, PR-8)', () => {
	it('PR-1: registers an item as expected', async () => {
		const item = await register('warehouse', { status: undefined });
		expect(item.status).toBe('expected');
		const created = await row(item.id);
		expect(created.kind).toBe('tooling');
		expect(created.next_check_due).toBeNull();
	});

	it('PR-8: refuses bad register lines with a clear code and writes nothing', async () => {
		const cases: [Record<string, unknown>, number, string, string][] = [
			[{ kind: 'material', quantity: -5, serial_no: null }, 400, 'CP_INVALID_VALUE', 'quantity'],
			[{ customer: '6f1c2b1e-0000-4000-8000-000000000001' }, 400, 'CP_INVALID_VALUE', 'customer'],
			[{ kind: 'spaceship' }, 400, 'CP_INVALID_VALUE', 'kind'],
			[{ serial_no: null }, 400, 'CP_REQUIRED_FIELDS_MISSING', 'serial_no'],
			[{ quantity: 2 }, 400, 'CP_INVALID_VALUE', 'quantity'],
			[{ scope: '  ' }, 400, 'CP_REQUIRED_FIELDS_MISSING', 'scope'],
			[{ status: 'in_store' }, 409, 'CP_ILLEGAL_TRANSITION', 'status'],
		];
		for (const [over, status, code, field] of cases) {
			const body = line(over);
			const r = await http('warehouse', 'POST', '/items/cp_property', body);
			expect(r.status, JSON.stringify(over)).toBe(status);
			expect(r.code, JSON.stringify(over)).toBe(code);
			expect(r.body.errors[0].extensions.field, JSON.stringify(over)).toBe(field);
			expect(await database()('cp_property').where('code', body.code).first()).toBeUndefined();
		}
	});

	it('PR-4: refuses a label code that is already used', async () => {
		const first = await register();
		const r = await http('warehouse', 'POST', '/items/cp_property', line({ code: first.code }));
		expect(r.status).toBe(409);
		expect(r.code).toBe('CP_DUPLICATE_CODE');
		expect(Number((await database()('cp_property').where('code', first.code).count({ n: '*' }).first())!.n)).toBe(1);
	});

	it('PR-2: links the contract of the same customer only', async () => {
		const other = await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Other customer' });
		// Contracts are fixtures here (their own rules are the contract review's tests).
		const contract = async (c: string) => {
			const id = randomUUID();
			await database()('cp_contracts').insert({
				id,
				code: uid('HT'),
				title: 'Die board custody',
				customer: c,
				status: 'draft',
				kind: 'contract',
				channel: 'written',
				class: 'regular',
			});
			return id;
		};
		const body = line({ contract: await contract(other.id) });
		const r = await http('sales', 'POST', '/items/cp_property', body);
		expect(r.status).toBe(400);
		expect(r.code).toBe('CP_INVALID_VALUE');
		expect(r.body.errors[0].extensions.field).toBe('contract');
		expect(await database()('cp_property').where('code', body.code).first()).toBeUndefined();
		const own = await contract(customer);
		const item = await ok('sales', 'POST', '/items/cp_property', line({ contract: own }));
		expect((await row(item.id)).contract).toBe(own);
	});

	it('refuses a direct status PATCH naming the event to record, and allows other edits', async () => {
		const item = await register();
		const r = await refusedUnchanged(
			item.id,
			() => http('warehouse', 'PATCH', `/items/cp_property/${item.id}`, { status: 'received' }),
			409,
			'CP_ILLEGAL_TRANSITION',
		);
		// The event by its name on the screens (the warehouse user works in English).
		expect(r.message).toContain("'Receipt' event");
		const admin = await refusedUnchanged(
			item.id,
			() => http('admin', 'PATCH', `/items/cp_property/${item.id}`, { status: 'received' }),
			409,
			'CP_ILLEGAL_TRANSITION',
		);
		expect(admin.message).toMatch(/'Receipt' event/);
		await refusedUnchanged(
			item.id,
			() => http('warehouse', 'PATCH', `/items/cp_property/${item.id}`, { next_check_due: '2020-01-01' }),
			409,
			'CP_EVENT_REQUIRED',
		);
		await refusedUnchanged(item.id, () => http('warehouse', 'PATCH', `/items/cp_property/${item.id}`, { quantity: -1 }), 400, 'CP_INVALID_VALUE');
		await ok('warehouse', 'PATCH', `/items/cp_property/${item.id}`, { scope: 'Updated scope', location: 'Planned: A-02' });
		expect(await row(item.id)).toMatchObject({ scope: 'Updated scope', location: 'Planned: A-02', status: 'expected' });
	});
});

describe('receipt and incoming inspection (PR-3, PR-8)', () => {
	it('PR-8: the receipt records name, spec, model and quantity and notes mismatches', async () => {
		const item = await register('warehouse', { kind: 'material', serial_no: null, quantity: 100, unit: 'kg', specification: 'K=A 250g', model: 'KA-250' });
		const res = await ok('warehouse', 'POST', `/cp/property/${item.id}/events`, {
			type: 'receipt',
			quantity: 98,
			to_location: '顾客财产专区 B-03',
			details: { specification: 'K=A 230g', slip_no: 'RK-0001' },
		});
		expect(res.property.status).toBe('received');
		expect(res.event.details.slip).toEqual({ name: item.name, specification: 'K=A 230g', model: 'KA-250', quantity: 98 });
		expect(res.event.details.mismatches).toEqual([
			{ field: 'specification', registered: 'K=A 250g', received: 'K=A 230g' },
			{ field: 'quantity', registered: 100, received: 98 },
		]);
		expect(res.event.details.slip_no).toBe('RK-0001');
		const after = await row(item.id);
		expect(Number(after.quantity)).toBe(98);
		expect(after.location).toBe('顾客财产专区 B-03');
		expect(localDay(after.next_check_due)).toBe(today().plus({ months: 6 }).toISODate());
	});

	it('PR-8: a receipt without the received quantity is refused', async () => {
		const item = await register();
		await refusedUnchanged(item.id, () => event('warehouse', item.id, { type: 'receipt' }), 400, 'CP_REQUIRED_FIELDS_MISSING');
	});

	it('PR-3: only Quality inspects; accepted goes to store with the verification record', async () => {
		const item = await received();
		const r = await refusedUnchanged(item.id, () => event('warehouse', item.id, { type: 'inspection', result: 'accepted' }), 403, 'CP_NOT_DEPARTMENT_MEMBER');
		expect(r.message).toContain('Quality');
		const res = await ok('quality', 'POST', `/cp/property/${item.id}/events`, { type: 'inspection', result: 'accepted', note: '外观、尺寸合格' });
		expect(res.property.status).toBe('in_store');
		expect(res.event.details.verification).toEqual({ result: 'accepted', by: 'quality' });
		const ev = await database()('cp_property_events').where({ property: item.id, type: 'inspection' }).first();
		expect(ev.user_created).toBe(cp().users.quality.id);
		expect(ev.result).toBe('accepted');
		const trail = await database()('cp_audit')
			.where({ collection: 'cp_property', item: String(item.id), action: 'transition' })
			.orderBy('id');
		expect(trail.map((t: any) => [t.from_status, t.to_status, t.department])).toEqual([
			['expected', 'received', 'warehouse'],
			['received', 'in_store', 'quality'],
		]);
	});

	it('PR-3: an admin may inspect and is recorded as admin', async () => {
		const item = await received();
		await ok('admin', 'POST', `/cp/property/${item.id}/events`, { type: 'inspection', result: 'accepted' });
		expect((await row(item.id)).status).toBe('in_store');
		const [t] = await database()('cp_audit').where({ collection: 'cp_property', item: String(item.id), to_status: 'in_store' });
		expect(Boolean(t.as_admin)).toBe(true);
	});

	it('PR-3: rejected goes back to the customer with a feedback record via Sales', async () => {
		const item = await received();
		await refusedUnchanged(item.id, () => event('quality', item.id, { type: 'inspection', result: 'rejected' }), 400, 'CP_REQUIRED_FIELDS_MISSING');
		const res = await ok('quality', 'POST', `/cp/property/${item.id}/events`, {
			type: 'inspection',
			result: 'rejected',
			note: '刃口崩缺 3 处 Cutting edge chipped',
		});
		expect(res.property.status).toBe('returned');
		const feedback = await database()('cp_communications').where({ customer, type: 'quality_info' }).where('summary', 'like', `%${item.code}%`);
		expect(feedback).toHaveLength(1);
		expect(feedback[0].findings).toContain('刃口崩缺');
		const sales = await notifications(item.id, cp().users.sales.id);
		expect(sales).toHaveLength(1);
		expect(sales[0].subject).toContain(item.code);
		expect(await notifications(item.id, cp().users.warehouse.id)).toHaveLength(0);
	});

	it('PR-3, X-1: a rejected item prints the supplier quality feedback form (《供方产品质量反馈表》, Doc 1 4.8.2) passed to the customer via Sales; an accepted one has none', async () => {
		const item = await received();
		await ok('quality', 'POST', `/cp/property/${item.id}/events`, { type: 'inspection', result: 'rejected', note: '模切版尺寸偏差 2 mm Die 2 mm off' });
		const page = await http('sales', 'GET', `/cp/property/${item.id}/supplier-feedback`);
		expect(page.status).toBe(200);
		const html = String(page.body);
		expect(html).toContain('供方产品质量反馈表');
		expect(html).toContain('进货检验拒收');
		expect(html).toContain('模切版尺寸偏差 2 mm');
		expect(html).toContain('通过销售部转达顾客处理');
		expect(html).toContain(customerName);
		const accepted = await inStore();
		const none = await http('sales', 'GET', `/cp/property/${accepted.id}/supplier-feedback`);
		expect([none.status, none.code]).toEqual([409, 'CP_EVENT_REQUIRED']);
	});
});

describe('label and movement (PR-4)', () => {
	it('prints the ownership label with code, customer and a QR code', async () => {
		const item = await inStore();
		const res = await fetch(`${cp().url}/cp/property/${item.id}/label`, { headers: { authorization: `Bearer ${await token('production')}` } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/html');
		const page = await res.text();
		expect(page).toContain(item.code);
		expect(page).toContain('顾客财产 Customer property');
		expect(page).toContain(customerName);
		expect(page).toMatch(/<svg[^>]*viewBox/);
	});

	it('records who moved an item, when, from where to where, and needs the target', async () => {
		const item = await inStore();
		await refusedUnchanged(item.id, () => event('warehouse', item.id, { type: 'movement' }), 400, 'CP_REQUIRED_FIELDS_MISSING');
		await refusedUnchanged(item.id, () => http('warehouse', 'PATCH', `/items/cp_property/${item.id}`, { location: 'C-01' }), 409, 'CP_EVENT_REQUIRED');
		// The generic item create goes through the same rules as /cp/property/:id/events.
		const ev = await ok('warehouse', 'POST', '/items/cp_property_events', {
			property: item.id,
			type: 'movement',
			to_location: '顾客财产专区 C-01',
			details: { segregated: true },
		});
		expect(ev.from_location).toBe('顾客财产专区 A-01');
		expect(ev.to_location).toBe('顾客财产专区 C-01');
		expect(ev.user_created).toBe(cp().users.warehouse.id);
		expect(ev.occurred_at).toBeTruthy();
		const after = await row(item.id);
		expect(after.location).toBe('顾客财产专区 C-01');
		expect(Boolean(after.location_segregated)).toBe(true);
		expect(after.status).toBe('in_store');
	});

	it('refuses moving information that has no storage location', async () => {
		const item = await inStore({ kind: 'drawing', serial_no: null, quantity: 12 }, { quantity: 12, to_location: null });
		await refusedUnchanged(item.id, () => event('technical', item.id, { type: 'movement', to_location: 'Cabinet 2' }), 409, 'CP_EVENT_NOT_ALLOWED');
	});
});

describe('periodic checks (PR-5)', () => {
	it('notifies a due check once across job runs, lists it, and a check record moves the date', async () => {
		const sevenMonthsAgo = DateTime.now().minus({ months: 7 }).toISO();
		const item = await inStore({}, { occurred_at: sevenMonthsAgo });
		const due = DateTime.fromISO(sevenMonthsAgo!).setZone(ZONE).plus({ months: 6 }).toISODate();
		expect(localDay((await row(item.id)).next_check_due)).toBe(due);

		const queue = await ok('warehouse', 'GET', '/cp/property/checks-due');
		expect(queue.find((q: any) => q.id === item.id)).toMatchObject({ code: item.code, next_check_due: due, custodians: ['production'] });

		expect((await http('production', 'POST', '/cp/jobs/property-checks')).status).toBe(403);
		await ok('admin', 'POST', '/cp/jobs/property-checks');
		await ok('admin', 'POST', '/cp/jobs/property-checks');
		const sent = await notifications(item.id);
		expect(sent.map((n: any) => n.recipient)).toEqual([cp().users.production.id]);
		expect(sent[0].subject).toContain(item.code);
		expect(localDay((await row(item.id)).check_notified_for)).toBe(due);

		const res = await ok('production', 'POST', `/cp/property/${item.id}/events`, { type: 'check', result: 'ok', note: '刃口完好' });
		expect(localDay(res.property.next_check_due)).toBe(today().plus({ months: 6 }).toISODate());
		expect(res.property.last_check_at).toBeTruthy();
		const after = await ok('warehouse', 'GET', '/cp/property/checks-due');
		expect(after.find((q: any) => q.id === item.id)).toBeUndefined();
		await ok('admin', 'POST', '/cp/jobs/property-checks');
		expect(await notifications(item.id)).toHaveLength(1);
	});

	it('PR-5: checks falling due together, two job runs at the same time: each item announced once, to its custodian', async () => {
		const sevenMonthsAgo = DateTime.now().minus({ months: 7 }).toISO();
		const items = [];
		for (let i = 0; i < 3; i++) items.push(await inStore({}, { occurred_at: sevenMonthsAgo }));
		const runs = await Promise.all([ok('admin', 'POST', '/cp/jobs/property-checks'), ok('admin', 'POST', '/cp/jobs/property-checks')]);
		const ids = items.map((i) => String(i.id));
		const announced = runs.flatMap((r: any) => r.notified.map((n: any) => String(n.id))).filter((id: string) => ids.includes(id));
		expect(announced.sort()).toEqual([...ids].sort());
		for (const item of items) {
			const sent = await notifications(item.id);
			expect(sent.map((n: any) => n.recipient)).toEqual([cp().users.production.id]);
			expect(sent[0].subject).toContain(item.code);
		}
		// The run's answer names each item with its due date and how many people were told.
		const mine = runs.flatMap((r: any) => r.notified).filter((n: any) => ids.includes(String(n.id)));
		expect(mine.every((n: any) => n.recipients === 1 && typeof n.due === 'string')).toBe(true);
	});

	// PR-5 (Doc 5 4): technical documents are checked too, every 6 months from receipt.
	it('PR-5: checks documents as well as physical items', async () => {
		const item = await received({ kind: 'drawing', serial_no: null, quantity: 12 }, { quantity: 12, to_location: null });
		expect(localDay((await row(item.id)).next_check_due)).toBe(today().plus({ months: 6 }).toISODate());
	});

	it('refuses a check without a result and a check of a returned item', async () => {
		const item = await inStore();
		await refusedUnchanged(item.id, () => event('production', item.id, { type: 'check' }), 400, 'CP_REQUIRED_FIELDS_MISSING');
		await ok('sales', 'POST', `/cp/property/${item.id}/events`, { type: 'return', details: { customer_acknowledged: true } });
		await refusedUnchanged(item.id, () => event('production', item.id, { type: 'check', result: 'ok' }), 409, 'CP_EVENT_NOT_ALLOWED');
	});
});

describe('problems and the customer disposition (PR-6, PR-7)', () => {
	it('a problem blocks use until the customer decides; the report goes to the customer', async () => {
		const item = await inStore();
		await ok('production', 'POST', `/cp/property/${item.id}/events`, { type: 'use', details: { action: 'issue' } });
		expect((await row(item.id)).status).toBe('in_use');

		await refusedUnchanged(item.id, () => event('production', item.id, { type: 'problem', note: 'cracked' }), 400, 'CP_REQUIRED_FIELDS_MISSING');
		const res = await ok('production', 'POST', `/cp/property/${item.id}/events`, {
			type: 'problem',
			note: '模切版刃口断裂,停止使用 Blade broken, use stopped',
			details: { problem_type: 'damage' },
		});
		expect(res.property.status).toBe('blocked');
		for (const dept of ['sales', 'technical', 'quality']) {
			const n = await notifications(item.id, cp().users[dept].id);
			expect(n, dept).toHaveLength(1);
			expect(n[0].subject).toContain(item.code);
		}
		expect(await notifications(item.id, cp().users.warehouse.id)).toHaveLength(0);

		await refusedUnchanged(item.id, () => event('production', item.id, { type: 'use', details: { action: 'use' } }), 409, 'CP_PROPERTY_BLOCKED');
		await refusedUnchanged(item.id, () => event('warehouse', item.id, { type: 'movement', to_location: 'Rack B-01' }), 409, 'CP_PROPERTY_BLOCKED');
		await refusedUnchanged(item.id, () => event('sales', item.id, { type: 'return', details: { customer_acknowledged: true } }), 409, 'CP_PROPERTY_BLOCKED');
		await ok('warehouse', 'POST', `/cp/property/${item.id}/events`, { type: 'movement', to_location: '隔离区 Q-1' });
		expect((await row(item.id)).location).toBe('隔离区 Q-1');

		const report = await fetch(`${cp().url}/cp/property/${item.id}/problem-report`, { headers: { authorization: `Bearer ${await token('sales')}` } });
		expect(report.status).toBe(200);
		expect(report.headers.get('content-type')).toMatch(/text\/html; charset=utf-8/i);
		const page = await report.text();
		expect(page).toContain('顾客财产问题报告单');
		expect(page).toContain(item.code);
		expect(page).toContain('损坏 Damage');
		expect(page).toContain('模切版刃口断裂');
		expect(page).toContain(customerName);

		await refusedUnchanged(item.id, () => event('sales', item.id, { type: 'disposition', details: { decision: 'maybe' } }), 400, 'CP_REQUIRED_FIELDS_MISSING');
		const decided = await ok('sales', 'POST', `/cp/property/${item.id}/events`, {
			type: 'disposition',
			customer_message: '顾客邮件:修复后继续使用,损失由我方承担 Customer e-mail: repair and continue use',
			note: '顾客函:修复后继续使用,损失由顾客承担',
			to_location: '顾客财产专区 A-01',
			details: { decision: 'continue_use', loss_attributed_to_customer: true },
		});
		expect(decided.property.status).toBe('in_use');
		expect(Boolean((await row(item.id)).loss_attributed_to_customer)).toBe(true);
		await ok('production', 'POST', `/cp/property/${item.id}/events`, { type: 'use', details: { action: 'put_back' } });
		expect((await row(item.id)).status).toBe('in_store');

		const after = await (
			await fetch(`${cp().url}/cp/property/${item.id}/problem-report`, { headers: { authorization: `Bearer ${await token('sales')}` } })
		).text();
		expect(after).toContain('继续使用 Continue use');
	});

	it('refuses a disposition without an open problem', async () => {
		const item = await inStore();
		const r = await refusedUnchanged(
			item.id,
			() => event('sales', item.id, { type: 'disposition', details: { decision: 'store' } }),
			409,
			'CP_NO_OPEN_PROBLEM',
		);
		// Said to the user without requirement ids (they belong in docs and logs).
		expect(r.message).not.toMatch(/PR-\d/);
		const report = await http('sales', 'GET', `/cp/property/${item.id}/problem-report`);
		expect(report.status).toBe(409);
		expect(report.code).toBe('CP_NO_OPEN_PROBLEM');
		// From the page's print button a browser gets a page in its language that says why.
		const res = await fetch(`${cp().url}/cp/property/${item.id}/problem-report`, {
			headers: { authorization: `Bearer ${await token('sales')}`, accept: 'text/html,application/xhtml+xml', 'accept-language': 'zh-CN,zh;q=0.9' },
		});
		expect(res.status).toBe(409);
		expect(res.headers.get('content-type')).toContain('text/html');
		const page = await res.text();
		expect(page).toContain('尚未报告任何问题');
		expect(page).not.toContain('no problem has been reported');
		expect(page).not.toMatch(/CP_NO_OPEN_PROBLEM|"errors"/);
	});
});

describe("PR-6: isolation before any disposition; the customer's disposition received by Sales with the customer's evidence", () => {
	/** A die board in use, found cracked at the press: blocked where it stands, never isolated. */
	async function crackedAtThePress() {
		const item = await inStore();
		await ok('production', 'POST', `/cp/property/${item.id}/events`, {
			type: 'use',
			details: { action: 'issue' },
			to_location: '二车间 模切机 Workshop 2 press',
		});
		await ok('production', 'POST', `/cp/property/${item.id}/events`, {
			type: 'problem',
			note: '模切版刃口崩裂 Blade cracked',
			details: { problem_type: 'damage' },
		});
		expect((await row(item.id)).status).toBe('blocked');
		return item;
	}
	const letter = { customer_message: '顾客邮件 2026-11-30:修复后继续使用 Customer e-mail: repair and continue use' };

	it("PR-6: the issue's case: Production records 'continue use' with no evidence on a never-isolated item — refused; so is Sales without evidence or isolation", async () => {
		const item = await crackedAtThePress();
		// Doc 1 4.8.4: the customer's decision reaches us through Sales, not Production.
		const byProduction = await refusedUnchanged(
			item.id,
			() => event('production', item.id, { type: 'disposition', ...letter, details: { decision: 'continue_use' } }),
			403,
			'CP_NOT_DEPARTMENT_MEMBER',
		);
		expect(byProduction.message).toContain('销售部');
		// Sales without the customer's evidence (a phone call noted is not it).
		const noEvidence = await refusedUnchanged(
			item.id,
			() => event('sales', item.id, { type: 'disposition', note: '电话:继续用 said on the phone', details: { decision: 'continue_use' } }),
			400,
			'CP_EVIDENCE_REQUIRED',
		);
		expect(noEvidence.message).toContain('顾客');
		// Sales with the evidence, but the item was never isolated: no disposition of any kind (Doc 5 5 "隔离、标识").
		for (const decision of ['continue_use', 'store', 'return', 'dispose']) {
			const r = await refusedUnchanged(
				item.id,
				() => event('sales', item.id, { type: 'disposition', ...letter, details: { decision } }),
				409,
				'CP_ISOLATION_REQUIRED',
			);
			expect(r.message).toContain('隔离');
		}
		// The printed report says it is not isolated yet.
		const before = await http('sales', 'GET', `/cp/property/${item.id}/problem-report`);
		expect(String(before.body)).toContain('尚未隔离');

		// Isolated, then Sales records the customer's decision with the customer's file.
		await ok('warehouse', 'POST', `/cp/property/${item.id}/events`, { type: 'movement', to_location: '隔离区 Q-2' });
		const form = new FormData();
		form.append('title', '顾客处置意见函 Customer disposition letter');
		form.append('file', new Blob(['%PDF-1.4 customer letter'], { type: 'application/pdf' }), 'disposition-letter.pdf');
		const file = await ok('sales', 'POST', '/files', form);
		const ghost = await refusedUnchanged(
			item.id,
			() => event('sales', item.id, { type: 'disposition', evidence: randomUUID(), details: { decision: 'continue_use' } }),
			400,
			'CP_INVALID_VALUE',
		);
		expect(ghost.message).toContain('顾客书面意见文件');
		const decided = await ok('sales', 'POST', `/cp/property/${item.id}/events`, {
			type: 'disposition',
			evidence: file.id,
			to_location: '顾客财产专区 A-01',
			details: { decision: 'continue_use' },
		});
		expect(decided.property.status).toBe('in_use');
		expect(decided.event.evidence).toBe(file.id);
		const page = String((await http('sales', 'GET', `/cp/property/${item.id}/problem-report`)).body);
		expect(page).toContain('隔离位置 Isolated at: 隔离区 Q-2');
		expect(page).toContain('顾客处置意见函 Customer disposition letter');
		expect(page).toContain('继续使用 Continue use');
	});

	// GraphQL creation of cp_property_events answers INTERNAL_SERVER_ERROR for every event, also before
	// this change (a plain receipt included): left out here and reported. An import is an upsert, which
	// the append-only history refuses to everyone (no update permission): it cannot record a disposition.
	const PATHS = CREATE_PATHS.filter((p) => p !== 'graphql-one' && p !== 'import');
	it('PR-6: the same refusals hold on the other create paths (REST one and list; an import is refused outright)', async () => {
		const item = await crackedAtThePress();
		for (const path of PATHS) {
			const noIsolation = await createVia(path, 'sales', 'cp_property_events', {
				property: item.id,
				type: 'disposition',
				...letter,
				details: { decision: 'continue_use' },
			});
			expect([noIsolation.ok, noIsolation.code], `${path} ${noIsolation.message}`).toEqual([false, 'CP_ISOLATION_REQUIRED']);
			const byProduction = await createVia(path, 'production', 'cp_property_events', {
				property: item.id,
				type: 'disposition',
				...letter,
				details: { decision: 'continue_use' },
			});
			expect([byProduction.ok, byProduction.code], path).toEqual([false, 'CP_NOT_DEPARTMENT_MEMBER']);
		}
		const imported = await createVia('import', 'sales', 'cp_property_events', {
			property: item.id,
			type: 'disposition',
			...letter,
			details: { decision: 'continue_use' },
		});
		expect(imported.ok).toBe(false);
		expect((await row(item.id)).status).toBe('blocked');
		await ok('warehouse', 'POST', `/cp/property/${item.id}/events`, { type: 'movement', to_location: 'Quarantine Q-3' });
		for (const path of PATHS) {
			const noEvidence = await createVia(path, 'sales', 'cp_property_events', { property: item.id, type: 'disposition', details: { decision: 'store' } });
			expect([noEvidence.ok, noEvidence.code], path).toEqual([false, 'CP_EVIDENCE_REQUIRED']);
		}
		const done = await createVia('rest-array', 'sales', 'cp_property_events', {
			property: item.id,
			type: 'disposition',
			...letter,
			details: { decision: 'store' },
		});
		expect(done.ok, done.message).toBe(true);
		expect((await row(item.id)).status).toBe('in_store');
		// The register line itself cannot be put back into use around the events.
		const patch = await http('production', 'PATCH', `/items/cp_property/${item.id}`, { status: 'in_use' });
		expect(patch.status).toBeGreaterThanOrEqual(400);
		expect((await row(item.id)).status).toBe('in_store');
	});
});

describe('personal data and intangibles (PR-1)', () => {
	it('shows personal data to Sales only and audits each read', async () => {
		const item = await ok('sales', 'POST', '/items/cp_property', line({ kind: 'personal_data', name: '顾客联系人名单', serial_no: null }));
		const refused = await http('warehouse', 'POST', '/items/cp_property', line({ kind: 'personal_data', serial_no: null }));
		expect(refused.status).toBe(403);
		expect(refused.code).toBe('CP_NOT_DEPARTMENT_MEMBER');

		const list = await ok('warehouse', 'GET', '/items/cp_property?limit=-1&fields=id,code');
		expect(list.some((p: any) => p.id === item.id)).toBe(false);
		expect(list.length).toBeGreaterThan(0);
		expect((await http('warehouse', 'GET', `/items/cp_property/${item.id}`)).status).toBe(403);
		expect((await http('warehouse', 'GET', `/cp/property/${item.id}/label`)).status).toBe(403);
		// a hidden line is refused like one that does not exist (tests/integration/confidential.test.ts).
		await refusedUnchanged(item.id, () => event('warehouse', item.id, { type: 'receipt', quantity: 1 }), 400, 'CP_INVALID_VALUE');
		await refusedUnchanged(item.id, () => http('warehouse', 'PATCH', `/items/cp_property/${item.id}`, { scope: 'x' }), 403, 'FORBIDDEN');

		await ok('sales', 'POST', `/cp/property/${item.id}/events`, { type: 'receipt', quantity: 1 });
		const events = await ok('warehouse', 'GET', `/items/cp_property_events?filter[property][_eq]=${item.id}`);
		expect(events).toEqual([]);

		const before = await database()('cp_audit').where({ collection: 'cp_property', item: String(item.id), action: 'read' });
		const seen = await ok('sales', 'GET', `/items/cp_property/${item.id}?fields=name`);
		expect(seen.name).toBe('顾客联系人名单');
		const after = await database()('cp_audit')
			.where({ collection: 'cp_property', item: String(item.id), action: 'read' })
			.orderBy('id');
		expect(after.length).toBe(before.length + 1);
		expect(after[after.length - 1]).toMatchObject({ user: cp().users.sales.id, department: 'sales' });
		expect((await ok('quality', 'GET', `/items/cp_property/${item.id}`)).kind).toBe('personal_data');
	});
});

describe('return at contract end (PR-2)', () => {
	it('needs the customer acknowledgement', async () => {
		const item = await inStore();
		await refusedUnchanged(item.id, () => event('sales', item.id, { type: 'return', details: {} }), 409, 'CP_CUSTOMER_ACK_REQUIRED');
		const res = await ok('sales', 'POST', `/cp/property/${item.id}/events`, {
			type: 'return',
			note: '合同结束,顾客签收',
			details: { customer_acknowledged: true },
		});
		expect(res.property.status).toBe('returned');
		expect(res.property.next_check_due).toBeNull();
	});
});

describe('demo property history (seeds/demo-property.mjs)', () => {
	it('walks the demo items through real events, once', async () => {
		const api = await connect({ url: cp().url, ...cp().admin });
		const demo = [
			{ code: 'CP-M-0001', name: '客户提供模具 纸箱模切版', kind: 'tooling', serial_no: 'MQ-600400', quantity: 1, unit: '套' },
			{ code: 'CP-D-0001', name: '液压支架 总装图纸', kind: 'drawing', specification: 'ZY6800-00 A0×12', quantity: 12, unit: '张' },
			{ code: 'CP-P-0001', name: '顾客联系人名单', kind: 'personal_data', quantity: 1, unit: '份' },
		];
		for (const d of demo) {
			if (!(await database()('cp_property').where('code', d.code).first())) await ok('admin', 'POST', '/items/cp_property', { ...d, customer, scope: 'demo' });
		}
		const first = await seedPropertyDemo(api, { log: () => {} });
		const status = async (code: string) => (await database()('cp_property').where('code', code).first()).status;
		if (first > 0) expect(first).toBe(9);
		expect(await status('CP-M-0001')).toBe('in_store');
		expect(await status('CP-D-0001')).toBe('in_use');
		expect(await status('CP-P-0001')).toBe('in_store');
		const tooling = await database()('cp_property').where('code', 'CP-M-0001').first();
		expect(tooling.location).toBe('顾客财产专区 A-01');
		const due = await ok('admin', 'GET', '/cp/property/checks-due');
		expect(due.map((d: any) => d.code)).toContain('CP-M-0001');
		expect(await seedPropertyDemo(api, { log: () => {} })).toBe(0);
	});
});
