// The test clock (services/clock.ts, /cp/test/clock) exists only under CP_TEST_CLOCK=true:
// without it the route is not registered (404, as for any unknown route) and now() is the real
// time. With it, only an administrator moves the clock. A real Express router, no Directus.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const H = 3_600_000;

async function serve(env: Record<string, unknown>) {
	vi.resetModules(); // a fresh clock module per case: production state is "never enabled"
	const { mountTestClock } = await import('../../extensions/customer-processes/src/endpoints/cp/test-clock');
	const clock = await import('../../extensions/customer-processes/src/services/clock');
	const app = express();
	app.use(express.json());
	app.use((req: any, _res, next) => {
		req.accountability = { user: 'u1', admin: req.headers['x-admin'] === 'yes' };
		next();
	});
	const router = express.Router();
	mountTestClock(router, { env });
	app.use('/cp', router);
	app.use((err: any, _req: any, res: any, _next: any) => res.status(err.status ?? 500).json({ code: err.code ?? err.extensions?.code }));
	const server = app.listen(0, '127.0.0.1');
	await new Promise((r) => server.once('listening', r));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const call = async (method: string, body?: unknown, admin = true) => {
		const res = await fetch(`${url}/cp/test/clock`, {
			method,
			headers: { 'content-type': 'application/json', ...(admin ? { 'x-admin': 'yes' } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, body: await res.json().catch(() => null) };
	};
	return { call, clock, close: () => new Promise((r) => server.close(r)) };
}

let s: Awaited<ReturnType<typeof serve>> | null = null;
afterEach(async () => {
	await s?.close();
	s = null;
});

describe('CP-4 the test clock of the complaint clock exists only under CP_TEST_CLOCK=true', () => {
	for (const env of [{}, { CP_TEST_CLOCK: 'false' }, { CP_TEST_CLOCK: false }, { CP_TEST_CLOCK: '1' }]) {
		it(`answers 404 and keeps the real time without the env (${JSON.stringify(env)})`, async () => {
			s = await serve(env);
			expect((await s.call('POST', { advanceMs: 5 * H })).status).toBe(404);
			expect((await s.call('GET')).status).toBe(404);
			expect(s.clock.testClock.enabled()).toBe(false);
			expect(Math.abs(s.clock.now().getTime() - Date.now())).toBeLessThan(1000);
		});
	}

	describe('with CP_TEST_CLOCK=true', () => {
		beforeEach(async () => {
			s = await serve({ CP_TEST_CLOCK: 'true' });
		});

		it('lets an administrator move the clock by 5 hours and back to the real time', async () => {
			const moved = await s!.call('POST', { advanceMs: 5 * H });
			expect(moved.status).toBe(200);
			expect(moved.body.data.offset_ms).toBe(5 * H);
			expect(Math.abs(s!.clock.now().getTime() - (Date.now() + 5 * H))).toBeLessThan(1000);
			await s!.call('POST', { at: '2026-11-03T01:30:00.000Z' });
			expect(Math.abs(s!.clock.now().getTime() - Date.parse('2026-11-03T01:30:00.000Z'))).toBeLessThan(1000);
			expect((await s!.call('POST', { reset: true })).body.data.offset_ms).toBe(0);
			expect(Math.abs(s!.clock.now().getTime() - Date.now())).toBeLessThan(1000);
		});

		it('refuses a department user (403) and bad input (400), leaving the clock alone', async () => {
			expect(await s!.call('POST', { advanceMs: H }, false)).toMatchObject({ status: 403, body: { code: 'CP_SYSTEM_ONLY' } });
			expect((await s!.call('GET', undefined, false)).status).toBe(403);
			expect(await s!.call('POST', { advanceMs: 'soon' })).toMatchObject({ status: 400, body: { code: 'CP_INVALID_VALUE' } });
			expect((await s!.call('POST', { at: 'tomorrow-ish' })).status).toBe(400);
			expect(s!.clock.testClock.offset()).toBe(0);
		});
	});
});
