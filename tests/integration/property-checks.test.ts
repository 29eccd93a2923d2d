// PR-5 periodic checks of every kind we hold, documents included, over HTTP; PR-6 an abnormal check.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { advanceClock, cp, database, http, ok, resetClock, setClock, uid } from '../harness/client';
import { localDay } from '../harness/fixtures';

const ZONE = 'Asia/Shanghai';

let customer: string;
const row = (id: string) => database()('cp_property').where('id', id).first();
const notified = (id: string) =>
	database()('directus_notifications')
		.where({ collection: 'cp_property', item: String(id) })
		.orderBy('id')
		.select('recipient', 'subject');
const event = (who: string, id: string, body: Record<string, unknown>) => ok(who, 'POST', `/cp/property/${id}/events`, body);

/** A technical document registered, received (at `receivedAt`) and accepted at incoming inspection. */
async function documentInCustody(kind: 'drawing' | 'specification', receivedAt?: string) {
	const item = await ok('warehouse', 'POST', '/items/cp_property', {
		code: uid(kind === 'drawing' ? 'CP-D' : 'CP-S'),
		name: kind === 'drawing' ? '液压支架 总装图纸 Assembly drawing' : '焊接工艺规范 Welding specification',
		kind,
		customer,
		quantity: 12,
		unit: '张',
		scope: '顾客提供的技术文件,由技术部保管 Customer documents kept by Technical',
	});
	await event('warehouse', item.id, { type: 'receipt', quantity: 12, ...(receivedAt ? { occurred_at: receivedAt } : {}) });
	await event('quality', item.id, { type: 'inspection', result: 'accepted' });
	return item;
}

beforeAll(async () => {
	customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Checks customer ${uid('x')}` })).id;
});

afterEach(async () => {
	await resetClock();
});

describe('periodic checks of technical documents (PR-5)', () => {
	it('PR-5: a drawing and a specification get check dates in custody, Technical is notified once per due date, and a check moves the date', async () => {
		const received = DateTime.now().setZone(ZONE).minus({ months: 7 });
		const drawing = await documentInCustody('drawing', received.toISO()!);
		const spec = await documentInCustody('specification');
		// Doc 5 4: checked every 6 months from receipt.
		const drawingDue = received.plus({ months: 6 }).toISODate();
		const specDue = DateTime.now().setZone(ZONE).plus({ months: 6 }).toISODate()!;
		expect(localDay((await row(drawing.id)).next_check_due)).toBe(drawingDue);
		expect(localDay((await row(spec.id)).next_check_due)).toBe(specDue);

		const technical = cp().users.technical.id;
		try {
			const queue = await ok('technical', 'GET', '/cp/property/checks-due');
			expect(queue.find((q: any) => q.id === drawing.id)).toMatchObject({ code: drawing.code, next_check_due: drawingDue, custodians: ['technical'] });
			expect(queue.find((q: any) => q.id === spec.id)).toBeUndefined();

			await ok('admin', 'POST', '/cp/jobs/property-checks');
			await ok('admin', 'POST', '/cp/jobs/property-checks');
			const sent = await notified(drawing.id);
			expect(sent.map((n: any) => n.recipient)).toEqual([technical]);
			expect(sent[0].subject).toContain(drawing.code);
			expect(await notified(spec.id)).toEqual([]);

			// The check is recorded; the next one is six months after it.
			const checked = await event('technical', drawing.id, { type: 'check', result: 'ok', note: '图纸完整,无缺页 complete' });
			expect(localDay(checked.property.next_check_due)).toBe(specDue);
			expect((await ok('technical', 'GET', '/cp/property/checks-due')).find((q: any) => q.id === drawing.id)).toBeUndefined();

			// The server's clock moves past the specification's due date: the job finds it.
			await setClock(DateTime.fromISO(specDue, { zone: ZONE }).plus({ days: 2, hours: 10 }).toUTC().toISO()!);
			await ok('admin', 'POST', '/cp/jobs/property-checks');
			await ok('admin', 'POST', '/cp/jobs/property-checks');
			const specSent = await notified(spec.id);
			expect(specSent.map((n: any) => n.recipient)).toEqual([technical]);
			expect(specSent[0].subject).toContain(spec.code);
			expect(localDay((await row(spec.id)).check_notified_for)).toBe(specDue);
			// The drawing's new due date is notified once more, once.
			expect((await notified(drawing.id)).map((n: any) => n.recipient)).toEqual([technical, technical]);
			const ahead = await ok('technical', 'GET', '/cp/property/checks-due?within_days=200');
			expect(ahead.find((q: any) => q.id === spec.id)).toMatchObject({ next_check_due: specDue, custodians: ['technical'] });

			// A check at the moved time schedules the next one six months after it.
			const specChecked = await event('technical', spec.id, { type: 'check', result: 'ok' });
			const checkDay = DateTime.fromISO(specDue, { zone: ZONE }).plus({ days: 2 });
			expect(localDay(specChecked.property.next_check_due)).toBe(checkDay.plus({ months: 6 }).toISODate());
		} finally {
			await resetClock();
		}
	});
});

describe('an abnormal check starts the problem path (PR-5, PR-6)', () => {
	it('PR-6: a specification found not OK at its check is blocked and reported to Sales, Technical and Quality', async () => {
		const spec = await documentInCustody('specification');
		const res = await event('technical', spec.id, { type: 'check', result: 'not_ok', note: '第3页缺失 page 3 missing' });
		expect(res.property.status).toBe('blocked');
		const users = cp().users;
		// Other files may add users to these departments: count the ones this file knows.
		const recipients = (await notified(spec.id)).map((n: any) => n.recipient);
		const count = (who: string) => recipients.filter((r: string) => r === users[who].id).length;
		expect(['sales', 'technical', 'quality', 'warehouse', 'production'].map(count)).toEqual([1, 1, 1, 0, 0]);
		// Use is stopped until the customer's disposition (PR-6).
		const use = await http('technical', 'POST', `/cp/property/${spec.id}/events`, { type: 'use', details: { action: 'use' } });
		expect([use.status, use.code]).toEqual([409, 'CP_PROPERTY_BLOCKED']);
		// Sales has the problem report to send: the abnormal check is its problem (PR-6 Doc 5 7).
		const report = await http('sales', 'GET', `/cp/property/${spec.id}/problem-report`);
		expect(report.status).toBe(200);
		expect(String(report.body)).toContain('定期检查异常');
		expect(String(report.body)).toContain('第3页缺失');
		// PR-6: isolation is not optional, for a document too: no disposition before its use is withdrawn.
		const early = await http('sales', 'POST', `/cp/property/${spec.id}/events`, {
			type: 'disposition',
			customer_message: '顾客邮件:将重发规范 we will resend the specification',
			details: { decision: 'store' },
		});
		expect([early.status, early.code]).toEqual([409, 'CP_ISOLATION_REQUIRED']);
		await event('technical', spec.id, {
			type: 'problem',
			note: '第3页缺失,已停用 page 3 missing, withdrawn',
			details: { problem_type: 'unsuitable', isolation: '收回全部复印件,原件封存标识"停用" copies recalled, original sealed and marked' },
		});
		await event('sales', spec.id, {
			type: 'disposition',
			customer_message: '顾客邮件:将重发规范 we will resend the specification',
			note: '顾客重发 customer resends',
			details: { decision: 'store' },
		});
		expect((await row(spec.id)).status).toBe('in_store');
		const page = String((await http('sales', 'GET', `/cp/property/${spec.id}/problem-report`)).body);
		expect(page).toContain('隔离措施 Isolation: 收回全部复印件');
		expect(page).toContain('顾客意见原文 Customer message: 顾客邮件:将重发规范');
	});
});

describe('the check queue runs on the server clock (PR-5)', () => {
	it('PR-5: GET /cp/property/checks-due answers by the server clock (the test clock), like the job that notifies the same checks', async () => {
		// Received today: due in six months (Doc 5 4), so not in today's queue.
		const drawing = await documentInCustody('drawing');
		const due = DateTime.now().setZone(ZONE).plus({ months: 6 }).toISODate()!;
		const before = await http('technical', 'GET', '/cp/property/checks-due');
		expect(before.body.until).toBe(DateTime.now().setZone(ZONE).toISODate());
		expect(before.data.find((q: any) => q.id === drawing.id)).toBeUndefined();
		// Seven months later by the server's clock: the queue lists it, and looks ahead from that day.
		await advanceClock(214 * 86_400_000);
		const later = DateTime.now().setZone(ZONE).plus({ days: 214 });
		const after = await http('technical', 'GET', '/cp/property/checks-due');
		expect(after.body.until).toBe(later.toISODate());
		expect(after.data.find((q: any) => q.id === drawing.id)).toMatchObject({ next_check_due: due, custodians: ['technical'] });
		const ahead = await http('technical', 'GET', '/cp/property/checks-due?within_days=10');
		expect(ahead.body.until).toBe(later.plus({ days: 10 }).toISODate());
	});
});
