// /cp/test/clock: moves the server's clock (services/clock.ts) for tests, so that a test waits
// for hours to pass by moving the clock instead of sleeping. Registered only when the instance
// runs with CP_TEST_CLOCK=true (the test harness sets it; production never does): otherwise
// the route does not exist and Directus answers 404. Admin only even then.
import type { Router } from 'express';
import { route, type EndpointContext } from './context';
import { now, testClock } from '../../services/clock';
import { DomainError } from '../../domain/errors';

export const testClockEnabled = (env: Record<string, unknown>) => env.CP_TEST_CLOCK === true || env.CP_TEST_CLOCK === 'true';

export function mountTestClock(router: Router, ctx: Pick<EndpointContext, 'env'>): void {
	if (!testClockEnabled(ctx.env)) return;
	testClock.enable();
	const state = () => ({ now: now().toISOString(), offset_ms: testClock.offset() });
	const adminOnly = (req: any) => {
		if (!req.accountability?.admin) throw new DomainError('CP_SYSTEM_ONLY', 'Only an administrator can move the test clock', { status: 403 });
	};
	router.get(
		'/test/clock',
		route(async (req, res) => {
			adminOnly(req);
			res.json({ data: state() });
		}),
	);
	// Body: {advanceMs: number} moves it, {at: ISO instant} sets it, {reset: true} back to real time.
	router.post(
		'/test/clock',
		route(async (req, res) => {
			adminOnly(req);
			const body = req.body ?? {};
			if (body.reset === true) testClock.reset();
			else if (body.at !== undefined) {
				const at = typeof body.at === 'string' ? new Date(body.at) : null;
				if (!at || Number.isNaN(at.getTime())) throw new DomainError('CP_INVALID_VALUE', 'at must be an ISO date-time', { field: 'at' });
				testClock.set(at);
			} else if (typeof body.advanceMs === 'number' && Number.isFinite(body.advanceMs)) testClock.advance(body.advanceMs);
			else throw new DomainError('CP_INVALID_VALUE', 'give advanceMs (a number), at (an ISO date-time) or reset: true', { field: 'advanceMs' });
			res.json({ data: state() });
		}),
	);
}
