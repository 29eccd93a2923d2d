// Two Directus processes on ONE PostgreSQL database, synchronised through Redis (cron clock,
// bus, data cache with auto purge): jobs fired on both at once act once, parallel sign-offs
// through both complete a review once, and neither instance serves a stale state from the
// shared cache after a transition on the other (X-2, CR-6, CR-13, CP-3, CP-4, CC-4, PR-5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../harness/harness.mjs';
import { Cluster, contractInReview, countOf, eventually, postgresAvailable, redisAvailable, uid } from './lib';
import { approval } from '../harness/fixtures';
import { DEPARTMENTS } from '../../seeds/departments.mjs';

const H = 3600e3;
const iso = (ms: number) => new Date(ms).toISOString();
const A = 0;
const B = 1;

const ready = Boolean(process.env.CP_SCALE) && (await postgresAvailable()) && (await redisAvailable());
if (process.env.CP_SCALE && !ready) console.warn('[scale] multi-instance: SKIPPED — needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379');

describe.skipIf(!ready)('several instances on one PostgreSQL with Redis synchronisation', () => {
	let c: Cluster;

	beforeAll(async () => {
		const h = await startHarness({
			db: 'postgres',
			instances: 2,
			redis: true,
			// The property check job every 2 seconds, on both instances, to race the hand-fired runs.
			extraConfig: { CP_PROPERTY_CHECKS_CRON: '*/2 * * * * *', CP_PUBLIC_RATE_LIMIT: '10000' },
			log: () => undefined,
		});
		c = new Cluster(h);
	});
	afterAll(async () => {
		await c?.close();
	});

	it('runs both instances with the Redis settings on one database', async () => {
		expect(c.info.urls).toHaveLength(2);
		expect(c.info.db).toBe('postgres');
		expect(c.info.redis?.url).toMatch(/^redis:\/\/127\.0\.0\.1:6379\/\d+$/);
		for (const i of [A, B]) expect((await c.ok('admin', 'GET', '/cp/info', undefined, i)).schema_complete).toBe(true);
		// A record written through A is read through B: one database.
		const cust = await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Shared' }, A);
		expect((await c.ok('quality', 'GET', `/items/cp_customers/${cust.id}`, undefined, B)).code).toBe(cust.code);
	});

	it('CP-3/CP-4/CC-4/PR-5 jobs fired on both instances at the same moment act exactly once', async () => {
		const db = c.db();
		const customers: string[] = [];
		for (let i = 0; i < 5; i++) customers.push((await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Job customer ${i}` }, i % 2)).id);
		// Complaints whose 72-hour response deadline has passed.
		const complaints: string[] = [];
		for (let i = 0; i < 4; i++) {
			const k = await c.ok(
				'sales',
				'POST',
				'/items/cp_complaints',
				{ customer: customers[i], channel: 'phone', summary: uid('塌箱'), received_at: iso(Date.now() - 80 * H) },
				i % 2,
			);
			complaints.push(k.id);
		}
		// Actions due soon (reminder) and overdue (escalation) on an investigated complaint.
		await c.ok('quality', 'PATCH', `/items/cp_complaints/${complaints[0]}`, { status: 'investigating' });
		const action = (i: number) =>
			c.ok(
				'quality',
				'POST',
				'/items/cp_actions',
				{
					title: uid('措施'),
					source_collection: 'cp_complaints',
					source_id: complaints[0],
					owner: c.userId('production'),
					department: 'production',
					due_at: iso(Date.now() + 2 * H),
				},
				i % 2,
			);
		const soon = [await action(0), await action(1), await action(2)].map((a) => a.id);
		const late = [await action(3), await action(4)].map((a) => a.id);
		// The deadline passes (under the API, as time would); their reminder went out earlier.
		await db('cp_actions')
			.whereIn('id', late)
			.update({ due_at: new Date(Date.now() - H), reminded_at: new Date(Date.now() - 2 * H) });
		// Property items in store whose half-yearly check falls due now (PR-5).
		const items: string[] = [];
		for (let i = 0; i < 4; i++) {
			const p = await c.ok(
				'warehouse',
				'POST',
				'/items/cp_property',
				{
					code: uid('CP-J'),
					name: '模切版 Die board',
					kind: 'tooling',
					customer: customers[i],
					serial_no: uid('SN'),
					quantity: 1,
					unit: '套',
					scope: '我方保管 Kept by us',
				},
				i % 2,
			);
			await c.ok('warehouse', 'POST', `/cp/property/${p.id}/events`, { type: 'receipt', quantity: 1, to_location: 'A-01' }, i % 2);
			await c.ok('quality', 'POST', `/cp/property/${p.id}/events`, { type: 'inspection', result: 'accepted' }, i % 2);
			items.push(p.id);
		}
		const yesterday = new Date(Date.now() - 24 * H).toISOString().slice(0, 10);
		await db('cp_property').whereIn('id', items).update({ next_check_due: yesterday });

		// Every job on both instances, three times over, all at once (and the 2-second cron racing them).
		const jobs = ['/cp/jobs/complaints-tick', '/cp/jobs/surveys-tick', '/cp/jobs/property-checks'];
		const fired = await Promise.all([1, 2, 3].flatMap(() => jobs.flatMap((j) => [A, B].map((i) => c.http('admin', 'POST', j, undefined, i)))));
		expect(fired.map((r) => r.status)).toEqual(fired.map(() => 200));

		for (const id of complaints) {
			expect(await countOf(db('cp_audit').where({ collection: 'cp_complaints', item: id, action: 'response_breached' })), id).toBe(1);
		}
		const notes = (item: string, like: string) =>
			db('directus_notifications').where({ collection: 'cp_actions', item }).where('subject', 'like', like).select('recipient');
		for (const id of soon) expect((await notes(id, '%Action due soon%')).map((n: any) => n.recipient)).toEqual([c.userId('production')]);
		for (const id of late) {
			expect((await notes(id, '%Action overdue%')).map((n: any) => n.recipient)).toEqual([c.userId('production')]);
			expect(await countOf(db('cp_audit').where({ collection: 'cp_actions', item: id, to_status: 'overdue' }))).toBe(1);
		}
		// One survey per active customer and period, whatever number of ticks ran.
		const surveys = await db('cp_communications').where({ type: 'survey' }).select('customer', 'period_key');
		const perCustomer = new Map<string, number>();
		for (const s of surveys) perCustomer.set(`${s.customer}|${s.period_key}`, (perCustomer.get(`${s.customer}|${s.period_key}`) ?? 0) + 1);
		for (const id of customers)
			expect(
				surveys.filter((s: any) => s.customer === id),
				id,
			).toHaveLength(1);
		expect([...perCustomer.values()].every((n) => n === 1)).toBe(true);
		for (const id of items) {
			const sent = await db('directus_notifications').where({ collection: 'cp_property', item: id }).select('recipient');
			expect(
				sent.map((n: any) => n.recipient),
				id,
			).toEqual([c.userId('production')]);
		}
	});

	it('PR-5 the scheduled job itself, running every 2 s on both instances, notifies a due check once', async () => {
		const db = c.db();
		const cust = (await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Cron customer' })).id;
		/** An item in store (received through B, inspected through A) whose check is not due yet. */
		const inStore = async (name: string) => {
			const p = await c.ok(
				'warehouse',
				'POST',
				'/items/cp_property',
				{ code: uid('CP-C'), name, kind: 'tooling', customer: cust, serial_no: uid('SN'), quantity: 1, unit: '套', scope: '我方保管 Kept by us' },
				B,
			);
			await c.ok('warehouse', 'POST', `/cp/property/${p.id}/events`, { type: 'receipt', quantity: 1, to_location: 'A-02' }, B);
			await c.ok('quality', 'POST', `/cp/property/${p.id}/events`, { type: 'inspection', result: 'accepted' }, A);
			return p.id as string;
		};
		const p = await inStore('印版 Printing plate');
		// Two more items, made due one after the other: each one's notice proves a later run of the job.
		const markers = [await inStore('印版 Marker 1'), await inStore('印版 Marker 2')];
		const makeDue = (id: string) =>
			db('cp_property')
				.where('id', id)
				.update({ next_check_due: new Date(Date.now() - 48 * H).toISOString().slice(0, 10) });
		const sent = (id: string) => db('directus_notifications').where({ collection: 'cp_property', item: id }).select('recipient');
		await makeDue(p);
		expect(await eventually(async () => (await sent(p)).length > 0, { timeoutMs: 20_000 })).toBe(true);
		for (const m of markers) {
			await makeDue(m);
			expect(await eventually(async () => (await sent(m)).length > 0, { timeoutMs: 20_000 }), m).toBe(true);
		}
		// Those later runs (on either instance) did not notify the first item again.
		expect((await sent(p)).map((n: any) => n.recipient)).toEqual([c.userId('production')]);
	});

	it('CR-6/CR-13 seven review lines per contract signed in parallel through both instances complete each review once; signing on both issues one set of task notices', async () => {
		const db = c.db();
		const cust = (await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Review customer', is_new: false })).id;
		const contracts = [];
		for (let i = 0; i < 4; i++) contracts.push(await contractInReview(c, cust, i % 2));
		expect(contracts.every((k) => k.lines.length === 7)).toBe(true);

		// Half of the lines through A, half through B, all contracts at once (28 requests).
		let n = 0;
		const signs = contracts.flatMap((k) =>
			k.lines.map((l) => c.http(l.department, 'PATCH', `/items/cp_review_lines/${l.id}`, approval(l, 'OK 可以满足'), n++ % 2)),
		);
		const results = await Promise.all(signs);
		expect(results.map((r) => `${r.status} ${r.code ?? ''}`)).toEqual(results.map(() => '200 '));
		// CR-6: the sales manager signs each conclusion on both instances at the same moment: once.
		const concluded = await Promise.all(
			contracts.flatMap((k) => [A, B].map((i) => c.http('sales', 'PATCH', `/items/cp_contracts/${k.id}`, { conclusion: '同意签订' }, i))),
		);
		expect(concluded.filter((r) => r.status === 200)).toHaveLength(contracts.length);

		for (const k of contracts) {
			const row = await db('cp_contracts').where('id', k.id).first();
			expect(row.status, k.code).toBe('reviewed');
			expect(await countOf(db('cp_audit').where({ collection: 'cp_contracts', item: k.id, action: 'review_completed' })), k.code).toBe(1);
			expect(await countOf(db('cp_review_lines').where({ contract: k.id, decision: 'approved' }))).toBe(7);
			expect(
				await countOf(
					db('cp_audit')
						.where({ collection: 'cp_review_lines', action: 'signed' })
						.whereIn(
							'item',
							k.lines.map((l) => l.id),
						),
				),
			).toBe(7);
		}

		// The sales VP (CR-11) signs each contract on both instances at the same moment.
		const signed = await Promise.all(
			contracts.flatMap((k) => [A, B].map((i) => c.http('deputy_gm', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'signed' }, i))),
		);
		expect(
			signed.every((r) => r.status === 200 || r.code === 'CP_ILLEGAL_TRANSITION'),
			JSON.stringify(signed.map((r) => [r.status, r.code])),
		).toBe(true);
		const receivers = ['production', 'purchasing', 'quality', 'warehouse'];
		for (const k of contracts) {
			expect((await db('cp_contracts').where('id', k.id).first()).status).toBe('signed');
			const notices = await db('cp_task_notices').where('contract', k.id).select('department');
			expect(notices.map((t: any) => t.department).sort()).toEqual(receivers);
			expect(await countOf(db('cp_audit').where({ collection: 'cp_contracts', item: k.id, action: 'signed' }))).toBe(1);
			const inbox = await db('directus_notifications')
				.where({ collection: 'cp_contracts', item: k.id })
				.where('subject', 'like', '%Task notice%')
				.select('recipient');
			expect(inbox.map((x: any) => x.recipient).sort()).toEqual(receivers.map((d) => c.userId(d)).sort());
		}
	});

	it("X-6 an administrator's settings change through A is seen by B's next request (the settings live in the shared cache)", async () => {
		const before = await c.ok('admin', 'GET', '/items/cp_settings', undefined, A);
		const map = before.departments as Record<string, string>;
		const key = `audit_${Date.now() % 100000}`;
		const ask = (i: number) => c.http('quality', 'GET', `/cp/kpi/reviews-waiting?department=${key}`, undefined, i);
		// B knows no such department, and answers twice from its settings (cached from the first answer on).
		expect((await ask(B)).status).toBe(400);
		expect((await ask(B)).status).toBe(400);
		try {
			await c.ok('admin', 'PATCH', '/items/cp_settings', { departments: { ...map, [key]: map.quality } }, A);
			// The very next request on B, no waiting: the new department is known.
			const r = await ask(B);
			expect(r.status, r.message).toBe(200);
			expect((await ask(A)).status).toBe(200);
		} finally {
			await c.ok('admin', 'PATCH', '/items/cp_settings', { departments: map }, A);
		}
		expect((await ask(B)).status).toBe(400);
	});

	it("X-5 a department's update permission revoked through A refuses its next transition through B (issue 14: the write guard's re-check is never cached)", async () => {
		const db = c.db();
		const quality = DEPARTMENTS.filter((d: any) => d.key === 'quality');
		const cust = (await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Revoked permission customer' }, A)).id;
		const k = await c.ok(
			'sales',
			'POST',
			'/items/cp_complaints',
			{ customer: cust, channel: 'phone', summary: uid('撤销'), received_at: iso(Date.now() - H) },
			A,
		);
		// B has served Quality (a write, and a read that leaves the settings in the shared cache).
		await c.ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { root_cause: 'noted on B' }, B);
		await c.ok('quality', 'GET', '/cp/kpi/open-discrepancies', undefined, B);
		const perms: any[] = [];
		for (const p of quality)
			perms.push(
				...(await c.ok(
					'admin',
					'GET',
					`/permissions?filter[policy][_eq]=${p.policy}&filter[collection][_eq]=cp_complaints&filter[action][_eq]=update&limit=-1`,
					undefined,
					A,
				)),
			);
		expect(perms.length).toBeGreaterThan(0);
		for (const p of perms) await c.ok('admin', 'DELETE', `/permissions/${p.id}`, undefined, A);
		try {
			const r = await c.http('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' }, B);
			expect(r.code, r.message).toBe('FORBIDDEN');
			expect((await db('cp_complaints').where('id', k.id).first('status')).status).toBe('received');
		} finally {
			for (const { id: _id, ...p } of perms) await c.ok('admin', 'POST', '/permissions', p, A);
		}
		await c.ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' }, B);
		expect((await db('cp_complaints').where('id', k.id).first('status')).status).toBe('investigating');
	});

	it('X-2 a contract read (and cached) through B shows the new status after a transition through A', async () => {
		const db = c.db();
		const cust = (await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Cache customer', is_new: false })).id;
		const k = await c.ok(
			'sales',
			'POST',
			'/items/cp_contracts',
			{ code: uid('HT'), title: 'Cached title', kind: 'contract', channel: 'written', class: 'regular', customer: cust },
			A,
		);
		await c.ok('sales', 'POST', '/items/cp_contract_lines', { product: 'Box', quantity: 10, line_no: 1, contract: k.id }, A);
		const read = async () => c.ok('sales', 'GET', `/items/cp_contracts/${k.id}?fields=status,title`, undefined, B);
		expect(await read()).toEqual({ status: 'draft', title: 'Cached title' });
		// Proof the response is cached: a change under the API is not seen through B yet.
		await db('cp_contracts').where('id', k.id).update({ title: 'Changed under the API' });
		expect((await read()).title).toBe('Cached title');

		await c.ok('sales', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'in_review' }, A);
		expect(await read()).toEqual({ status: 'in_review', title: 'Changed under the API' });

		// The review completes through A (the completion is written by the sign-off's hook).
		const lines = await db('cp_review_lines').where({ contract: k.id, round: 1 }).select('id', 'department', 'checklist');
		expect((await read()).status).toBe('in_review');
		for (const l of lines) await c.ok(l.department, 'PATCH', `/items/cp_review_lines/${l.id}`, approval(l, 'OK'), A);
		// CR-6: the sales manager's conclusion completes it.
		await c.ok('sales', 'PATCH', `/items/cp_contracts/${k.id}`, { conclusion: '同意' }, A);
		expect((await read()).status).toBe('reviewed');
	});

	it("CP-4/CP-5 complaint states changed by /cp commands on A are not served stale from B's cache", async () => {
		const cust = (await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Cache complaint customer' })).id;
		const receivedAt = Math.floor((Date.now() - H) / 1000) * 1000;
		const k = await c.ok('sales', 'POST', '/items/cp_complaints', { customer: cust, channel: 'phone', summary: uid('受潮'), received_at: iso(receivedAt) }, A);
		const read = async (i = B) => c.ok('quality', 'GET', `/items/cp_complaints/${k.id}?fields=status,pauses,response_due_at,response_breached`, undefined, i);
		const before = await read();
		expect(before.pauses).toBeNull();
		await c.ok('sales', 'POST', `/cp/complaints/${k.id}/pause`, { reason: '等待顾客提供照片' }, A);
		const paused = await read();
		expect(paused.pauses).toHaveLength(1);
		// CP-4: an open pause counts for at most 120 h, so the working target stays known: 72 h + 120 h.
		expect(Math.abs(Date.parse(paused.response_due_at) - (receivedAt + (72 + 120) * H))).toBeLessThan(60e3);
		// CP-4 the pause lasts 5 hours on the clock both instances share: paused on A, resumed on B.
		await c.advanceClock(5 * H);
		try {
			await c.ok('sales', 'POST', `/cp/complaints/${k.id}/resume`, undefined, B);
		} finally {
			await c.resetClock();
		}
		const resumed = await read(A);
		const [pause] = resumed.pauses;
		const lasted = Date.parse(pause.to) - Date.parse(pause.from);
		expect(lasted).toBeGreaterThanOrEqual(5 * H);
		expect(lasted).toBeLessThan(5 * H + 60e3);
		// Received an hour ago: 72 h plus the 5 paused hours.
		expect(Math.abs(Date.parse(resumed.response_due_at) - (receivedAt + 72 * H + lasted))).toBeLessThan(1000);

		// Through to the customer's verification link: the customer's answer closes it on A.
		await c.ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' }, A);
		await c.ok(
			'quality',
			'PATCH',
			`/items/cp_complaints/${k.id}`,
			{ status: 'action', root_cause_category: 'process', root_cause: '温度', responsible_department: 'production' },
			A,
		);
		const act = await c.ok(
			'quality',
			'POST',
			'/items/cp_actions',
			{ title: '调温', source_collection: 'cp_complaints', source_id: k.id, owner: c.userId('production'), due_at: iso(Date.now() + 24 * H) },
			A,
		);
		await c.ok('production', 'PATCH', `/items/cp_actions/${act.id}`, { status: 'done' }, A);
		await c.ok('sales', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'responded', response_content: '已整改', product_disposition: 'none' }, A);
		const link = await c.ok('sales', 'POST', `/cp/complaints/${k.id}/verification-link`, {}, A);
		expect((await read()).status).toBe('verifying');
		const token = String(link.url).split('/').pop();
		await c.ok(null, 'POST', `/cp/public/verify/${token}`, { decision: 'confirmed' }, A);
		expect((await read()).status).toBe('closed');
	});
});
