// Hand-written SQL answering the same questions as the /cp read endpoints, run with knex.raw on
// the same database: the baseline of the read benchmarks (bench/run.mjs). Each entry returns a
// "check" number (a total the endpoint's answer must also give) so that the benchmark shows
// the two answer the same question, not just that both are fast.
//
// SQLite keeps timestamps as epoch milliseconds and DATE columns as local-midnight epoch ms
// (as the generator and Directus write them); PostgreSQL and MariaDB/MySQL have real types. The SQL below is what
// a developer would write for each database knowing that, without the adapters' portability
// layer (epoch conversions, several small queries).

const sum = (rows, ...cols) => rows.reduce((s, r) => s + cols.reduce((t, c) => t + Number(r[c] ?? 0), 0), 0);

export function baselines(knex, { dialect, now, fromInstant, toInstant, today, in30, quarter, quality, hiddenForGm }) {
	const pg = dialect === 'pg';
	const my = dialect === 'mysql';
	const typed = pg || my;
	const T = (date) => (typed ? date : date.getTime());
	/** A local date for a DATE column. */
	const D = (key) => {
		if (typed) return key;
		const [y, m, d] = key.split('-').map(Number);
		return new Date(y, m - 1, d).getTime();
	};
	/** A column name the dialect may read as a keyword ("at"). */
	const col = (c) => (my ? `\`${c}\`` : `"${c}"`);
	const raw = async (sql, b = []) => {
		const res = await knex.raw(sql, b);
		return pg ? res.rows : my ? res[0] : res;
	};
	const hidden = hiddenForGm.length ? `AND kind NOT IN (${hiddenForGm.map(() => '?').join(', ')})` : '';
	const hiddenP = hiddenForGm.length ? `AND p.kind NOT IN (${hiddenForGm.map(() => '?').join(', ')})` : '';
	const period = [T(fromInstant), T(toInstant)];

	return {
		'/cp/kpi/review-cycle-time': async () => {
			// Each completion records its route and its round's hours (since the submission that opened
			// it) in columns of their own, which the (action, collection, at, review_route, cycle_hours) index holds.
			const medianSql = pg ? `percentile_cont(0.5) WITHIN GROUP (ORDER BY hours)` : `AVG(CASE WHEN 2 * rn >= cnt AND 2 * rn <= cnt + 2 THEN hours END)`;
			const ranked = pg
				? 'done'
				: `(SELECT route, hours, ROW_NUMBER() OVER (PARTITION BY route ORDER BY hours) AS rn, COUNT(*) OVER (PARTITION BY route) AS cnt FROM done) w`;
			const rows = await raw(
				`WITH done AS (
				   SELECT review_route AS route, ${pg ? 'CAST(cycle_hours AS DOUBLE PRECISION)' : 'cycle_hours'} AS hours
				   FROM cp_audit
				   WHERE action = 'review_completed' AND collection = 'cp_contracts' AND ${col('at')} >= ? AND ${col('at')} < ? AND cycle_hours IS NOT NULL)
				 SELECT route, COUNT(*) AS completed, AVG(hours) AS avg_hours, ${medianSql} AS p50_hours FROM ${ranked} GROUP BY route ORDER BY route`,
				period,
			);
			return sum(rows, 'completed');
		},
		'/cp/kpi/reviews-waiting': async () => {
			const rows = await raw(
				`SELECT l.department AS "key", COUNT(*) AS pending, COUNT(DISTINCT l.contract) AS contracts
				 FROM cp_review_lines l JOIN cp_contracts c ON c.id = l.contract
				 WHERE l.decision = 'pending' AND c.status = 'in_review' AND l.round = c.review_round
				 GROUP BY l.department ORDER BY l.department`,
			);
			return sum(rows, 'pending');
		},
		'/cp/kpi/open-discrepancies': async () => {
			const rows = await raw(
				`SELECT raised_by_department AS "key", SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open, SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END) AS resolved
				 FROM cp_discrepancies WHERE status IN ('open', 'resolved') AND date_created >= ? AND date_created < ?
				 GROUP BY raised_by_department ORDER BY raised_by_department`,
				period,
			);
			return sum(rows, 'open', 'resolved');
		},
		'/cp/kpi/complaint-response': async () => {
			const rows = await raw(
				`SELECT COUNT(responded_at) AS responded,
				        SUM(CASE WHEN responded_at > response_due_at THEN 1 ELSE 0 END) AS late,
				        SUM(CASE WHEN responded_at IS NULL AND status <> 'closed' AND response_due_at < ? THEN 1 ELSE 0 END) AS open_overdue
				 FROM cp_complaints WHERE received_at >= ? AND received_at < ?`,
				[T(now), ...period],
			);
			return sum(rows, 'responded', 'late', 'open_overdue');
		},
		'/cp/kpi/complaints-by-cause': async () => {
			const rows = await raw(
				`SELECT root_cause_category AS "key", COUNT(*) AS complaints, SUM(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END) AS open
				 FROM cp_complaints WHERE received_at >= ? AND received_at < ? GROUP BY root_cause_category`,
				period,
			);
			return sum(rows, 'complaints', 'open');
		},
		'/cp/kpi/complaints-by-customer': async () => {
			const rows = await raw(
				`SELECT c.id AS "key", c.code, c.name, COUNT(*) AS complaints,
				        SUM(CASE WHEN p.status <> 'closed' THEN 1 ELSE 0 END) AS open,
				        SUM(CASE WHEN p.responded_at > p.response_due_at THEN 1 ELSE 0 END) AS late
				 FROM cp_complaints p JOIN cp_customers c ON c.id = p.customer
				 WHERE p.received_at >= ? AND p.received_at < ?
				 GROUP BY c.id, c.code, c.name ORDER BY COUNT(*) DESC, c.code LIMIT 20`,
				period,
			);
			return sum(rows, 'complaints', 'open', 'late');
		},
		'/cp/kpi/overdue-actions': async () => {
			const rows = await raw(
				`SELECT department AS "key", COUNT(*) AS open, SUM(CASE WHEN status = 'overdue' OR due_at < ? THEN 1 ELSE 0 END) AS overdue
				 FROM cp_actions WHERE status IN ('open', 'overdue') AND due_at >= ? AND due_at < ? GROUP BY department`,
				[T(now), ...period],
			);
			return sum(rows, 'open', 'overdue');
		},
		'/cp/kpi/satisfaction-trend': async () => {
			const rows = await raw(
				`SELECT period_key AS "key", AVG(score) AS avg_score, COUNT(*) AS answered FROM cp_communications
				 WHERE type = 'survey' AND score IS NOT NULL AND occurred_at >= ? AND occurred_at < ? GROUP BY period_key ORDER BY period_key`,
				period,
			);
			return sum(rows, 'answered');
		},
		'/cp/kpi/property-checks': async () => {
			const rows = await raw(
				`SELECT kind AS "key", SUM(CASE WHEN next_check_due < ? THEN 1 ELSE 0 END) AS overdue, SUM(CASE WHEN next_check_due >= ? THEN 1 ELSE 0 END) AS due_30d
				 FROM cp_property WHERE status IN ('received', 'in_store', 'in_use', 'blocked') AND next_check_due <= ? ${hidden} GROUP BY kind ORDER BY kind`,
				[D(today), D(today), D(in30), ...hiddenForGm],
			);
			return sum(rows, 'overdue', 'due_30d');
		},
		'/cp/kpi/blocked-property': async () => {
			const rows = await raw(
				`SELECT c.id AS "key", c.code, c.name, COUNT(*) AS blocked FROM cp_property p JOIN cp_customers c ON c.id = p.customer
				 WHERE p.status = 'blocked' ${hiddenP} GROUP BY c.id, c.code, c.name ORDER BY c.code`,
				hiddenForGm,
			);
			return sum(rows, 'blocked');
		},
		'/cp/complaints/stats': async () => {
			// One pass for the totals, one for the four breakdowns (GROUPING SETS on PostgreSQL).
			const [t] = await raw(
				`SELECT COUNT(*) AS total, COUNT(responded_at) AS responded, SUM(CASE WHEN response_breached THEN 1 ELSE 0 END) AS response_breached,
				        SUM(CASE WHEN responded_at IS NULL THEN 1 ELSE 0 END) AS unanswered, SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) AS closed,
				        SUM(CASE WHEN resolution_breached THEN 1 ELSE 0 END) AS resolution_breached
				 FROM cp_complaints WHERE received_at >= ? AND received_at < ?`,
				period,
			);
			const groups = pg
				? await raw(
						`SELECT status, channel, root_cause_category, responsible_department, COUNT(*) AS n FROM cp_complaints WHERE received_at >= ? AND received_at < ?
						 GROUP BY GROUPING SETS ((status), (channel), (root_cause_category), (responsible_department))`,
						period,
					)
				: await raw(
						['status', 'channel', 'root_cause_category', 'responsible_department']
							.map((f) => `SELECT '${f}' AS dim, ${f} AS "key", COUNT(*) AS n FROM cp_complaints WHERE received_at >= ? AND received_at < ? GROUP BY ${f}`)
							.join(' UNION ALL '),
						[...period, ...period, ...period, ...period],
					);
			return sum([t], 'total', 'responded', 'response_breached', 'unanswered', 'closed', 'resolution_breached') + sum(groups, 'n');
		},
		'/cp/surveys/summary': async () => {
			const rows = await raw(
				`SELECT c.id AS customer, c.code, c.name, COUNT(*) AS surveys, COUNT(m.score) AS answered, AVG(m.score) AS avg_score, MIN(m.score) AS min_score, MAX(m.score) AS max_score
				 FROM cp_communications m JOIN cp_customers c ON c.id = m.customer WHERE m.type = 'survey' AND m.period_key = ?
				 GROUP BY c.id, c.code, c.name ORDER BY c.code`,
				[quarter],
			);
			// The overall line is the sum of the per-customer lines.
			return 2 * sum(rows, 'surveys', 'answered');
		},
		'/cp/property/checks-due': async () => {
			const rows = await raw(
				`SELECT id, code, name, kind, status, location, next_check_due, check_notified_for FROM cp_property
				 WHERE status IN ('received', 'in_store', 'in_use', 'blocked') AND next_check_due <= ? ORDER BY next_check_due, code`,
				[D(today)],
			);
			return rows.length;
		},
		'/cp/queue': async () => {
			// The quality user's queue: per entry the count, then (when there is any) the first 10 by
			// deadline: two queries each, as the endpoint (issue 14, stop 20: one query with COUNT(*) OVER ()
			// reads every matching row, along the deadline index when the LIMIT makes it walk that).
			// Quality's work only (issue 12): its review lines, the discrepancies it raised, its task
			// notices, the complaint responses, its own and its department's actions, the surveys; no
			// property checks (Quality keeps no kind of customer property: warehouse, production,
			// technical and sales are the custodians).
			const q = quality;
			const list = async (sql, order, b) => {
				const [{ total }] = await raw(`SELECT COUNT(*) AS total FROM (${sql}) x`, b);
				if (!Number(total)) return [];
				const rows = await raw(`SELECT x.* FROM (${sql}) x ORDER BY ${order} LIMIT 10`, b);
				return rows.map((r) => ({ ...r, total }));
			};
			const nulls = (c) => (pg ? `${c} NULLS LAST` : `${c} IS NULL, ${c}`);
			// Sequential, like the endpoint (one connection's worth of work).
			const entries = [];
			for (const run of [
				() =>
					list(
						`SELECT l.id, c.code, c.title, l.department, l.date_created FROM cp_review_lines l JOIN cp_contracts c ON c.id = l.contract
					 WHERE l.department IN (?) AND l.decision = 'pending' AND c.status = 'in_review' AND l.round = c.review_round`,
						'date_created, id',
						['quality'],
					),
				() =>
					list(
						`SELECT x.id, c.code, x.clause, x.problem, x.date_created FROM cp_discrepancies x JOIN cp_contracts c ON c.id = x.contract WHERE x.status = 'resolved' AND x.raised_by_department IN (?)`,
						'date_created, id',
						['quality'],
					),
				() =>
					list(
						`SELECT t.id, c.code, t.content, t.department, t.due_at, t.date_created FROM cp_task_notices t JOIN cp_contracts c ON c.id = t.contract WHERE t.department IN (?) AND t.acknowledged_at IS NULL`,
						`${nulls('due_at')}, date_created, id`,
						['quality'],
					),
				() =>
					list(
						`SELECT id, code, summary, pauses, response_due_at, date_created FROM cp_complaints WHERE responded_at IS NULL AND status IN ('received', 'investigating', 'action', 'responded', 'verifying', 'reopened')`,
						`${nulls('response_due_at')}, date_created, id`,
						[],
					),
				() =>
					list(
						`SELECT id, title, due_at, date_created FROM cp_actions WHERE owner = ? AND status IN ('open', 'overdue')`,
						`${nulls('due_at')}, date_created, id`,
						[q.userId],
					),
				// Quality's department's actions owned by someone else (or no one).
				() =>
					list(
						`SELECT id, title, department, due_at, date_created FROM cp_actions WHERE department IN (?) AND status IN ('open', 'overdue') AND (owner <> ? OR owner IS NULL)`,
						`${nulls('due_at')}, date_created, id`,
						['quality', q.userId],
					),
				// No property checks: Quality keeps no kind of customer property (the custodians' checks are theirs).
				() =>
					list(
						`SELECT m.id, c.code, c.name, m.period_key, m.date_created FROM cp_communications m JOIN cp_customers c ON c.id = m.customer WHERE m.type = 'survey' AND m.survey_status = 'due'`,
						'date_created, id',
						[],
					),
			])
				entries.push(await run());
			return entries.reduce((s, rows) => s + Number(rows[0]?.total ?? 0), 0);
		},
	};
}

/** The same check numbers, read from the endpoints' answers. */
export const endpointCheck = {
	kpi: (data, cols) => data.rows.reduce((s, r) => s + cols.reduce((t, c) => t + Number(r.values[c] ?? 0), 0), 0),
	'/cp/complaints/stats': (d) =>
		d.total +
		d.response.responded +
		d.response.breached +
		d.response.unanswered +
		d.resolution.closed +
		d.resolution.breached +
		['by_status', 'by_channel', 'by_root_cause_category', 'by_responsible_department'].reduce((s, k) => s + d[k].reduce((t, r) => t + r.count, 0), 0),
	'/cp/surveys/summary': (d) => d.surveys + d.answered + d.customers.reduce((s, c) => s + c.surveys + c.answered, 0),
	'/cp/property/checks-due': (d) => d.length,
	'/cp/queue': (d) => d.reduce((s, e) => s + e.count, 0),
};

export const KPI_CHECK_COLUMNS = {
	'review-cycle-time': ['completed'],
	'reviews-waiting': ['pending'],
	'open-discrepancies': ['open', 'resolved'],
	'complaint-response': ['responded', 'late', 'open_overdue'],
	'complaints-by-cause': ['complaints', 'open'],
	'complaints-by-customer': ['complaints', 'open', 'late'],
	'overdue-actions': ['open', 'overdue'],
	'satisfaction-trend': ['answered'],
	'property-checks': ['overdue', 'due_30d'],
	'blocked-property': ['blocked'],
};
