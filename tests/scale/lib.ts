// Helpers for the scale files that run their own Directus processes (several instances, killed
// processes): HTTP as a department user against instance i, the database under the API, and
// restarting a killed instance with the same config file and port.
import { startDirectus } from '../../scripts/lib/host.mjs';
import { databaseKnex, redisAvailable, startHarness } from '../harness/harness.mjs';

export type Harness = Awaited<ReturnType<typeof startHarness>>;

export interface Res {
	status: number;
	data: any;
	code?: string;
	message?: string;
}

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

export class Cluster {
	readonly tokens = new Map<string, string>();
	private knex: ReturnType<typeof databaseKnex> | null = null;
	constructor(readonly h: Harness) {}

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

	async token(who: string, i = 0): Promise<string> {
		const key = `${who}@${i}`;
		if (!this.tokens.has(key)) {
			const cred = who === 'admin' ? this.h.info.admin : this.h.info.users[who];
			const res = await fetch(`${this.url(i)}/auth/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: cred.email, password: cred.password }),
			});
			const body = await res.json();
			if (!res.ok) throw new Error(`login ${who} on ${i}: ${res.status} ${JSON.stringify(body)}`);
			this.tokens.set(key, body.data.access_token);
		}
		return this.tokens.get(key)!;
	}

	/** Raw HTTP as a department user (or null: anonymous) against instance i. */
	async http(who: string | null, method: string, path: string, body?: unknown, i = 0): Promise<Res> {
		const headers: Record<string, string> = {};
		if (who) headers.authorization = `Bearer ${await this.token(who, i)}`;
		if (body !== undefined) headers['content-type'] = 'application/json';
		const res = await fetch(`${this.url(i)}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await res.text();
		let parsed: any;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			parsed = text;
		}
		const err = parsed?.errors?.[0];
		return { status: res.status, data: parsed?.data, code: err?.extensions?.code, message: err?.message };
	}

	async ok(who: string | null, method: string, path: string, body?: unknown, i = 0): Promise<any> {
		const r = await this.http(who, method, path, body, i);
		if (r.status >= 300) throw new Error(`${method} ${path} as ${who} on ${i}: ${r.status} ${r.code} ${r.message}`);
		return r.data;
	}

	/** Restarts instance i (after a kill) with its own config file and port. */
	async restart(i = 0) {
		const s = await (startDirectus as any)(this.h.host, this.h.files[i], { url: this.h.configs[i].url });
		this.h.servers[i] = s;
		return s;
	}

	async close() {
		await this.knex?.destroy();
		await this.h.teardown();
	}
}

let seq = 0;
export const uid = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

export const countOf = async (q: any) => Number((await q.count({ n: '*' }).first())?.n ?? 0);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn() is truthy or the time is up; returns the last value. */
export async function eventually<T>(fn: () => Promise<T>, { timeoutMs = 15_000, everyMs = 250 } = {}): Promise<T> {
	const until = Date.now() + timeoutMs;
	let v = await fn();
	while (!v && Date.now() < until) {
		await sleep(everyMs);
		v = await fn();
	}
	return v;
}

export const LINE = {
	product: 'Corrugated box 五层瓦楞纸箱',
	specification: '600x400x300',
	material: 'K=A',
	marks: 'LOGO',
	process: 'flexo',
	quantity: 1000,
	unit: 'pcs',
	unit_price: 10,
	delivery_date: '2027-01-15',
};

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
	const lines = await c.db()('cp_review_lines').where({ contract: k.id, round: 1 }).select('id', 'department');
	return { id: k.id as string, code: k.code as string, lines: lines as { id: string; department: string }[] };
}
