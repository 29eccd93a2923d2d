// /cp printable forms of the contract review and customer property areas, and the
// auditor's evidence pack. Every form is read through ItemsService with the caller's
// accountability (services/forms.ts): no read permission -> Directus's 403; not logged in -> 401.
import type { Router } from 'express';
import type { EndpointContext } from './context';
import { actorFrom, loadSettings } from '../../services/context';
import { htmlRoute, route, requireUser as requireLoggedIn, setPageHeaders } from './context';
import { formReader, type FormReader } from '../../services/forms';
import { streamEvidencePack } from '../../services/evidence';
import { myExports, readExports, startEvidenceExport } from '../../services/evidence-export';
import { DomainError } from '../../domain/errors';
import {
	renderChangeNotice,
	renderDesignChangeRequest,
	renderDiscrepancyForm,
	renderOrderConfirmation,
	renderOutboundSlip,
	renderReviewForm,
	renderSampleReport,
	renderTaskNotice,
} from '../../domain/forms/contract-forms';
import { renderPropertyRegister } from '../../domain/forms/property-register';
import { renderSampleRequest, renderSupplierFeedback } from '../../domain/forms/sample-supplier-forms';
import { assertMayTakeEvidence, parsePeriod, parseSample } from '../../domain/forms/evidence';

type Req = any;

const requireUser = (req: Req) => requireLoggedIn(req, 'print forms');

export function mountForms(router: Router, ctx: EndpointContext): void {
	const { database, services, getSchema, env, logger } = ctx;
	const reader = (req: Req): FormReader => formReader({ database, services, getSchema }, req.accountability);

	const form = (path: string, render: (r: FormReader, req: Req) => Promise<string>) =>
		router.get(
			path,
			htmlRoute(async (req) => {
				requireUser(req);
				return render(reader(req), req);
			}),
		);

	form('/contracts/:id/review-form', async (r, req) => renderReviewForm(await r.reviewForm(req.params.id)));
	form('/contracts/:id/outbound-slip', async (r, req) => renderOutboundSlip(await r.outboundSlip(req.params.id)));
	form('/discrepancies/:id/form', async (r, req) => renderDiscrepancyForm(await r.discrepancyForm(req.params.id)));
	form('/contracts/:id/order-confirmation', async (r, req) => renderOrderConfirmation(await r.orderConfirmation(req.params.id)));
	form('/contracts/:id/task-notice', async (r, req) => renderTaskNotice(await r.taskNotice(req.params.id)));
	form('/changes/:id/notice', async (r, req) => renderChangeNotice(await r.changeNotice(req.params.id)));
	form('/changes/:id/design-request', async (r, req) => renderDesignChangeRequest(await r.changeNotice(req.params.id)));
	form('/samples/:id/inspection-report', async (r, req) => renderSampleReport(await r.sampleReport(req.params.id)));
	// 《样箱试制委托书》 (Doc 3 4.4.1) and 《供方产品质量反馈表》 (Doc 1 4.8.2, Doc 2 4.7.2).
	form('/samples/:id/request-form', async (r, req) => renderSampleRequest(await r.sampleRequest(req.params.id)));
	form('/property/:id/supplier-feedback', async (r, req) => renderSupplierFeedback(await r.supplierFeedback(req.params.id)));
	form('/property/register', async (r, req) => renderPropertyRegister(await r.propertyRegister(req.query.customer)));

	/** Who takes the pack, for which period: the checks every evidence route shares. */
	const evidenceRequest = async (req: Req, from: unknown, to: unknown, sampleValue: unknown) => {
		requireUser(req);
		const settings = await loadSettings(database);
		const actor = actorFrom(req.accountability, settings);
		assertMayTakeEvidence(actor);
		const period = parsePeriod(from, to, String((settings.calendar as any)?.zone ?? 'Asia/Shanghai'));
		const sample = parseSample(sampleValue);
		const me = await database('directus_users').where('id', req.accountability.user).first('first_name', 'last_name', 'email');
		const actorName = [
			[me?.first_name, me?.last_name].filter(Boolean).join(' ') || me?.email || req.accountability.user,
			actor.isAdmin ? 'admin' : actor.departments.join(','),
		]
			.filter(Boolean)
			.join(', ');
		return { actor, period, sample, actorName };
	};
	const exportDeps = { database, services, getSchema, env, logger };

	// ISO 9001 8.2, 8.5.3, 9.1.2: the auditor's zip for a period (admin, GM, deputy GM, Quality);
	// ?sample=N: at most N records of each kind, at once (issue 14).
	router.get(
		'/evidence-pack',
		route(async (req, res) => {
			setPageHeaders(res);
			const { actor, period, sample, actorName } = await evidenceRequest(req, req.query.from, req.query.to, req.query.sample);
			// Not recorded in cp_audit: a download changes nothing (the removal's export relies on it);
			// a background export is, since its state lives there.
			try {
				await streamEvidencePack(res, { database, reader: reader(req), actor, actorName, period, env, logger, sample });
			} catch (e) {
				// Headers are gone once the zip started: end the response, the client sees a broken zip.
				if (res.headersSent) {
					logger.error(e, '[customer-processes] evidence pack failed');
					res.destroy(e as Error);
					return;
				}
				throw e;
			}
		}),
	);

	// Issue 14: the pack as a background export into the file library, with a notification when done.
	router.post(
		'/evidence-pack/exports',
		route(async (req, res) => {
			const body = req.body ?? {};
			const { actor, period, sample, actorName } = await evidenceRequest(req, body.from, body.to, body.sample);
			const { id } = await startEvidenceExport(exportDeps, { accountability: req.accountability, actor, actorName, period, sample });
			const [view] = await readExports(exportDeps, actor, [id]);
			res.status(202).json({ data: view });
		}),
	);
	router.get(
		'/evidence-pack/exports',
		route(async (req, res) => {
			requireUser(req);
			const actor = actorFrom(req.accountability, await loadSettings(database));
			assertMayTakeEvidence(actor);
			res.json({ data: await myExports(exportDeps, actor) });
		}),
	);
	router.get(
		'/evidence-pack/exports/:id',
		route(async (req, res) => {
			requireUser(req);
			const actor = actorFrom(req.accountability, await loadSettings(database));
			assertMayTakeEvidence(actor);
			const [view] = await readExports(exportDeps, actor, [String(req.params.id)]);
			if (!view) throw new DomainError('CP_INVALID_VALUE', `No evidence export '${String(req.params.id)}' of yours`, { field: 'id', status: 404 });
			res.json({ data: view });
		}),
	);
}
