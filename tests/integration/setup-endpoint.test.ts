// Issue 13: setup and upgrade from inside Directus. `GET /cp/setup` shows an admin the installed
// and the package's schema versions and what is missing; `POST /cp/setup` runs the installer's
// logic (the same as the command line) and, on an installed instance, changes nothing; both
// are refused to non-admins and a bad option is refused in one line with nothing written.
import { describe, expect, it } from 'vitest';
import { database, http, ok } from '../harness/client';
import { fingerprint, ourFingerprint } from '../harness/fingerprint';
import { SCHEMA_VERSION } from '../../scripts/migrations/steps.mjs';

describe('setup endpoint (issue 13)', () => {
	it('is for admins only', async () => {
		for (const m of ['GET', 'POST'] as const) {
			const r = await http('sales', m, '/cp/setup', m === 'POST' ? {} : undefined);
			expect(r.status, m).toBe(403);
			expect(r.code).toBe('CP_ADMIN_ONLY');
		}
	});

	it('reports the versions, refuses an unknown collection in one line, and installs idempotently', async () => {
		const status = await ok('admin', 'GET', '/cp/setup');
		expect(status.package).toBe(SCHEMA_VERSION);
		expect(status.missing).toEqual([]);
		const before = await fingerprint(database());
		const bad = await http('admin', 'POST', '/cp/setup', { customers_collection: 'kunden' });
		expect(bad.status).toBe(400);
		expect(bad.message).toMatch(/customers collection 'kunden' not found .* one of: customers/);
		expect(await fingerprint(database())).toEqual(before);
		await ok('admin', 'POST', '/cp/setup', { app_access: false });
		const ours = await ourFingerprint(database());
		const again = await ok('admin', 'POST', '/cp/setup', { app_access: false });
		expect(again.version).toBe(SCHEMA_VERSION);
		expect(again.log.join('\n')).toContain('0 roles/policies/presets created, 0 permissions added');
		expect(await ourFingerprint(database())).toEqual(ours);
		expect((await ok('admin', 'GET', '/cp/setup')).installed).toBe(SCHEMA_VERSION);
	});
});
