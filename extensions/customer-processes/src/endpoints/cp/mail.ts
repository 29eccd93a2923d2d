// /cp routes of the complaints mailbox (CP-1, CC-1): the poll on demand (admins, tests; the schedule
// runs it otherwise), Sales's triage decision, and the written response sent by e-mail.
import type { Router } from 'express';
import { route, type EndpointContext } from './context';
import { actorFrom, loadSettings, type ActorInfo } from '../../services/context';
import { decideTriage, pollMailbox, sendResponse } from '../../services/mail';
import { DomainError } from '../../domain/errors';
import { RESPONSE_SENDERS, TRIAGE_DEPARTMENTS } from '../../domain/mail/inbound';
import { truthy } from '../../services/complaints';

export function mountMail(router: Router, ctx: EndpointContext): void {
	const { database, env } = ctx;
	const testMode = truthy(env.CP_TEST_CLOCK);

	const staff = async (req: any, departments: readonly string[]): Promise<ActorInfo> => {
		if (!req.accountability?.user) throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', 'Log in first', { status: 401 });
		const actor = actorFrom(req.accountability, await loadSettings(database));
		if (!actor.isAdmin && !actor.departments.some((d) => departments.includes(d))) {
			throw new DomainError('CP_NOT_DEPARTMENT_MEMBER', `This is for ${departments.join(' or ')}`, { details: { departments } });
		}
		return actor;
	};

	router.post(
		'/jobs/mail-poll',
		route(async (req, res) => {
			if (!req.accountability?.admin) throw new DomainError('CP_SYSTEM_ONLY', 'Only an administrator can run the scheduler jobs by hand', { status: 403 });
			// Tests only (CP_TEST_CLOCK): die after the first commit, before the message is marked.
			const crashAfterCommit = testMode && truthy(req.body?.crash_after_commit);
			res.json({ data: await pollMailbox(ctx, { crashAfterCommit }) });
		}),
	);

	router.post(
		'/communications/:id/triage',
		route(async (req, res) => {
			const actor = await staff(req, TRIAGE_DEPARTMENTS);
			res.json({ data: await decideTriage(ctx, req.params.id, req.body ?? {}, actor) });
		}),
	);

	router.post(
		'/complaints/:id/send-response',
		route(async (req, res) => {
			const actor = await staff(req, RESPONSE_SENDERS);
			res.json({ data: await sendResponse(ctx, req.params.id, req.body ?? {}, actor) });
		}),
	);
}
