// Fills a database that already has the bundle's schema with a realistic large company, written
// directly with knex batch inserts (not through the API, so that 1M rows take a minute, not a
// day). Default size (scale 1): 2,000 customers, 50,000 contracts with ~200,000 review lines,
// 100,000 complaints with their corrective actions, 50,000 customer property items with their
// history, quarterly satisfaction surveys and the audit trail of all of it, spread over 3 years.
//
// Values are stored the way Directus and the adapters store them: timestamps bound as Date
// (epoch milliseconds on SQLite), DATE columns as a local-midnight Date on SQLite and
// 'YYYY-MM-DD' elsewhere, JSON as text, booleans as booleans.
//
// Usage (standalone, on a database whose schema and roles are installed, e.g. the demo):
//   DB_CLIENT=pg DB_HOST=127.0.0.1 DB_PORT=5432 DB_DATABASE=directus DB_USER=postgres \
//     node bench/generate.mjs --scale 0.1
//   DB_CLIENT=sqlite3 DB_FILENAME=/path/to/data.db node bench/generate.mjs --scale 0.1
// bench/run.mjs imports generate() and calls it on the benchmark's own database.
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import knexFactory from 'knex';

export const FULL = { customers: 2000, contracts: 50_000, complaints: 100_000, property: 50_000 };

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Deterministic PRNG (mulberry32), so a scale and a seed always give the same company. */
function rng(seed) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const r = {
		next,
		int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
		pick: (arr) => arr[Math.floor(next() * arr.length)],
		chance: (p) => next() < p,
		/** [value, weight] pairs. */
		weighted: (pairs) => {
			const total = pairs.reduce((s, [, w]) => s + w, 0);
			let x = next() * total;
			for (const [v, w] of pairs) if ((x -= w) < 0) return v;
			return pairs[pairs.length - 1][0];
		},
		/** Log-normal with the given median: long tails, like real lead times. */
		lognormal: (median, sigma) => {
			const u = Math.max(next(), 1e-12);
			const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
			return median * Math.exp(sigma * z);
		},
	};
	return r;
}

const pad = (n, w) => String(n).padStart(w, '0');

function dialect(knex) {
	const c = String(knex.client.config.client);
	if (c.includes('sqlite')) return 'sqlite';
	if (c === 'pg' || c.includes('postgres')) return 'pg';
	return 'mysql';
}

/** A DATE column value in the representation Directus uses on this database. */
function dateValue(d, ms) {
	const x = new Date(ms);
	if (d === 'sqlite') return new Date(x.getFullYear(), x.getMonth(), x.getDate());
	return `${x.getFullYear()}-${pad(x.getMonth() + 1, 2)}-${pad(x.getDate(), 2)}`;
}

const SHANGHAI_OFFSET = 8 * HOUR;
function quarterKey(ms) {
	const d = new Date(ms + SHANGHAI_OFFSET);
	return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}
const yearOf = (ms) => new Date(ms + SHANGHAI_OFFSET).getUTCFullYear();

/** Batched inserts in one transaction per table, sized below each driver's bind-parameter limit. */
async function insertAll(knex, table, rows, stats) {
	if (!rows.length) return;
	const cols = Object.keys(rows[0]).length;
	const limit = dialect(knex) === 'sqlite' ? 30_000 : 60_000;
	// SQLite: knex inserts several rows as a compound SELECT, at most 500 terms.
	const chunk = Math.max(1, Math.min(dialect(knex) === 'sqlite' ? 500 : 2000, Math.floor(limit / cols)));
	await knex.transaction(async (trx) => {
		for (let i = 0; i < rows.length; i += chunk) await trx(table).insert(rows.slice(i, i + chunk));
	});
	stats[table] = (stats[table] ?? 0) + rows.length;
}

const ROUTES = {
	regular_in_stock: ['sales', 'warehouse'],
	regular: ['production', 'purchasing', 'sales'],
	special: ['production', 'purchasing', 'sales', 'technical', 'quality', 'deputy_gm'],
};
const PRODUCTS = [
	'压力表 Pressure gauge',
	'阀门 Valve DN50',
	'法兰 Flange PN16',
	'密封件 Seal kit',
	'泵壳 Pump housing',
	'轴承座 Bearing block',
	'齿轮 Gear m3',
	'传感器 Sensor PT100',
];
const CAUSES = ['material', 'process', 'design', 'transport', 'usage', 'service', 'other'];
const PROPERTY_KINDS = [
	['material', 30],
	['part', 20],
	['tooling', 12],
	['gauge', 6],
	['equipment', 4],
	['drawing', 10],
	['specification', 8],
	['sample', 5],
	['data_media', 2],
	['intellectual_property', 2],
	['personal_data', 1],
];

/**
 * Generates `part` (0..1] of the company at `scale`, numbered after `offset` (0..1) of it, so
 * that a database can be grown in steps (0.2 then 0.8) with unique codes. Returns row counts.
 * `users`: { department: userId } for owners and signatures (optional).
 */
export async function generate(knex, { scale = 1, part = 1, offset = 0, seed = 7, now = new Date(), users = {}, log = () => {} } = {}) {
	const d = dialect(knex);
	const r = rng(seed + Math.round(offset * 1000));
	const N = (full) => Math.max(1, Math.round(full * scale * part));
	const O = (full) => Math.round(full * scale * offset);
	const T = now.getTime();
	const START = T - 3 * 365 * DAY;
	const stats = {};
	const t0 = Date.now();
	const userOf = (dept) => users[dept] ?? null;
	const jsonOrNull = (v) => (v == null ? null : JSON.stringify(v));
	const audit = [];
	const addAudit = (at, collection, item, action, from, to, data, dept, user = null) =>
		audit.push({
			at: new Date(at),
			user,
			department: dept,
			as_admin: false,
			collection,
			item: String(item),
			action,
			from_status: from,
			to_status: to,
			data: jsonOrNull(data),
			// As the bundle writes a completion (services/audit.ts#completionColumns).
			review_route: action === 'review_completed' && typeof data?.hours === 'number' ? (data.route ?? null) : null,
			cycle_hours: action === 'review_completed' && typeof data?.hours === 'number' ? data.hours : null,
			date_created: new Date(at),
		});

	// ------------------------------------------------------------------ customers
	const customers = [];
	const nc = N(FULL.customers);
	for (let i = 0; i < nc; i++) {
		const n = O(FULL.customers) + i + 1;
		const created = START - r.int(0, 365) * DAY + r.int(0, 3 * 365) * DAY * (r.chance(0.3) ? 1 : 0);
		customers.push({
			id: randomUUID(),
			code: `C${pad(n, 5)}`,
			name: `客户${n} Customer ${n} Co., Ltd.`,
			status: r.chance(0.94) ? 'active' : 'archived',
			is_new: r.chance(0.08),
			contact_person: `联系人 ${n}`,
			phone: `+86 371 ${pad(r.int(0, 99_999_999), 8)}`,
			email: `buyer${n}@customer${n}.example.cn`,
			address: `郑州市 高新区 ${n} 号`,
			date_created: new Date(Math.min(created, T - DAY)),
		});
	}
	await insertAll(knex, 'cp_customers', customers, stats);
	// A few big customers place most orders (and complaints): a skewed pick.
	const skewed = () => customers[Math.floor(customers.length * Math.pow(r.next(), 2.2))];
	log(`[generate] customers ${nc}`);

	// ------------------------------------------------------------------ contracts and their review
	const contracts = [];
	const contractLines = [];
	const reviewLines = [];
	const discrepancies = [];
	const notices = [];
	const nk = N(FULL.contracts);
	for (let i = 0; i < nk; i++) {
		const n = O(FULL.contracts) + i + 1;
		const customer = skewed();
		// Business grows: more contracts in recent months.
		const created = START + Math.pow(r.next(), 0.8) * (T - START - HOUR);
		const age = (T - created) / DAY;
		const status =
			age > 120
				? r.weighted([
						['completed', 80],
						['cancelled', 7],
						['terminated', 1],
						['in_production', 8],
						['signed', 4],
					])
				: age > 30
					? r.weighted([
							['in_production', 45],
							['signed', 25],
							['completed', 20],
							['reviewed', 4],
							['cancelled', 4],
							['in_review', 2],
						])
					: r.weighted([
							['draft', 15],
							['in_review', 40],
							['reviewed', 15],
							['signed', 20],
							['in_production', 5],
							['cancelled', 5],
						]);
		const cls = r.weighted([
			['regular_in_stock', 25],
			['regular', 45],
			['special', 30],
		]);
		const kind = r.weighted([
			['contract', 60],
			['order', 35],
			['bid', 5],
		]);
		const major = r.chance(0.05);
		const id = randomUUID();
		const year = yearOf(created);
		// Everything happened before `now`: submitted within 2 days, reviewed after it, signed after that.
		const submitted = created + r.next() * Math.min(2 * DAY, (T - created) / 3);
		const reviewedAt = Math.max(submitted + 60_000, Math.min(submitted + r.lognormal(30, 0.9) * HOUR, T - 60_000));
		const signedAt = Math.min(reviewedAt + r.next() * 5 * DAY, T - 30_000);
		const drafted = status === 'draft' || (status === 'cancelled' && r.chance(0.4));
		const reviewDone = ['reviewed', 'signed', 'in_production', 'completed', 'terminated'].includes(status);
		const signed = ['signed', 'in_production', 'completed', 'terminated'].includes(status);
		const rounds = drafted ? 0 : r.chance(0.08) ? 2 : 1;
		const route = cls + (major ? '+major' : '');
		const depts = [...ROUTES[cls], ...(major ? ['gm'] : [])];
		contracts.push({
			id,
			code: `HT-${year}-${pad(n, 5)}`,
			title: `${r.pick(PRODUCTS)} 供货合同 supply ${n}`,
			kind,
			channel:
				kind === 'bid'
					? 'tender'
					: r.weighted([
							['written', 70],
							['online', 15],
							['oral', 10],
							['tender', 5],
						]),
			class: cls,
			major,
			status,
			customer: customer.id,
			sales_owner: userOf('sales'),
			total_amount: Math.round(r.lognormal(80_000, 1.1) * 100) / 100,
			currency: r.chance(0.9) ? 'CNY' : 'USD',
			delivery_date: dateValue(d, created + r.int(30, 120) * DAY),
			applicable_standard: r.pick(['GB 6543-2008', 'SN/T 0262', 'Q/ZZ 001-2024']),
			stage: kind === 'bid' ? 'bid_document' : null,
			review_round: rounds,
			review_route: rounds ? route : null,
			route_reason: rounds ? `Class ${cls}${major ? ', major' : ''}` : null,
			reviewed_at: rounds && reviewDone ? new Date(reviewedAt) : null,
			// The current round's (re)submission, as contract-plan.ts#planReviewRound stamps it.
			review_submitted_at: rounds ? new Date(rounds === 1 ? submitted : submitted + (reviewedAt - submitted) / 2) : null,
			signed_at: signed ? new Date(signedAt) : null,
			signed_by: signed ? userOf('sales') : null,
			date_created: new Date(created),
			date_updated: new Date(signed ? signedAt : created),
		});
		const nLines = r.weighted([
			[1, 35],
			[2, 40],
			[3, 25],
		]);
		for (let l = 1; l <= nLines; l++) {
			contractLines.push({
				id: randomUUID(),
				contract: id,
				line_no: l,
				product: r.pick(PRODUCTS),
				specification: `SPEC-${r.int(100, 999)}`,
				quantity: r.int(1, 500),
				unit: 'pcs',
				unit_price: Math.round(r.lognormal(300, 0.8) * 100) / 100,
				date_created: new Date(created),
			});
		}
		for (let round = 1; round <= rounds; round++) {
			const current = round === rounds;
			// A second round was resubmitted halfway through the review time.
			const roundStart = round === 1 ? submitted : submitted + (reviewedAt - submitted) / 2;
			addAudit(
				roundStart,
				'cp_contracts',
				id,
				round === 1 ? 'submitted' : 'resubmitted',
				round === 1 ? 'draft' : 'reviewed',
				'in_review',
				{ round, route },
				'sales',
				userOf('sales'),
			);
			const rejector = !current ? r.int(0, depts.length - 1) : -1;
			// In review: some departments have signed, at least one has not.
			const pendingFrom = status === 'in_review' && current ? r.int(0, depts.length - 1) : depts.length;
			depts.forEach((dept, j) => {
				let decision = 'approved';
				if (j === rejector) decision = 'rejected';
				else if (current && status === 'in_review' && j >= pendingFrom) decision = 'pending';
				else if (current && status === 'cancelled' && !reviewDone && r.chance(0.5)) decision = 'pending';
				const signedLine = decision !== 'pending';
				const at = roundStart + r.next() * (reviewedAt - roundStart);
				const lineId = randomUUID();
				reviewLines.push({
					id: lineId,
					contract: id,
					round,
					stage: 'review',
					department: dept,
					checklist: JSON.stringify([{ key: 'capability', checked: signedLine }]),
					opinion: decision === 'rejected' ? '交货期无法满足 Delivery date cannot be met' : null,
					decision,
					signed_by: signedLine ? userOf(dept) : null,
					signed_at: signedLine ? new Date(at) : null,
					signed_as_admin: false,
					date_created: new Date(roundStart),
				});
				if (signedLine) addAudit(at, 'cp_review_lines', lineId, 'signed', 'pending', decision, { contract: id, round, department: dept }, dept, userOf(dept));
			});
			// The completion records its round's submission and hours, as review.ts#roundCycle does.
			if (current && reviewDone)
				addAudit(
					reviewedAt,
					'cp_contracts',
					id,
					'review_completed',
					'in_review',
					'reviewed',
					{ round, route, submitted_at: new Date(roundStart).toISOString(), hours: (reviewedAt - roundStart) / HOUR },
					'system',
				);
		}
		if (rounds && r.chance(0.04)) {
			const open = status === 'in_review';
			discrepancies.push({
				id: randomUUID(),
				contract: id,
				round: rounds,
				raised_by_department: r.pick(depts),
				clause: `第${r.int(1, 12)}条 Clause ${r.int(1, 12)}`,
				problem: '图纸与技术协议不一致 Drawing and technical agreement differ',
				status: open
					? r.weighted([
							['open', 60],
							['resolved', 40],
						])
					: 'closed',
				resolution: open ? null : '顾客书面确认按图纸执行 Customer confirmed the drawing in writing',
				date_created: new Date(submitted + HOUR),
			});
		}
		if (signed) {
			addAudit(signedAt, 'cp_contracts', id, 'signed', 'reviewed', 'signed', null, 'sales', userOf('sales'));
			for (const dept of ['production', 'purchasing', 'quality', 'warehouse']) {
				const acknowledged = T - signedAt > 3 * DAY || r.chance(0.5);
				notices.push({
					id: randomUUID(),
					contract: id,
					department: dept,
					issued_at: new Date(signedAt),
					due_at: new Date(created + r.int(30, 120) * DAY),
					content: `HT-${year}-${pad(n, 5)} task`,
					acknowledged_by: acknowledged ? userOf(dept) : null,
					acknowledged_at: acknowledged ? new Date(Math.min(signedAt + r.next() * 2 * DAY, T - 1000)) : null,
					date_created: new Date(signedAt),
				});
			}
		}
	}
	await insertAll(knex, 'cp_contracts', contracts, stats);
	await insertAll(knex, 'cp_contract_lines', contractLines, stats);
	await insertAll(knex, 'cp_review_lines', reviewLines, stats);
	await insertAll(knex, 'cp_discrepancies', discrepancies, stats);
	await insertAll(knex, 'cp_task_notices', notices, stats);
	log(`[generate] contracts ${nk}, review lines ${reviewLines.length} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

	// ------------------------------------------------------------------ complaints and actions
	const complaints = [];
	const actions = [];
	const nq = N(FULL.complaints);
	const responseHours = 72;
	for (let i = 0; i < nq; i++) {
		const n = O(FULL.complaints) + i + 1;
		const k = r.chance(0.6) ? contracts[r.int(0, contracts.length - 1)] : null;
		const customer = k ? k.customer : skewed().id;
		const received = START + Math.pow(r.next(), 0.85) * (T - START - 10 * 60_000);
		const age = (T - received) / DAY;
		const status =
			age > 60
				? r.weighted([
						['closed', 92],
						['responded', 2],
						['verifying', 2],
						['action', 2],
						['investigating', 1],
						['reopened', 1],
					])
				: age > 7
					? r.weighted([
							['closed', 40],
							['verifying', 15],
							['responded', 15],
							['action', 15],
							['investigating', 10],
							['received', 5],
						])
					: r.weighted([
							['received', 40],
							['investigating', 35],
							['action', 15],
							['responded', 10],
						]);
		const responseDue = received + responseHours * HOUR;
		const resolutionDue = received + 30 * DAY;
		const answered = ['responded', 'verifying', 'closed'].includes(status);
		const respondedAt = answered ? Math.min(received + r.lognormal(40, 0.7) * HOUR, T - 60_000) : null;
		const investigated = !['received', 'investigating'].includes(status);
		const closedAt = status === 'closed' ? Math.min((respondedAt ?? received) + r.lognormal(12, 0.8) * DAY, T - 30_000) : null;
		const id = randomUUID();
		const product = r.pick(PRODUCTS);
		// The breach flags the deadline watch would have set; the newest overdue ones are left
		// for the first tick (so a fresh database has some work due).
		const overdueUnanswered = !answered && responseDue < T;
		const responseBreached = respondedAt !== null ? respondedAt > responseDue : overdueUnanswered && T - responseDue > 6 * HOUR;
		const resolutionBreached = closedAt !== null ? closedAt > resolutionDue : status !== 'closed' && T - resolutionDue > 6 * HOUR;
		complaints.push({
			id,
			code: `KF-${yearOf(received)}-${pad(n, 4)}`,
			customer,
			contract: k ? k.id : null,
			product,
			batch: `B${yearOf(received)}${pad(r.int(1, 9999), 4)}`,
			channel: r.weighted([
				['phone', 40],
				['mail', 25],
				['visit', 10],
				['hotline', 10],
				['letter', 5],
				['web', 10],
			]),
			received_at: new Date(received),
			summary: r.pick([
				'外观划伤 Surface scratches',
				'尺寸超差 Dimension out of tolerance',
				'泄漏 Leakage',
				'交货延迟 Late delivery',
				'包装破损 Damaged packing',
				'标识错误 Wrong marking',
			]),
			description: '顾客来电反映问题,要求书面答复。 Customer called and asks for a written response.',
			status,
			response_due_at: new Date(responseDue),
			responded_at: respondedAt ? new Date(respondedAt) : null,
			response_content: answered ? '经调查,已采取纠正措施。 Investigated; corrective action taken.' : null,
			response_breached: responseBreached,
			resolution_due_at: new Date(resolutionDue),
			resolution_breached: resolutionBreached,
			root_cause_category: investigated ? r.weighted(CAUSES.map((c, j) => [c, [25, 30, 10, 15, 10, 5, 5][j]])) : null,
			root_cause: investigated ? '工序控制不严 Process not controlled' : null,
			responsible_department:
				investigated || status === 'investigating'
					? r.weighted([
							['production', 45],
							['quality', 20],
							['purchasing', 15],
							['technical', 10],
							['warehouse', 10],
						])
					: null,
			product_disposition:
				status === 'closed'
					? r.weighted([
							['none', 60],
							['return', 25],
							['nonconforming', 15],
						])
					: null,
			verification: status === 'closed' ? 'confirmed' : null,
			verified_at: closedAt ? new Date(closedAt) : null,
			dedupe_key: createHash('sha256').update(`bench:${seed}:${n}:${id}`).digest('hex'),
			date_created: new Date(received),
			date_updated: new Date(closedAt ?? respondedAt ?? received),
		});
		addAudit(received, 'cp_complaints', id, 'create', null, 'received', null, 'sales', userOf('sales'));
		if (investigated || status === 'reopened') {
			const nActions = r.weighted([
				[1, 75],
				[2, 20],
				[3, 5],
			]);
			for (let a = 0; a < nActions; a++) {
				const createdAt = received + r.next() * 5 * DAY;
				const due = createdAt + r.int(7, 21) * DAY;
				const dept = r.pick(['production', 'quality', 'purchasing', 'technical', 'warehouse']);
				let aStatus;
				let doneAt = null;
				if (status === 'closed') {
					aStatus = r.chance(0.7) ? 'verified' : 'done';
					doneAt = Math.min(due - r.next() * 5 * DAY, closedAt ?? T);
				} else if (r.chance(0.35)) {
					aStatus = 'done';
					doneAt = Math.min(createdAt + r.next() * (due - createdAt), T - 1000);
				} else aStatus = due < T ? 'overdue' : 'open';
				const isOpen = aStatus === 'open' || aStatus === 'overdue';
				// Reminders and escalations already sent, except for those that fell due in the last hours.
				const reminded = isOpen && due - 24 * HOUR < T && T - (due - 24 * HOUR) > 6 * HOUR;
				const escalated = aStatus === 'overdue' && T - due > 6 * HOUR;
				actions.push({
					id: randomUUID(),
					title: `纠正措施 Corrective action ${a + 1} for KF ${n}`,
					source_collection: 'cp_complaints',
					source_id: id,
					owner: userOf(dept),
					department: dept,
					due_at: new Date(due),
					status: aStatus === 'overdue' && !escalated ? 'open' : aStatus,
					done_at: doneAt ? new Date(doneAt) : null,
					reminded_at: reminded ? new Date(due - 24 * HOUR + HOUR) : null,
					escalated_at: escalated ? new Date(due + HOUR) : null,
					date_created: new Date(createdAt),
				});
			}
		}
	}
	await insertAll(knex, 'cp_complaints', complaints, stats);
	await insertAll(knex, 'cp_actions', actions, stats);
	log(`[generate] complaints ${nq}, actions ${actions.length} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

	// ------------------------------------------------------------------ communication: surveys and contacts
	const comms = [];
	const currentPeriod = quarterKey(T);
	for (const c of customers) {
		if (c.status !== 'active') continue;
		const from = Math.max(c.date_created.getTime(), START);
		const seen = new Set();
		for (let t = from; t <= T; t += 30 * DAY) {
			const period = quarterKey(t);
			if (seen.has(period)) continue;
			seen.add(period);
			// 10% of the current period's questionnaires are not created yet: the first tick's work.
			if (period === currentPeriod && r.chance(0.1)) continue;
			const answered = period !== currentPeriod ? r.chance(0.75) : r.chance(0.3);
			comms.push({
				id: randomUUID(),
				customer: c.id,
				type: 'survey',
				channel: answered ? r.pick(['link', 'mail', 'visit']) : null,
				occurred_at: answered ? new Date(Math.min(t + r.int(1, 40) * DAY, T - 1000)) : null,
				summary: `顾客满意度调查 Satisfaction survey ${period}`,
				period_key: period,
				survey_status: answered ? 'answered' : 'due',
				score: answered ? Math.max(40, Math.min(100, Math.round(r.lognormal(86, 0.08)))) : null,
				answers: answered ? JSON.stringify({ quality: r.int(3, 5), delivery: r.int(2, 5), service: r.int(3, 5) }) : null,
				dedupe_key: `survey:${c.id}:${period}`,
				date_created: new Date(t),
			});
		}
		for (let j = r.int(3, 15); j > 0; j--) {
			const at = START + r.next() * (T - START - HOUR);
			comms.push({
				id: randomUUID(),
				customer: c.id,
				type: r.weighted([
					['inquiry', 30],
					['progress', 25],
					['quality_info', 10],
					['change_info', 5],
					['pre_sale', 10],
					['after_sale', 10],
					['visit', 10],
				]),
				channel: r.pick(['phone', 'mail', 'visit', 'meeting']),
				occurred_at: new Date(at),
				summary: '客户沟通 Customer contact',
				findings: null,
				period_key: null,
				survey_status: null,
				score: null,
				answers: null,
				dedupe_key: null,
				date_created: new Date(at),
			});
		}
	}
	await insertAll(knex, 'cp_communications', comms, stats);
	log(`[generate] communications ${comms.length}`);

	// ------------------------------------------------------------------ customer property and its history
	const property = [];
	const events = [];
	const np = N(FULL.property);
	const HELD = ['received', 'in_store', 'in_use', 'blocked'];
	for (let i = 0; i < np; i++) {
		const n = O(FULL.property) + i + 1;
		const kind = r.weighted(PROPERTY_KINDS);
		const k = r.chance(0.3) ? contracts[r.int(0, contracts.length - 1)] : null;
		const customer = k ? k.customer : skewed().id;
		const receivedAt = START + r.next() * (T - START - DAY);
		const status = r.weighted([
			['expected', 3],
			['received', 4],
			['in_store', 45],
			['in_use', 30],
			['blocked', 1],
			['returned', 12],
			['disposed', 5],
		]);
		const held = HELD.includes(status);
		// Next check: mostly ahead, ~8% within 30 days, ~3% overdue (of which a few not yet announced).
		let nextDue = null;
		let notified = null;
		let lastCheck = null;
		if (held) {
			const bucket = r.weighted([
				['overdue', 3],
				['soon', 8],
				['later', 89],
			]);
			const dueMs = bucket === 'overdue' ? T - r.int(1, 40) * DAY : bucket === 'soon' ? T + r.int(0, 30) * DAY : T + r.int(31, 180) * DAY;
			nextDue = dateValue(d, dueMs);
			lastCheck = Math.max(receivedAt, dueMs - 182 * DAY);
			if (bucket === 'overdue' && r.chance(0.9)) notified = nextDue;
		}
		const id = randomUUID();
		property.push({
			id,
			code: `GP-${pad(n, 6)}`,
			name: `${kind} ${n}`,
			kind,
			customer,
			contract: k ? k.id : null,
			scope: '按合同约定保管、使用与归还 Keep, use and return as agreed',
			specification: `S-${r.int(1, 99)}`,
			quantity: r.int(1, 200),
			unit: 'pcs',
			serial_no: ['tooling', 'gauge', 'equipment'].includes(kind) ? `SN${pad(n, 7)}` : null,
			status,
			location: `仓库 ${r.pick(['A', 'B', 'C'])}-${r.int(1, 40)}`,
			location_segregated: r.chance(0.6),
			next_check_due: nextDue,
			last_check_at: lastCheck ? new Date(lastCheck) : null,
			check_notified_for: notified,
			loss_attributed_to_customer: false,
			date_created: new Date(receivedAt - DAY),
		});
		if (status === 'expected') continue;
		const ev = (type, at, extra = {}) =>
			events.push({
				id: randomUUID(),
				property: id,
				type,
				occurred_at: new Date(at),
				quantity: null,
				result: null,
				from_location: null,
				to_location: null,
				note: null,
				details: null,
				date_created: new Date(at),
				...extra,
			});
		ev('receipt', receivedAt, { quantity: 1 });
		if (r.chance(0.9)) ev('inspection', receivedAt + HOUR, { result: 'accepted' });
		const checks = Math.floor((Math.min(lastCheck ?? T, T) - receivedAt) / (182 * DAY));
		for (let c = 1; c <= checks; c++) ev('check', receivedAt + c * 182 * DAY, { result: 'ok' });
		if (r.chance(0.2)) ev('movement', receivedAt + r.next() * (T - receivedAt), { from_location: 'A-1', to_location: 'B-2' });
		if (status === 'blocked') ev('problem', T - r.int(1, 20) * DAY, { note: '发现损坏 Damage found', details: JSON.stringify({ problem_type: 'damaged' }) });
		if (status === 'returned' || status === 'disposed') ev('return', T - r.int(1, 300) * DAY);
	}
	await insertAll(knex, 'cp_property', property, stats);
	await insertAll(knex, 'cp_property_events', events, stats);
	log(`[generate] property ${np}, events ${events.length}`);

	audit.sort((a, b) => a.at - b.at);
	await insertAll(knex, 'cp_audit', audit, stats);
	log(`[generate] audit ${audit.length}; done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return stats;
}

/**
 * Contracts of the 'special' route in review with all six review lines pending, for the
 * sign-off benchmarks (the generated company has too few pending lines at small scales).
 * Returns the lines in contract order (each contract signed to completion in turn).
 */
export async function reviewFixtures(knex, { count, tag, customers, users = {}, now = new Date() }) {
	const depts = ROUTES.special;
	const contracts = [];
	const lines = [];
	const audit = [];
	for (let i = 0; i < count; i++) {
		const id = randomUUID();
		const created = new Date(now.getTime() - HOUR);
		contracts.push({
			id,
			code: `BENCH-${tag}-${pad(i + 1, 4)}`,
			title: `Benchmark contract ${tag} ${i + 1}`,
			kind: 'contract',
			channel: 'written',
			class: 'special',
			major: false,
			status: 'in_review',
			customer: customers[i % customers.length],
			review_round: 1,
			review_route: 'special',
			review_submitted_at: created,
			date_created: created,
		});
		for (const department of depts) {
			lines.push({
				id: randomUUID(),
				contract: id,
				round: 1,
				stage: 'review',
				department,
				decision: 'pending',
				signed_as_admin: false,
				checklist: JSON.stringify([{ key: 'capability', checked: false }]),
				date_created: created,
			});
		}
		audit.push({
			at: created,
			user: users.sales ?? null,
			department: 'sales',
			as_admin: false,
			collection: 'cp_contracts',
			item: id,
			action: 'submitted',
			from_status: 'draft',
			to_status: 'in_review',
			data: JSON.stringify({ round: 1, route: 'special' }),
			date_created: created,
		});
	}
	const stats = {};
	await insertAll(knex, 'cp_contracts', contracts, stats);
	await insertAll(
		knex,
		'cp_contract_lines',
		contracts.map((c) => ({ id: randomUUID(), contract: c.id, line_no: 1, product: PRODUCTS[0], quantity: 10, unit: 'pcs', date_created: c.date_created })),
		stats,
	);
	await insertAll(knex, 'cp_review_lines', lines, stats);
	await insertAll(knex, 'cp_audit', audit, stats);
	return lines.map((l) => ({ id: l.id, contract: l.contract, department: l.department }));
}

/** PostgreSQL keeps planner statistics per table: refresh them after a bulk load. */
export async function analyze(knex) {
	const d = dialect(knex);
	if (d === 'pg') await knex.raw('ANALYZE');
	else if (d === 'sqlite') await knex.raw('ANALYZE');
	else await knex.raw('ANALYZE TABLE cp_complaints, cp_actions, cp_property, cp_contracts, cp_review_lines, cp_communications, cp_audit');
}

// ------------------------------------------------------------------ command line
if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const arg = (name, def) => {
		const i = process.argv.indexOf(`--${name}`);
		return i > 0 ? process.argv[i + 1] : def;
	};
	const e = process.env;
	const client = e.DB_CLIENT ?? 'sqlite3';
	const knex = knexFactory(
		client === 'sqlite3'
			? { client, connection: { filename: e.DB_FILENAME }, useNullAsDefault: true }
			: { client, connection: { host: e.DB_HOST, port: Number(e.DB_PORT ?? 5432), user: e.DB_USER, password: e.DB_PASSWORD ?? '', database: e.DB_DATABASE } },
	);
	try {
		const settings = await knex('cp_settings').first('departments');
		const roles = settings?.departments ? (typeof settings.departments === 'string' ? JSON.parse(settings.departments) : settings.departments) : {};
		const users = {};
		for (const [dept, role] of Object.entries(roles)) {
			const u = await knex('directus_users').where({ role, status: 'active' }).first('id');
			if (u) users[dept] = u.id;
		}
		const stats = await generate(knex, { scale: Number(arg('scale', 1)), seed: Number(arg('seed', 7)), users, log: console.log });
		await analyze(knex);
		console.table(stats);
	} finally {
		await knex.destroy();
	}
}
