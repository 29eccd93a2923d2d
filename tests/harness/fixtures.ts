import { cp, ok } from './client';

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
