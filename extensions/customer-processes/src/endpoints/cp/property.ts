// /cp routes of the property area (PR-1..PR-8): record an event, print the ownership label and
// the problem report, list and run the periodic checks. Reads go through ItemsService with the
// caller's accountability, so permissions, the personal-data rules and the read audit apply.
import type { Router } from 'express';
import QRCode from 'qrcode';
import type { EndpointContext } from './context';
import { actorFrom, loadSettings } from '../../services/context';
import { htmlRoute, route, requireUser as requireLoggedIn } from './context';
import { checksDue, runPropertyChecks, validKey } from '../../services/property';
import * as clock from '../../services/clock';
import { DomainError } from '../../domain/errors';
import { localDateKey, DEFAULT_ZONE } from '../../domain/schedule/periods';
import { isolationOf, QUARANTINE_WORDS } from '../../domain/property/events';
import { problemEpisode, renderLabel, renderProblemReport, type ReportEvent } from '../../domain/property/forms';

type Req = any;

const requireUser = (req: Req) => requireLoggedIn(req, 'use the customer property register');

const person = (u: any) => (u && typeof u === 'object' ? [u.first_name, u.last_name].filter(Boolean).join(' ') : null);

export function mountProperty(router: Router, ctx: EndpointContext): void {
	const { database, services, getSchema } = ctx;
	const items = async (collection: string, req: Req) =>
		new services.ItemsService(collection, { schema: await getSchema(), accountability: req.accountability ?? null });

	async function readItem(req: Req, fields: string[]) {
		const schema = await getSchema();
		if (!validKey(schema, 'cp_property', req.params.id)) {
			throw new DomainError('CP_INVALID_VALUE', `'${req.params.id}' is not a register line id`, { field: 'id' });
		}
		return (await items('cp_property', req)).readOne(req.params.id, { fields });
	}

	// PR-3..PR-8: one event, validated and applied to the register line in the insert's transaction.
	router.post(
		'/property/:id/events',
		route(async (req, res) => {
			requireUser(req);
			const events = await items('cp_property_events', req);
			const body = req.body && typeof req.body === 'object' ? req.body : {};
			const key = await events.createOne({ ...body, property: req.params.id });
			const event = await events.readOne(key);
			const property = await (await items('cp_property', req)).readOne(req.params.id);
			res.json({ data: { event, property } });
		}),
	);

	// PR-5: the check queue; ?within_days=N looks ahead.
	router.get(
		'/property/checks-due',
		route(async (req, res) => {
			requireUser(req);
			const settings = await loadSettings(database);
			const days = Math.max(0, Math.min(366, Number(req.query.within_days ?? 0) || 0));
			// The server's clock (services/clock.ts), as the job that notifies the same checks uses.
			const until = localDateKey(new Date(clock.now().getTime() + days * 86_400_000), String((settings.calendar as any)?.zone ?? DEFAULT_ZONE));
			res.json({ data: await checksDue(database, actorFrom(req.accountability, settings), until, settings), until });
		}),
	);

	// PR-4: permanent ownership label with the code in words and as a QR code.
	router.get(
		'/property/:id/label',
		htmlRoute(async (req) => {
			requireUser(req);
			const item = await readItem(req, ['id', 'code', 'name', 'kind', 'serial_no', 'location', 'customer.code', 'customer.name', 'contract.code']);
			const settings = await loadSettings(database);
			const qrSvg = await QRCode.toString(String(item.code), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
			return renderLabel({ ...item, company: settings.company_name ?? null, qrSvg });
		}),
	);

	// PR-6, X-1: the problem report Sales sends to the customer (《顾客财产问题报告单》).
	router.get(
		'/property/:id/problem-report',
		htmlRoute(async (req) => {
			requireUser(req);
			const item = await readItem(req, [
				'id',
				'code',
				'name',
				'kind',
				'specification',
				'model',
				'quantity',
				'unit',
				'serial_no',
				'location',
				'status',
				'scope',
				'loss_attributed_to_customer',
				'customer.code',
				'customer.name',
				'customer.contact_person',
				'contract.code',
				'contract.title',
			]);
			const events: any[] = await (
				await items('cp_property_events', req)
			).readByQuery({
				filter: { _and: [{ property: { _eq: item.id } }, { type: { _in: ['problem', 'check', 'disposition'] } }] },
				fields: [
					'id',
					'type',
					'result',
					'occurred_at',
					'note',
					'quantity',
					'to_location',
					'details',
					'customer_message',
					'evidence.id',
					'evidence.title',
					'evidence.filename_download',
					'date_created',
					'user_created.first_name',
					'user_created.last_name',
				],
				sort: ['date_created', 'occurred_at'],
				limit: -1,
			});
			const found = problemEpisode(events);
			if (!found) {
				throw new DomainError(
					'CP_NO_OPEN_PROBLEM',
					`${item.code}：尚未报告任何问题，没有可打印的问题报告单 / no problem has been reported for ${item.code}, so there is no problem report to print`,
					{ field: 'problem' },
				);
			}
			const { problems: episode, disposition } = found;
			const settings = await loadSettings(database);
			const asReport = (e: any): ReportEvent => ({ ...e, reported_by: person(e.user_created) });
			return renderProblemReport({
				company: settings.company_name ?? null,
				item,
				customer: item.customer,
				contract: item.contract,
				problems: episode.map(asReport),
				disposition: disposition ? asReport(disposition) : null,
				isolation: disposition ? null : isolationOf(item, episode as any, QUARANTINE_WORDS),
				printedAt: clock.now().toISOString(),
			});
		}),
	);

	// PR-5: the scheduled job, callable by admins (tests, catching up after downtime).
	router.post(
		'/jobs/property-checks',
		route(async (req, res) => {
			if (!req.accountability?.admin) throw new DomainError('CP_SYSTEM_ONLY', 'Only administrators run the property check job by hand', { status: 403 });
			res.json({ data: await runPropertyChecks(database) });
		}),
	);
}
