// Directus checks a write's permission only after the filters, and a complaint transition commits
// in its filter: the write guard re-checks the permission first (services/permissions.ts), read in
// one statement with the settings (issue 14). A permission revoked refuses the very next write;
// granted again, the write goes through. Nothing was moved or recorded by the refused write.
import { describe, expect, it } from 'vitest';
import { database, http, ok, uid } from '../harness/client';
import { DEPARTMENTS } from '../../seeds/departments.mjs';

const quality = DEPARTMENTS.find((d: any) => d.key === 'quality')!;

async function revoked<T>(collection: string, action: string, fn: () => Promise<T>): Promise<T> {
	const perms = await ok(
		'admin',
		'GET',
		`/permissions?filter[policy][_eq]=${quality.policy}&filter[collection][_eq]=${collection}&filter[action][_eq]=${action}&limit=-1`,
	);
	expect(perms.length).toBeGreaterThan(0);
	for (const p of perms) await ok('admin', 'DELETE', `/permissions/${p.id}`);
	try {
		return await fn();
	} finally {
		for (const { id: _id, ...p } of perms) await ok('admin', 'POST', '/permissions', p);
	}
}

describe('the write guard re-checks the permission before a filter acts (issue 14)', () => {
	it('CP-2 a transition by a department whose update permission was just revoked is refused and moves nothing', async () => {
		const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Permission re-check customer' })).id;
		const k = await ok('sales', 'POST', '/items/cp_complaints', {
			customer,
			channel: 'phone',
			summary: uid('Permission re-check'),
			received_at: new Date(Date.now() - 3600e3).toISOString(),
		});
		// Quality has written (its settings are known to the instance) before the revocation.
		await ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { root_cause: 'first note' });
		await revoked('cp_complaints', 'update', async () => {
			const r = await http('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' });
			expect(r.code, r.message).toBe('FORBIDDEN');
			// A second try (the settings now certainly known) is refused the same way.
			expect((await http('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' })).code).toBe('FORBIDDEN');
		});
		const row = await database()('cp_complaints').where('id', k.id).first('status');
		expect(row.status).toBe('received');
		const moved = await database()('cp_audit').where({ collection: 'cp_complaints', item: k.id, to_status: 'investigating' }).count({ n: '*' }).first();
		expect(Number(moved?.n)).toBe(0);
		// Granted again: the next write goes through.
		await ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' });
		expect((await database()('cp_complaints').where('id', k.id).first('status')).status).toBe('investigating');
	});
});
