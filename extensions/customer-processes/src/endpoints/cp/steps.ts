// /cp/steps: the next steps of a record for its page's panel (issue #12). GET lists them; POST
// .../check lists them again with the page's unsaved edits taken into account. The steps are
// taken by the ordinary requests each step names (PATCH /items/..., POST /cp/...), so every
// guard of the bundle applies to them.
import type { Router } from 'express';
import type { EndpointContext } from './context';
import { route, requireUser } from './context';
import { stepsFor } from '../../services/steps';

export function mountSteps(router: Router, ctx: EndpointContext): void {
	const deps = { database: ctx.database, services: ctx.services, getSchema: ctx.getSchema };
	router.get(
		'/steps/:collection/:id',
		route(async (req, res) => {
			requireUser(req, 'see the next steps');
			res.json({ data: await stepsFor(deps, req.accountability, req.params.collection, req.params.id) });
		}),
	);
	router.post(
		'/steps/:collection/:id/check',
		route(async (req, res) => {
			requireUser(req, 'see the next steps');
			const edits = req.body?.edits && typeof req.body.edits === 'object' && !Array.isArray(req.body.edits) ? req.body.edits : {};
			res.json({ data: await stepsFor(deps, req.accountability, req.params.collection, req.params.id, edits) });
		}),
	);
}
