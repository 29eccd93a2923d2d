// A Directus process killed with SIGKILL in the middle of work leaves no record half-changed
// (CR-6, CR-13, CP-5, PR-6, X-2): every transition and what it sets in motion is one database
// transaction. After the restart, the work is finished by retrying and nothing is duplicated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../harness/harness.mjs';
import { Cluster, contractInReview, countOf, postgresAvailable, uid, type Res } from './lib';
import { approval } from '../harness/fixtures';

const H = 3600e3;
const iso = (ms: number) => new Date(ms).toISOString();
const SCALE = Boolean(process.env.CP_SCALE);
const DB = SCALE ? ((await postgresAvailable()) ? 'postgres' : 'sqlite') : 'sqlite';
const RECEIVERS = ['production', 'purchasing', 'quality', 'warehouse'];

/** A request that may die with the server: resolves to the response or to 'lost'. */
type Outcome = Res | 'lost';

/**
 * Starts the work, SIGKILLs the instance once `killAfter` responses arrived (mid-flight),
 * waits for every request to settle, then restarts the instance.
 */
async function killMidway(c: Cluster, work: (() => Promise<Res>)[], killAfter: number) {
	let done = 0;
	let reached!: () => void;
	const enough = new Promise<void>((r) => (reached = r));
	const settled = () => {
		if (++done >= killAfter) reached();
	};
	const all = work.map((w) =>
		w().then(
			(r) => {
				settled();
				return r as Outcome;
			},
			() => {
				settled();
				return 'lost' as Outcome;
			},
		),
	);
	// The kill follows the killAfter-th answer directly, while the others are in flight.
	await enough;
	c.h.servers[0]!.child.kill('SIGKILL');
	const outcomes = await Promise.all(all);
	await c.restart(0);
	return outcomes;
}

describe.skipIf(!SCALE)(`SIGKILL mid-work and restart (${DB})`, () => {
	let c: Cluster;
	let customer: string;

	beforeAll(async () => {
		c = new Cluster(await startHarness({ db: DB, log: () => undefined }));
		customer = (await c.ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Fault customer', is_new: false })).id;
	});
	afterAll(async () => {
		await c?.close();
	});

	/** CR-6, CR-13: reviewed iff every line of the round approved and the conclusion signed, with exactly one completion entry; notices iff signed. */
	async function assertContractsWhole(ids: string[]) {
		const db = c.db();
		for (const id of ids) {
			const k = await db('cp_contracts').where('id', id).first();
			const lines = await db('cp_review_lines').where({ contract: id, round: k.review_round });
			const linesApproved = lines.length === 7 && lines.every((l: any) => l.decision === 'approved');
			// The conclusion is signed only on a fully approved round (CR-6).
			if (k.conclusion_signed_at) expect(linesApproved, k.code).toBe(true);
			const allApproved = linesApproved && Boolean(k.conclusion_signed_at);
			const completed = await countOf(db('cp_audit').where({ collection: 'cp_contracts', item: id, action: 'review_completed' }));
			expect(['reviewed', 'signed'].includes(k.status), `${k.code} ${k.status}`).toBe(allApproved);
			expect(completed, k.code).toBe(allApproved ? 1 : 0);
			expect(k.status === 'in_review' || allApproved, k.code).toBe(true);
			// Each approved line has its signature and its audit entry; a pending one has neither.
			for (const l of lines) {
				const signed = await countOf(db('cp_audit').where({ collection: 'cp_review_lines', item: l.id, action: 'signed' }));
				expect([l.decision, Boolean(l.signed_at), signed], `${k.code} ${l.department}`).toEqual(
					l.decision === 'approved' ? ['approved', true, 1] : ['pending', false, 0],
				);
			}
			const notices = await db('cp_task_notices').where('contract', id).select('department');
			expect(notices.map((n: any) => n.department).sort(), k.code).toEqual(k.status === 'signed' ? RECEIVERS : []);
			const inbox = await db('directus_notifications')
				.where({ collection: 'cp_contracts', item: id })
				.where('subject', 'like', '%Task notice%')
				.select('recipient');
			expect(inbox.map((n: any) => n.recipient).sort(), k.code).toEqual(k.status === 'signed' ? RECEIVERS.map((d) => c.userId(d)).sort() : []);
			expect(await countOf(db('cp_audit').where({ collection: 'cp_contracts', item: id, action: 'signed' })), k.code).toBe(k.status === 'signed' ? 1 : 0);
		}
	}

	it('CR-6/CR-13 killed during parallel sign-offs and signings: every contract is wholly reviewed/signed or not at all; retries finish without duplicates', async () => {
		const contracts = [];
		for (let i = 0; i < 6; i++) contracts.push(await contractInReview(c, customer));
		const signOff = (l: { id: string; department: string; checklist?: unknown }) => () =>
			c.http(l.department, 'PATCH', `/items/cp_review_lines/${l.id}`, approval(l, 'OK'));
		const conclude = (id: string) => c.http('sales', 'PATCH', `/items/cp_contracts/${id}`, { conclusion: '同意' });
		// CR-11: the sales VP signs for the company.
		const signContract = (id: string) => c.http('deputy_gm', 'PATCH', `/items/cp_contracts/${id}`, { status: 'signed' });
		// Per contract: its seven lines in parallel, the sales manager's conclusion, then the sales VP signs; all contracts at once.
		const chains = contracts.map((k) => async (): Promise<Res> => {
			const rs = await Promise.all(k.lines.map((l) => signOff(l)()));
			if (rs.some((r) => r.status !== 200)) return rs.find((r) => r.status !== 200)!;
			const cr = await conclude(k.id);
			if (cr.status !== 200) return cr;
			return signContract(k.id);
		});
		const perLine = contracts.flatMap((k) => k.lines.map((l) => signOff(l)));
		// Chains and (duplicate, racing) single sign-offs: kill after a third of the requests answered.
		const outcomes = await killMidway(c, [...chains, ...perLine], Math.floor((chains.length + perLine.length) / 3));
		expect(
			outcomes.some((o) => o === 'lost'),
			'the kill interrupted requests',
		).toBe(true);
		expect(
			outcomes.every((o) => o === 'lost' || o.status < 500),
			JSON.stringify(outcomes.filter((o) => o !== 'lost' && o.status >= 500)),
		).toBe(true);
		const ids = contracts.map((k) => k.id);
		await assertContractsWhole(ids);

		// Retry what is not done yet: lines still pending, conclusions not signed, then contracts still reviewed.
		for (const k of contracts) {
			const pending = await c.db()('cp_review_lines').where({ contract: k.id, decision: 'pending' }).select('id', 'department', 'checklist');
			for (const l of pending) expect((await signOff(l)()).status).toBe(200);
			if ((await c.db()('cp_contracts').where('id', k.id).first('status')).status === 'in_review') expect((await conclude(k.id)).status).toBe(200);
			const now = (await c.db()('cp_contracts').where('id', k.id).first('status')).status;
			if (now === 'reviewed') expect((await signContract(k.id)).status).toBe(200);
		}
		await assertContractsWhole(ids);
		for (const id of ids) expect((await c.db()('cp_contracts').where('id', id).first('status')).status).toBe('signed');
	});

	it('CP-5 killed during complaint closures: each complaint is closed with its transition on record, or still responded', async () => {
		const db = c.db();
		const ids: string[] = [];
		for (let i = 0; i < 10; i++) {
			const k = await c.ok('sales', 'POST', '/items/cp_complaints', { customer, channel: 'phone', summary: uid('受潮'), received_at: iso(Date.now() - H) });
			await c.ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' });
			await c.ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, {
				status: 'action',
				root_cause_category: 'process',
				root_cause: '温度',
				responsible_department: 'production',
			});
			const a = await c.ok('quality', 'POST', '/items/cp_actions', {
				title: uid('调温'),
				source_collection: 'cp_complaints',
				source_id: k.id,
				owner: c.userId('production'),
				due_at: iso(Date.now() + 24 * H),
			});
			await c.ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
			await c.ok('sales', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'responded', response_content: '已整改', product_disposition: 'none' });
			ids.push(k.id);
		}
		const close = (id: string) => () =>
			c.http('sales', 'PATCH', `/items/cp_complaints/${id}`, { status: 'closed', no_verification_reason: '顾客已停业 Customer closed down' });
		const outcomes = await killMidway(c, ids.map(close), 3);
		expect(outcomes.every((o) => o === 'lost' || o.status < 500)).toBe(true);

		const whole = async () => {
			for (const id of ids) {
				const r = await db('cp_complaints').where('id', id).first();
				expect(['closed', 'responded'], r.code).toContain(r.status);
				// The closing write carries its stamps; the trail records the transition exactly once.
				const closings = await countOf(db('cp_audit').where({ collection: 'cp_complaints', item: id, action: 'transition', to_status: 'closed' }));
				if (r.status === 'closed') {
					expect(r.no_verification_reason, r.code).toBeTruthy();
					expect(closings, r.code).toBe(1);
				} else expect(closings, r.code).toBe(0);
			}
		};
		await whole();
		for (const id of ids) if ((await db('cp_complaints').where('id', id).first('status')).status !== 'closed') expect((await close(id)()).status).toBe(200);
		await whole();
		for (const id of ids) expect((await db('cp_complaints').where('id', id).first('status')).status).toBe('closed');
	});

	it('PR-6 killed during problem reports: an item is blocked iff its problem event exists, each with one set of notifications', async () => {
		const db = c.db();
		const ids: string[] = [];
		for (let i = 0; i < 10; i++) {
			const p = await c.ok('warehouse', 'POST', '/items/cp_property', {
				code: uid('CP-F'),
				name: '模切版 Die board',
				kind: 'tooling',
				customer,
				serial_no: uid('SN'),
				quantity: 1,
				unit: '套',
				scope: '我方保管 Kept by us',
			});
			await c.ok('warehouse', 'POST', `/cp/property/${p.id}/events`, { type: 'receipt', quantity: 1, to_location: 'A-01' });
			await c.ok('quality', 'POST', `/cp/property/${p.id}/events`, { type: 'inspection', result: 'accepted' });
			ids.push(p.id);
		}
		const problem = (id: string) => () =>
			c.http('production', 'POST', `/cp/property/${id}/events`, { type: 'problem', note: '刃口断裂 Blade broken', details: { problem_type: 'damage' } });
		const outcomes = await killMidway(c, ids.map(problem), 3);
		expect(outcomes.every((o) => o === 'lost' || o.status < 500)).toBe(true);

		const whole = async () => {
			for (const id of ids) {
				const r = await db('cp_property').where('id', id).first();
				const problems = await countOf(db('cp_property_events').where({ property: id, type: 'problem' }));
				expect([r.status, problems], r.code).toEqual(r.status === 'blocked' ? ['blocked', 1] : ['in_store', 0]);
				const blockedEntries = await countOf(db('cp_audit').where({ collection: 'cp_property', item: id, to_status: 'blocked' }));
				expect(blockedEntries, r.code).toBe(problems);
				const inbox = await db('directus_notifications').where({ collection: 'cp_property', item: id }).select('recipient');
				const expected = problems ? ['sales', 'technical', 'quality'].map((d) => c.userId(d)).sort() : [];
				expect(inbox.map((n: any) => n.recipient).sort(), r.code).toEqual(expected);
			}
		};
		await whole();
		for (const id of ids) if ((await db('cp_property').where('id', id).first('status')).status !== 'blocked') expect((await problem(id)()).status).toBe(200);
		await whole();
		for (const id of ids) expect((await db('cp_property').where('id', id).first('status')).status).toBe('blocked');
	});
});
