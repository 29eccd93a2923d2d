import { cp, http, ok } from './client';

// A contract line of the worked examples (a carton of Doc 2), shared by the suites.
export const LINE = {
	product: 'Corrugated box',
	specification: '600x400x300',
	material: 'K=A',
	marks: 'LOGO',
	process: 'flexo',
	quantity: 1000,
	unit: 'pcs',
	unit_price: 10,
	delivery_date: '2027-01-15',
};

const H = 3600e3;

/**
 * A complaint walked to its corrective action done (CP-1..CP-3): received an hour ago, investigated
 * by Quality, one action by Production finished. The caller sends the written response.
 */
export async function complaintWithActionDone(customer: string, text: { summary: string; product: string; rootCause: string; action: string }) {
	const c = await ok('sales', 'POST', '/items/cp_complaints', {
		customer,
		channel: 'phone',
		summary: text.summary,
		product: text.product,
		received_at: new Date(Date.now() - H).toISOString(),
	});
	await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, { status: 'investigating' });
	await ok('quality', 'PATCH', `/items/cp_complaints/${c.id}`, {
		traceability: `追溯批次: ${text.rootCause}`,
		root_cause_category: 'process',
		root_cause: text.rootCause,
		responsible_department: 'production',
		status: 'action',
	});
	const a = await ok('quality', 'POST', '/items/cp_actions', {
		title: text.action,
		source_collection: 'cp_complaints',
		source_id: c.id,
		owner: cp().users.production.id,
		department: 'production',
		due_at: new Date(Date.now() + 48 * H).toISOString(),
	});
	await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
	return c as { id: string; code: string };
}

/** A DATE column's value as 'YYYY-MM-DD': epoch ms on SQLite (as Directus writes it), a local-midnight Date on pg/mysql. */
export function localDay(v: unknown): string | null {
	if (v === null || v === undefined) return null;
	const p = (n: number) => String(n).padStart(2, '0');
	const local = (d: Date) => `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
	if (v instanceof Date) return local(v);
	if (typeof v === 'number' || /^\d{9,}$/.test(String(v))) return local(new Date(Number(v)));
	return String(v).slice(0, 10);
}

/** A review line's own checklist with every aspect confirmed (CR-3: an approval confirms each aspect explicitly). */
export function ticked(line: { checklist?: unknown }): { key: string; checked: true }[] {
	const list = typeof line.checklist === 'string' ? JSON.parse(line.checklist) : (line.checklist ?? []);
	return (list as { key: string }[]).map((a) => ({ key: a.key, checked: true }));
}

/** What a department sends to approve its line (CR-3, CR-4): an opinion and every aspect confirmed. */
export const approval = (line: { checklist?: unknown }, opinion = 'OK, can be met') => ({ decision: 'approved', opinion, checklist: ticked(line) });

/** CR-6: the sales department manager (by default a member of Sales) signs the review conclusion. */
export const signConclusion = (contractId: string, conclusion = '评审通过，同意签订 Review passed', who = 'sales') =>
	http(who, 'PATCH', `/items/cp_contracts/${contractId}`, { conclusion });

/** CR-11: the sales VP (by default the deputy GM) signs the contract for the company. */
export const signContract = (contractId: string, who = 'deputy_gm') => http(who, 'PATCH', `/items/cp_contracts/${contractId}`, { status: 'signed' });

/**
 * Every line of the contract's current round approved by its department, then the conclusion signed
 * where the route has one (CR-6): the contract is 'reviewed' afterwards unless a discrepancy is open.
 */
export async function reviewAll(contractId: string, opinion = 'OK, can be met'): Promise<void> {
	const c = await ok('admin', 'GET', `/items/cp_contracts/${contractId}`);
	const rows = await ok('admin', 'GET', `/items/cp_review_lines?filter[contract][_eq]=${contractId}&filter[round][_eq]=${c.review_round}&limit=-1`);
	for (const line of rows) {
		if (line.decision !== 'pending') continue;
		const r = await http(line.department, 'PATCH', `/items/cp_review_lines/${line.id}`, approval(line, opinion));
		if (r.status >= 300) throw new Error(`approve ${line.department}: ${r.status} ${r.code} ${r.message}`);
	}
	const after = await ok('admin', 'GET', `/items/cp_contracts/${contractId}`);
	if (after.status === 'in_review' && !['regular_in_stock', 'confirmation'].includes(String(after.review_route).split('+')[0]!)) {
		const r = await signConclusion(contractId);
		if (r.status >= 300 && r.code !== 'CP_OPEN_DISCREPANCIES') throw new Error(`conclusion: ${r.status} ${r.code} ${r.message}`);
	}
}
