// Reads what a printable form shows, always through Directus ItemsService with the caller's
// accountability: a user without read permission gets Directus's 403, and the property rules
// (personal data hidden from departments that may not see it, read audit) apply. Thin: the
// layout is in src/domain/forms.
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import type { AuditRow } from '../domain/forms/layout';
import type {
	ChangeNoticeInput,
	DiscrepancyFormInput,
	OrderConfirmationInput,
	OutboundSlipInput,
	ReviewFormInput,
	SampleReportInput,
	TaskNoticeInput,
} from '../domain/forms/contract-forms';
import type { RegisterInput } from '../domain/forms/property-register';
import { FORM_TRAIL_ACTIONS, type FormInput as ComplaintFormInput } from '../domain/complaints/form';
import { loadSettings, type Settings } from './context';
import { validKey } from './property';

import type { SampleRequestInput, SupplierFeedbackInput } from '../domain/forms/sample-supplier-forms';

type Row = Record<string, any>;

export interface FormsDeps {
	database: Knex;
	services: any;
	getSchema: () => Promise<any>;
}

const USER = (f: string) => [`${f}.first_name`, `${f}.last_name`, `${f}.email`];
const CONTRACT_FIELDS = [
	'*',
	'customer.code',
	'customer.name',
	'customer.contact_person',
	'customer.phone',
	...USER('sales_owner'),
	...USER('signed_by'),
	...USER('conclusion_signed_by'),
];

export function formReader(deps: FormsDeps, accountability: any) {
	let schema: any = null;
	const items = async (collection: string) => {
		schema ??= await deps.getSchema();
		return new deps.services.ItemsService(collection, { schema, accountability, knex: deps.database });
	};
	const one = async (collection: string, id: unknown, fields: string[]): Promise<Row> => {
		schema ??= await deps.getSchema();
		if (!validKey(schema, collection, id)) throw new DomainError('CP_INVALID_VALUE', `'${String(id)}' is not a ${collection} id`, { field: 'id', status: 404 });
		return (await items(collection)).readOne(id, { fields });
	};
	const many = async (collection: string, filter: Row, fields: string[], sort: string[]): Promise<Row[]> =>
		(await items(collection)).readByQuery({ filter, fields, sort, limit: -1 });
	// The fields of each form's records: the single reads and the evidence pack's batched reads alike.
	const REVIEW_LINE_FIELDS = ['*', ...USER('signed_by')];
	const REVIEW_LINE_SORT = ['round', 'date_created', 'department'];
	const DISCREPANCY_FIELDS = [
		'*',
		...USER('user_created'),
		...USER('resolved_by'),
		...USER('closed_by'),
		'evidence.id',
		'evidence.title',
		'evidence.filename_download',
	];
	const CHANGE_FIELDS = [
		'*',
		...USER('user_created'),
		...USER('approved_by'),
		...USER('head_signed_by'),
		'consent_file.id',
		'consent_file.title',
		'consent_file.filename_download',
		'confirmation_file.id',
		'confirmation_file.title',
		'confirmation_file.filename_download',
	];
	const TRAIL_FIELDS = ['id', 'at', 'action', 'department', 'as_admin', 'from_status', 'to_status', 'data', ...USER('user')];
	const auditRow = (r: Row): AuditRow => ({ ...r, first_name: r.user?.first_name ?? null, last_name: r.user?.last_name ?? null, email: r.user?.email ?? null });
	/** The record's audit trail, oldest first, with the user's name. */
	const trail = async (collection: string, id: unknown): Promise<AuditRow[]> => {
		const rows = await many('cp_audit', { _and: [{ collection: { _eq: collection } }, { item: { _eq: String(id) } }] }, TRAIL_FIELDS, ['id']);
		return rows.map(auditRow);
	};
	// Once per reader (one request, or one evidence pack): a pack reads thousands of forms.
	let ctx: Promise<{ settings: Settings; company: string; zone: string }> | null = null;
	const context = () =>
		(ctx ??= loadSettings(deps.database)
			.then((settings) => ({
				settings,
				company: settings.company_name ?? '',
				zone: String((settings.calendar as any)?.zone ?? 'Asia/Shanghai'),
			}))
			.catch((e: unknown) => {
				ctx = null;
				throw e;
			}));
	const contract = (id: unknown) => one('cp_contracts', id, CONTRACT_FIELDS);
	const lines = (id: unknown) => many('cp_contract_lines', { contract: { _eq: id } }, ['*'], ['line_no', 'id']);

	// ---- Batched reads for the evidence pack (issue 14): the forms of many records in one
	// ItemsService read per collection instead of one per record and collection (same fields,
	// same permissions, each record's rows in the same order). A record the batch cannot
	// complete (not readable, a related record not readable) is read alone, so it fails exactly
	// as the single read does.
	const key = (v: unknown) => String(v);
	const uniq = (vs: unknown[]) => [...new Map(vs.filter((v) => v !== null && v !== undefined).map((v) => [key(v), v])).values()];
	/** Rows of `collection` by primary key; `fields` get the key added (and removed again) when missing. */
	const byId = async (collection: string, ids: unknown[], fields: string[]): Promise<Map<string, Row>> => {
		const out = new Map<string, Row>();
		const list = uniq(ids);
		if (!list.length) return out;
		schema ??= await deps.getSchema();
		const pk = schema?.collections?.[collection]?.primary ?? 'id';
		const add = !fields.includes('*') && !fields.includes(pk);
		const rows = await many(collection, { [pk]: { _in: list } }, add ? [...fields, pk] : fields, [pk]);
		for (const r of rows) {
			const k = key(r[pk]);
			if (add) delete r[pk];
			out.set(k, r);
		}
		return out;
	};
	/** Rows of `collection` whose `field` is one of `values`, grouped by it, each group in `sort` order. */
	const grouped = async (
		collection: string,
		field: string,
		values: unknown[],
		fields: string[],
		sort: string[],
		extra: Row[] = [],
	): Promise<Map<string, Row[]>> => {
		const out = new Map<string, Row[]>();
		const list = uniq(values);
		if (!list.length) return out;
		const add = !fields.includes('*') && !fields.includes(field);
		const rows = await many(collection, { _and: [{ [field]: { _in: list } }, ...extra] }, add ? [...fields, field] : fields, sort);
		for (const r of rows) {
			const k = key(r[field]);
			if (add) delete r[field];
			const g = out.get(k);
			if (g) g.push(r);
			else out.set(k, [r]);
		}
		return out;
	};
	const trails = async (collection: string, ids: unknown[]): Promise<Map<string, AuditRow[]>> => {
		const g = await grouped('cp_audit', 'item', ids.map(String), TRAIL_FIELDS, ['id'], [{ collection: { _eq: collection } }]);
		return new Map([...g].map(([k, rows]) => [k, rows.map(auditRow)]));
	};
	/** The batch's result per id, or the single read's (its result or its error) where the batch could not complete one. */
	const each = async <T>(ids: unknown[], batch: () => Promise<Map<string, T>>, single: (id: unknown) => Promise<T>): Promise<Array<T | Error>> => {
		let got: Map<string, T>;
		try {
			got = await batch();
		} catch {
			got = new Map();
		}
		const out: Array<T | Error> = [];
		for (const id of ids) {
			const v = got.get(key(id));
			if (v !== undefined) out.push(v);
			else out.push(await single(id).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
		}
		return out;
	};
	/** Contracts by id with their lines (the contract forms' common part). */
	const contractsWithLines = async (ids: unknown[]) => {
		const contracts = await byId('cp_contracts', ids, CONTRACT_FIELDS);
		const ls = await grouped(
			'cp_contract_lines',
			'contract',
			[...contracts.values()].map((c) => c.id),
			['*'],
			['line_no', 'id'],
		);
		return { contracts, lines: (c: Row) => ls.get(key(c.id)) ?? [] };
	};

	return {
		context,

		/** reviewForm of every id, in a few reads (the evidence pack); an unreadable one as its Error. */
		async reviewForms(ids: unknown[]): Promise<Array<ReviewFormInput | Error>> {
			return each(
				ids,
				async () => {
					const { company, zone } = await context();
					const { contracts, lines: linesOf } = await contractsWithLines(ids);
					const cids = [...contracts.values()].map((c) => c.id);
					const reviewLines = await grouped('cp_review_lines', 'contract', cids, REVIEW_LINE_FIELDS, REVIEW_LINE_SORT);
					const discrepancies = await grouped('cp_discrepancies', 'contract', cids, ['*'], ['date_created']);
					const trail = await trails('cp_contracts', cids);
					const out = new Map<string, ReviewFormInput>();
					for (const [k, c] of contracts) {
						const at = key(c.id);
						out.set(k, {
							company,
							zone,
							contract: c,
							lines: linesOf(c),
							reviewLines: reviewLines.get(at) ?? [],
							discrepancies: discrepancies.get(at) ?? [],
							trail: trail.get(at) ?? [],
						});
					}
					return out;
				},
				(id) => this.reviewForm(id),
			);
		},

		async reviewForm(id: unknown): Promise<ReviewFormInput> {
			const c = await contract(id);
			const { company, zone } = await context();
			return {
				company,
				zone,
				contract: c,
				lines: await lines(c.id),
				reviewLines: await many('cp_review_lines', { contract: { _eq: c.id } }, REVIEW_LINE_FIELDS, REVIEW_LINE_SORT),
				discrepancies: await many('cp_discrepancies', { contract: { _eq: c.id } }, ['*'], ['date_created']),
				trail: await trail('cp_contracts', c.id),
			};
		},

		async outboundSlip(id: unknown): Promise<OutboundSlipInput> {
			const c = await contract(id);
			const { company, zone } = await context();
			return {
				company,
				zone,
				contract: c,
				lines: await lines(c.id),
				reviewLines: await many('cp_review_lines', { contract: { _eq: c.id } }, REVIEW_LINE_FIELDS, REVIEW_LINE_SORT),
			};
		},

		/** discrepancyForm of every id, in a few reads (the evidence pack). */
		async discrepancyForms(ids: unknown[]): Promise<Array<DiscrepancyFormInput | Error>> {
			return each(
				ids,
				async () => {
					const { company, zone } = await context();
					const ds = await byId('cp_discrepancies', ids, DISCREPANCY_FIELDS);
					const contracts = await byId(
						'cp_contracts',
						[...ds.values()].map((d) => d.contract),
						CONTRACT_FIELDS,
					);
					const trail = await trails(
						'cp_discrepancies',
						[...ds.values()].map((d) => d.id),
					);
					const out = new Map<string, DiscrepancyFormInput>();
					for (const [k, d] of ds) {
						const c = contracts.get(key(d.contract));
						if (c) out.set(k, { company, zone, discrepancy: d, contract: c, trail: trail.get(key(d.id)) ?? [] });
					}
					return out;
				},
				(id) => this.discrepancyForm(id),
			);
		},

		async discrepancyForm(id: unknown): Promise<DiscrepancyFormInput> {
			const d = await one('cp_discrepancies', id, DISCREPANCY_FIELDS);
			const { company, zone } = await context();
			return { company, zone, discrepancy: d, contract: await contract(d.contract), trail: await trail('cp_discrepancies', d.id) };
		},

		async orderConfirmation(id: unknown): Promise<OrderConfirmationInput> {
			const c = await contract(id);
			const { company, zone } = await context();
			return { company, zone, contract: c, lines: await lines(c.id), trail: await trail('cp_contracts', c.id) };
		},

		async taskNotice(id: unknown): Promise<TaskNoticeInput> {
			const c = await contract(id);
			const { company, zone } = await context();
			const notices = await many('cp_task_notices', { contract: { _eq: c.id } }, ['*', ...USER('acknowledged_by')], ['department']);
			return { company, zone, contract: c, lines: await lines(c.id), notices };
		},

		/** changeNotice of every id, in a few reads (the evidence pack). */
		async changeNotices(ids: unknown[]): Promise<Array<ChangeNoticeInput | Error>> {
			return each(
				ids,
				async () => {
					const { company, zone } = await context();
					const chs = await byId('cp_changes', ids, CHANGE_FIELDS);
					const { contracts, lines: linesOf } = await contractsWithLines([...chs.values()].map((ch) => ch.contract));
					const trail = await trails(
						'cp_changes',
						[...chs.values()].map((ch) => ch.id),
					);
					const out = new Map<string, ChangeNoticeInput>();
					for (const [k, ch] of chs) {
						const c = contracts.get(key(ch.contract));
						if (c) out.set(k, { company, zone, change: ch, contract: c, lines: linesOf(c), trail: trail.get(key(ch.id)) ?? [] });
					}
					return out;
				},
				(id) => this.changeNotice(id),
			);
		},

		async changeNotice(id: unknown): Promise<ChangeNoticeInput> {
			const ch = await one('cp_changes', id, CHANGE_FIELDS);
			const { company, zone } = await context();
			const c = await contract(ch.contract);
			return { company, zone, change: ch, contract: c, lines: await lines(c.id), trail: await trail('cp_changes', ch.id) };
		},

		async sampleReport(id: unknown): Promise<SampleReportInput> {
			const s = await one('cp_samples', id, [
				'*',
				'customer.code',
				'customer.name',
				'contract.code',
				'contract.title',
				...USER('approved_by'),
				...USER('user_created'),
			]);
			const { company, zone } = await context();
			return { company, zone, sample: s, trail: await trail('cp_samples', s.id) };
		},

		/** Doc 3 4.4.1 《样箱试制委托书》: the sample record, who requested it, its trail. */
		async sampleRequest(id: unknown): Promise<SampleRequestInput> {
			const s = await one('cp_samples', id, ['*', 'customer.code', 'customer.name', 'contract.code', 'contract.title', ...USER('user_created')]);
			const { company, zone } = await context();
			return { company, zone, sample: s, trail: await trail('cp_samples', s.id) };
		},

		/** Doc 1 4.8.2, Doc 2 4.7.2 《供方产品质量反馈表》: the property line and its inspection, problem and disposition events. */
		async supplierFeedback(id: unknown): Promise<SupplierFeedbackInput> {
			const item = await one('cp_property', id, ['*', 'customer.code', 'customer.name', 'contract.code', 'contract.title']);
			const { company, zone } = await context();
			const events = await many(
				'cp_property_events',
				{ _and: [{ property: { _eq: item.id } }, { type: { _in: ['inspection', 'problem', 'disposition'] } }] },
				['id', 'type', 'result', 'occurred_at', 'note', 'quantity', 'details', 'customer_message', 'date_created', ...USER('user_created')],
				['date_created', 'id'],
			);
			return { company, zone, item, events };
		},

		async propertyRegister(customerId: unknown): Promise<RegisterInput> {
			const { company, zone } = await context();
			let customer: Row | null = null;
			if (customerId !== undefined && customerId !== null && customerId !== '') {
				customer = await one('cp_customers', customerId, ['id', 'code', 'name']);
			}
			const items = await many(
				'cp_property',
				customer ? { customer: { _eq: customer.id } } : {},
				[
					'id',
					'code',
					'name',
					'kind',
					'quantity',
					'unit',
					'status',
					'location',
					'location_segregated',
					'last_check_at',
					'next_check_due',
					'customer.code',
					'customer.name',
					'contract.code',
				],
				['code'],
			);
			return { company, zone, customer, items, printedAt: new Date() };
		},

		/** complaintForm of every id, in a few reads (the evidence pack). */
		async complaintForms(ids: unknown[]): Promise<Array<ComplaintFormInput | Error>> {
			return each(
				ids,
				async () => {
					const { company, zone, settings } = await context();
					const cs = await byId('cp_complaints', ids, ['*']);
					const list = [...cs.values()];
					const customers = await byId('cp_customers', list.map((c) => c.customer).filter(Boolean), ['code', 'name', 'contact_person', 'phone']);
					const contracts = await byId('cp_contracts', list.map((c) => c.contract).filter(Boolean), ['code', 'title']);
					const actions = await grouped(
						'cp_actions',
						'source_id',
						list.map((c) => String(c.id)),
						['title', 'status', 'due_at', 'done_at', 'department', ...USER('owner')],
						['due_at'],
						[{ source_collection: { _eq: 'cp_complaints' } }],
					);
					const trail = await trails(
						'cp_complaints',
						list.map((c) => c.id),
					);
					const departments = Object.keys(settings.departments ?? {});
					const out = new Map<string, ComplaintFormInput>();
					for (const [k, c] of cs) {
						const customer = c.customer ? customers.get(key(c.customer)) : null;
						const contractRow = c.contract ? contracts.get(key(c.contract)) : null;
						// Not readable: the single read below throws as GET /cp/complaints/:id/form does.
						if (customer === undefined || contractRow === undefined) continue;
						out.set(k, {
							company,
							complaint: c,
							customer: customer as any,
							contract: contractRow as any,
							actions: (actions.get(key(c.id)) ?? []).map((a) => ({
								...a,
								first_name: a.owner?.first_name,
								last_name: a.owner?.last_name,
								email: a.owner?.email,
							})),
							trail: (trail.get(key(c.id)) ?? []).filter((t) => FORM_TRAIL_ACTIONS.includes(String(t.action))),
							zone,
							departments,
						});
					}
					return out;
				},
				(id) => this.complaintForm(id),
			);
		},

		/** The same data as GET /cp/complaints/:id/form, for the evidence pack. */
		async complaintForm(id: unknown): Promise<ComplaintFormInput> {
			const c = await one('cp_complaints', id, ['*']);
			const { company, zone, settings } = await context();
			const customer = c.customer ? await one('cp_customers', c.customer, ['code', 'name', 'contact_person', 'phone']) : null;
			const contractRow = c.contract ? await one('cp_contracts', c.contract, ['code', 'title']) : null;
			const actions = (
				await many(
					'cp_actions',
					{ _and: [{ source_collection: { _eq: 'cp_complaints' } }, { source_id: { _eq: String(c.id) } }] },
					['title', 'status', 'due_at', 'done_at', 'department', ...USER('owner')],
					['due_at'],
				)
			).map((a) => ({ ...a, first_name: a.owner?.first_name, last_name: a.owner?.last_name, email: a.owner?.email }));
			return {
				company,
				complaint: c,
				customer: customer as any,
				contract: contractRow as any,
				actions,
				trail: (await trail('cp_complaints', c.id)).filter((t) => FORM_TRAIL_ACTIONS.includes(String(t.action))),
				zone,
				departments: Object.keys(settings.departments ?? {}),
			};
		},
	};
}

export type FormReader = ReturnType<typeof formReader>;
