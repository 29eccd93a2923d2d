// Helpers for the scale files that run their own Directus processes (several instances, killed
// processes): HTTP as a department user against instance i, the database under the API, and
// restarting a killed instance with the same config file and port.
import { startDirectus } from '../../scripts/lib/host.mjs';
import { databaseKnex, redisAvailable, startHarness } from '../harness/harness.mjs';
import { addInstances, advanceClock, forgetLogins, http, ok, resetClock, uid, type HttpResult } from '../harness/client';
import { LINE as BASE_LINE } from '../harness/fixtures';

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export type Res = HttpResult;

/** TCP reachability of PostgreSQL on 127.0.0.1:5432 (the harness's server database). */
export async function postgresAvailable(): Promise<boolean> {
	const { connect } = await import('node:net');
	return new Promise((resolve) => {
		const s = connect({ host: '127.0.0.1', port: 5432 });
		s.setTimeout(1500, () => {
			s.destroy();
			resolve(false);
		});
		s.on('connect', () => {
			s.end();
			resolve(true);
		});
		s.on('error', () => resolve(false));
	});
}

export { redisAvailable };

/** One harness of several instances; HTTP goes through tests/harness/client.ts with the instance's URL. */
export class Cluster {
	private knex: ReturnType<typeof databaseKnex> | null = null;
	constructor(readonly h: Harness) {
		addInstances(h.info);
	}

	get info() {
		return this.h.info;
	}
	url(i = 0) {
		return this.h.info.urls[i]!;
	}
	userId(dept: string) {
		return this.h.info.users[dept]!.id as string;
	}
	db() {
		if (!this.knex) this.knex = databaseKnex(this.h.info.dbSettings);
		return this.knex;
	}

	/** Raw HTTP as a department user (or null: anonymous) against instance i. */
	http(who: string | null, method: string, path: string, body?: unknown, i = 0): Promise<Res> {
		return http(who, method, path, body, this.url(i));
	}

	ok(who: string | null, method: string, path: string, body?: unknown, i = 0): Promise<any> {
		return ok(who, method, path, body, this.url(i));
	}

	/** Moves the clock of every instance by the same amount (they share one time). */
	advanceClock(ms: number) {
		return advanceClock(ms, this.h.info.urls);
	}
	resetClock() {
		return resetClock(this.h.info.urls);
	}

	/** Restarts instance i (after a kill) with its own config file and port. */
	async restart(i = 0) {
		const s = await (startDirectus as any)(this.h.host, this.h.files[i], { url: this.h.configs[i].url });
		this.h.servers[i] = s;
		forgetLogins(this.url(i));
		return s;
	}

	async close() {
		await this.knex?.destroy();
		await this.h.teardown();
	}
}

export const countOf = async (q: any) => Number((await q.count({ n: '*' }).first())?.n ?? 0);

export { eventually } from '../harness/eventually';
export { uid };

export const LINE = { ...BASE_LINE, product: 'Corrugated box 五层瓦楞纸箱' };

/** A special + major contract (7 review departments, CR-7) in review; returns its lines by department. */
export async function contractInReview(c: Cluster, customer: string, i = 0) {
	const k = await c.ok(
		'sales',
		'POST',
		'/items/cp_contracts',
		{ code: uid('HT'), title: 'Scale contract', kind: 'contract', channel: 'written', class: 'special', major: true, customer },
		i,
	);
	await c.ok('sales', 'POST', '/items/cp_contract_lines', { ...LINE, line_no: 1, contract: k.id }, i);
	await c.ok('sales', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'in_review' }, i);
	const lines = await c.db()('cp_review_lines').where({ contract: k.id, round: 1 }).select('id', 'department', 'checklist');
	return { id: k.id as string, code: k.code as string, lines: lines as { id: string; department: string; checklist?: unknown }[] };
}
