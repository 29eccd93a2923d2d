// Hostile input (X-2, CR-17, CP-5, CC-4): fast-check generates a few thousand malformed and
// hostile requests (wrong types, missing fields, huge strings, illegal transitions, other
// departments' records, forged public tokens, SQL and script injection) against every write
// path (POST/PATCH on each cp_ collection, the /cp commands) as every department. Asserted for
// each request: never a 5xx; a refused request changes nothing; an accepted state change follows
// the collection's transition table and is on the audit trail.
import fc from 'fast-check';
import {
	buildClientSchema,
	getIntrospectionQuery,
	getVariableValues,
	GraphQLScalarType,
	GraphQLString,
	parse,
	type GraphQLSchema,
	type OperationDefinitionNode,
} from 'graphql';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, database, eventually, http, ok, uid, type HttpResult } from '../harness/client';
import { reviewAll } from '../harness/fixtures';
import { DEPARTMENTS } from '../../seeds/departments.mjs';
import { CONTRACT_TRANSITIONS } from '../../extensions/customer-processes/src/domain/contract-review/contract-status';
import { DISCREPANCY_TRANSITIONS } from '../../extensions/customer-processes/src/domain/contract-review/review';
import { COMPLAINT_TRANSITIONS } from '../../extensions/customer-processes/src/domain/complaints/complaint-status';
import { ACTION_TRANSITIONS } from '../../extensions/customer-processes/src/domain/complaints/lifecycle';
import { PROPERTY_TRANSITIONS } from '../../extensions/customer-processes/src/domain/property/property-status';
import { STATE_FIELD } from '../../extensions/customer-processes/src/domain/records';

const SCALE = Boolean(process.env.CP_SCALE);
const H = 3600e3;
const iso = (ms: number) => new Date(ms).toISOString();
const SEED = Number(process.env.CP_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Requests per group; four groups, a few thousand in all. */
const RUNS = Number(process.env.CP_FUZZ_RUNS ?? 800);

/** The transition table of each collection's state field (the rules the API must keep). */
const TABLES: Record<string, Record<string, Record<string, string>>> = {
	cp_contracts: CONTRACT_TRANSITIONS,
	cp_complaints: COMPLAINT_TRANSITIONS,
	cp_property: PROPERTY_TRANSITIONS,
	cp_discrepancies: DISCREPANCY_TRANSITIONS,
	// 'overdue' is the scheduler's; people move open/overdue -> done -> verified (or back to open).
	cp_actions: ACTION_TRANSITIONS as any,
	cp_review_lines: { pending: { approved: 'sign', rejected: 'sign' }, approved: {}, rejected: {} },
	cp_communications: { due: { answered: 'answer' }, answered: {} },
	// CR-14: both routes of contract-review/changes.ts#CHANGE_TRANSITIONS (the customer's: approved, confirmed, done; design: approved, done).
	cp_changes: {
		requested: { approved: 'approve', rejected: 'reject' },
		approved: { confirmed: 'confirm', done: 'done', rejected: 'reject' },
		confirmed: { done: 'done' },
		done: {},
		rejected: {},
	},
};
/** The status a new record must start in, whatever the request said. */
const START: Record<string, string[]> = {
	cp_contracts: ['draft'],
	cp_complaints: ['received'],
	cp_property: ['expected'],
	cp_discrepancies: ['open'],
	cp_actions: ['open'],
	cp_communications: ['due', 'answered'],
	cp_changes: ['requested'],
};

const snapshot = JSON.parse(readFileSync(new URL('../../snapshots/customer-processes.json', import.meta.url), 'utf8'));
const FIELDS: Record<string, string[]> = {};
for (const f of snapshot.fields) (FIELDS[f.collection] ??= []).push(f.field);
const COLLECTIONS = Object.keys(FIELDS).sort();
const STATUSES = [...new Set(Object.values(TABLES).flatMap((t) => [...Object.keys(t), ...Object.values(t).flatMap((r) => Object.keys(r))]))];

const ids: Record<string, string[]> = {};
const tokens: { verify: { token: string; complaint: string }[]; survey: { token: string; communication: string }[] } = { verify: [], survey: [] };
const problems: string[] = [];
let requests = 0;
let accepted = 0;
let transitions = 0;

const ROLES = [...DEPARTMENTS.map((d) => d.key), null];

function hostileValue(): fc.Arbitrary<unknown> {
	const known = () => fc.constantFrom(...Object.values(ids).flat());
	return fc.oneof(
		fc.constantFrom(
			"' OR '1'='1",
			"'; DROP TABLE cp_contracts; --",
			'Robert"); DELETE FROM cp_audit; --',
			'<script>alert(1)</script>',
			'<img src=x onerror=alert(1)>',
			'{{7*7}}',
			'${jndi:ldap://x/a}',
			'../../../../etc/passwd',
			'%00',
			'\u202e\u0000',
			'NaN',
			'-1',
			'1e309',
			'',
			'   ',
			'null',
			'true',
			'[]',
			'{}',
			'2026-13-45',
			'9999-12-31T23:59:59Z',
			'0000-00-00',
			'yesterday',
			'0x7fffffff',
			'$where',
			'__proto__',
			'顾客投诉 塌箱'.repeat(50),
		),
		fc.string({ maxLength: 40 }),
		fc.constant('x'.repeat(70_000)),
		fc.integer(),
		fc.constantFrom(-1, 0, 1, 2 ** 53, -(2 ** 53), 1e308, -1e-308, 0.5),
		fc.double({ noNaN: true, noDefaultInfinity: true }),
		fc.boolean(),
		fc.constant(null),
		fc.constantFrom(...STATUSES),
		fc.constantFrom(...DEPARTMENTS.map((d) => d.key), 'customer', 'system', 'admin'),
		known(),
		fc.uuid(),
		fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
		known().map((id) => ({ id })),
		fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), known()), { maxLength: 4 }),
		fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean()), { maxKeys: 4 }),
		fc.constant({ _eq: 1 }),
	);
}

/** Plausible requests too, so that some transitions are accepted and their trail is checked. */
const PLAUSIBLE: Record<string, unknown>[] = [
	{ opinion: 'OK 可以满足', decision: 'approved' },
	{ decision: 'rejected', opinion: '交期无法满足' },
	{ resolution: '顾客书面确认', customer_contact: '传真 2026-01-05' },
	{ root_cause_category: 'process', root_cause: '温度', responsible_department: 'production' },
	{ response_content: '已整改', product_disposition: 'none' },
	{ no_verification_reason: '顾客已停业' },
	{ verification: 'confirmed' },
	{ score: 88 },
	{},
];
const statusOf = (collection: string) => {
	const table = TABLES[collection];
	const field = STATE_FIELD[collection];
	if (!table || !field) return fc.constant({});
	const values = [...new Set([...Object.keys(table), ...Object.values(table).flatMap((r) => Object.keys(r))])];
	return fc.tuple(fc.constantFrom(...values), fc.constantFrom(...PLAUSIBLE)).map(([v, extra]) => ({ ...extra, [field]: v }));
};

const payload = (collection: string) => fc.oneof({ weight: 3, arbitrary: hostilePayload(collection) }, { weight: 2, arbitrary: statusOf(collection) });

const hostilePayload = (collection: string) =>
	fc.dictionary(
		fc.constantFrom(...FIELDS[collection]!, 'id', 'status', '__proto__', 'constructor', 'unknown_field', 'user_created', 'date_created'),
		hostileValue(),
		{ maxKeys: 6 },
	);

const anyId = (collection: string) =>
	fc.oneof(
		{ weight: 6, arbitrary: fc.constantFrom(...(ids[collection]?.length ? ids[collection]! : ['none'])) },
		{ weight: 1, arbitrary: fc.constantFrom(...Object.values(ids).flat()) },
		{ weight: 1, arbitrary: fc.oneof(fc.uuid(), fc.constantFrom("1' OR '1'='1", '..%2F..%2Fserver', '-1', '0', 'null', 'x'.repeat(300))) },
	);

interface Command {
	who: string | null;
	method: string;
	path: string;
	body?: unknown;
	target?: { collection: string; id: string };
	/** A batch write touches several records: each is checked like a single target. */
	targets?: { collection: string; id: string }[];
	/** A read as a department that may not see personal data: the secret must not come back. */
	secret?: string;
}

const enc = encodeURIComponent;

const itemsPost = fc
	.record({ who: fc.constantFrom(...ROLES), collection: fc.constantFrom(...COLLECTIONS) })
	.chain(({ who, collection }) => payload(collection).map((body): Command => ({ who, method: 'POST', path: `/items/${collection}`, body })));

const itemsPatch = fc
	.record({ who: fc.constantFrom(...ROLES), collection: fc.constantFrom(...COLLECTIONS.filter((c) => c !== 'cp_settings')) })
	.chain(({ who, collection }) =>
		fc.tuple(anyId(collection), payload(collection), fc.integer({ min: 0, max: 9 })).map(([id, body, mode]): Command => {
			// Now and then a batch update by keys, otherwise one record.
			if (mode === 0) return { who, method: 'PATCH', path: `/items/${collection}`, body: { keys: [id], data: body }, target: { collection, id } };
			return { who, method: 'PATCH', path: `/items/${collection}/${enc(id)}`, body, target: { collection, id } };
		}),
	);

/** Batch writes: several records with one payload, by keys, by query, as a list of items. */
const itemsBatch = fc
	.record({ who: fc.constantFrom(...ROLES), collection: fc.constantFrom(...COLLECTIONS.filter((c) => c !== 'cp_settings')) })
	.chain(({ who, collection }) =>
		fc.tuple(anyId(collection), anyId(collection), payload(collection), fc.constantFrom('keys', 'query', 'items')).map(([a, b, body, mode]): Command => {
			const targets = [...new Set([a, b])].map((id) => ({ collection, id }));
			const keys = targets.map((t) => t.id);
			if (mode === 'keys') return { who, method: 'PATCH', path: `/items/${collection}`, body: { keys, data: body }, targets };
			if (mode === 'query')
				return { who, method: 'PATCH', path: `/items/${collection}`, body: { query: { filter: { id: { _in: keys } } }, data: body }, targets };
			return { who, method: 'PATCH', path: `/items/${collection}`, body: keys.map((id) => ({ ...(body as object), id })), targets };
		}),
	);

/** GraphQL mutations: the same rules through /graphql, one item and several. */
const graphqlMutations = fc
	.record({ who: fc.constantFrom(...ROLES), collection: fc.constantFrom(...COLLECTIONS.filter((c) => c !== 'cp_settings')) })
	.chain(({ who, collection }) =>
		fc.tuple(anyId(collection), anyId(collection), payload(collection), fc.constantFrom('one', 'many', 'create')).map(([a, b, data, mode]): Command => {
			if (mode === 'create')
				return {
					who,
					method: 'POST',
					path: '/graphql',
					body: { query: `mutation ($d: create_${collection}_input!) { create_${collection}_item(data: $d) { id } }`, variables: { d: data } },
				};
			if (mode === 'one')
				return {
					who,
					method: 'POST',
					path: '/graphql',
					body: {
						query: `mutation ($id: ID!, $d: update_${collection}_input!) { update_${collection}_item(id: $id, data: $d) { id } }`,
						variables: { id: a, d: data },
					},
					targets: [{ collection, id: a }],
				};
			const targets = [...new Set([a, b])].map((id) => ({ collection, id }));
			return {
				who,
				method: 'POST',
				path: '/graphql',
				body: {
					query: `mutation ($ids: [ID]!, $d: update_${collection}_input!) { update_${collection}_items(ids: $ids, data: $d) { id } }`,
					variables: { ids: targets.map((t) => t.id), d: data },
				},
				targets,
			};
		}),
	);

/** The name of a personal-data item only Sales and Quality may read (PR-1). */
const SECRET = `机密${process.pid}Zq`;
const BLIND = DEPARTMENTS.map((d) => d.key).filter((k) => !['sales', 'quality'].includes(k));

/** Relational reads (PR-1, X-5): filters, $FOLLOW, deep fields, sort, aggregates and search that reach the register. */
const relationalReads = fc.constantFrom(...BLIND).chain((who) =>
	fc
		.tuple(
			fc.constantFrom(
				'/items/cp_customers?filter[$FOLLOW(cp_property,customer)][name][_starts_with]=',
				'/items/cp_customers?filter[$FOLLOW(cp_property,customer)][name][_contains]=',
				'/items/cp_property_events?fields=id,property.name&filter[property][name][_starts_with]=',
				'/items/cp_property?fields=id,name&search=',
				'/items/cp_property?aggregate[count]=id&groupBy[]=name&filter[name][_contains]=',
				'/items/cp_property_events?fields=*,property.*&sort=property.name&filter[property][name][_nnull]=true&x=',
				'/items/cp_customers?fields=id,name&deep[property][_filter][name][_contains]=',
				'/graphql?query=',
			),
			fc.integer({ min: 1, max: SECRET.length }),
		)
		.map(([path, n]): Command => {
			const probe = SECRET.slice(0, n);
			if (path === '/graphql?query=')
				return {
					who,
					method: 'POST',
					path: '/graphql',
					body: { query: `{ cp_property(search: ${JSON.stringify(probe)}) { id name } cp_property_events { property { name } } }` },
					secret: SECRET,
				};
			return { who, method: 'GET', path: `${path}${enc(probe)}`, secret: SECRET };
		}),
);

const EVENT_TYPES = ['receipt', 'inspection', 'check', 'movement', 'use', 'problem', 'disposition', 'return', 'teleport'];
const cpCommands = fc.constantFrom(...ROLES).chain((who) =>
	fc.oneof(
		fc.tuple(fc.constantFrom('pause', 'resume', 'verification-link'), anyId('cp_complaints'), payload('cp_complaints')).map(([cmd, id, body]): Command => ({
			who,
			method: 'POST',
			path: `/cp/complaints/${enc(id)}/${cmd}`,
			body,
			target: { collection: 'cp_complaints', id },
		})),
		fc.tuple(anyId('cp_communications'), payload('cp_communications')).map(([id, body]): Command => ({
			who,
			method: 'POST',
			path: `/cp/communications/${enc(id)}/survey-link`,
			body,
			target: { collection: 'cp_communications', id },
		})),
		fc.tuple(anyId('cp_property'), payload('cp_property_events'), fc.constantFrom(...EVENT_TYPES)).map(([id, body, type]): Command => ({
			who,
			method: 'POST',
			path: `/cp/property/${enc(id)}/events`,
			body: { type, ...body },
			target: { collection: 'cp_property', id },
		})),
		fc.constantFrom('/cp/jobs/complaints-tick', '/cp/jobs/surveys-tick', '/cp/jobs/property-checks').map((path): Command => ({ who, method: 'POST', path })),
		fc
			.tuple(fc.constantFrom('form', 'label', 'problem-report'), anyId('cp_complaints'))
			.map(([what, id]): Command => ({ who, method: 'GET', path: what === 'form' ? `/cp/complaints/${enc(id)}/form` : `/cp/property/${enc(id)}/${what}` })),
		fc
			.oneof(fc.constant('not-a-date'), fc.constant('2026-02-30'), fc.constant("2026' OR 1=1"))
			.map((d): Command => ({ who, method: 'GET', path: `/cp/complaints/stats?from=${enc(d)}` })),
		fc
			.oneof(fc.constant('2026-Q9'), fc.constant("'; --"), fc.constant('2026-Q1'))
			.map((p): Command => ({ who, method: 'GET', path: `/cp/surveys/summary?period=${enc(p)}` })),
	),
);

/** Forged, malformed, real and reused public tokens, anonymous or not, with hostile answers. */
const publicLinks = () =>
	fc
		.tuple(
			fc.constantFrom('verify', 'survey'),
			fc.oneof(
				fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
				fc.string({ maxLength: 60 }),
				fc.constantFrom("' OR 1=1 --", '<script>', 'x'.repeat(5000), '..%2f..%2f'),
				fc.constant('REAL'),
			),
			fc.constantFrom('GET', 'POST'),
			fc.dictionary(
				fc.constantFrom('decision', 'note', 'score', 'answers', 'status', 'id'),
				fc.oneof(hostileValue(), fc.constantFrom('confirmed', 'rejected', 50, 101, -1)),
				{ maxKeys: 4 },
			),
			fc.constantFrom(null, null, null, ...DEPARTMENTS.map((d) => d.key)),
			fc.nat(),
		)
		.map(([kind, tok, method, body, who, pick]): Command => {
			let token = tok;
			let target: Command['target'];
			if (tok === 'REAL') {
				if (kind === 'verify' && tokens.verify.length) {
					const t = tokens.verify[pick % tokens.verify.length]!;
					token = t.token;
					target = { collection: 'cp_complaints', id: t.complaint };
				} else if (kind === 'survey' && tokens.survey.length) {
					const t = tokens.survey[pick % tokens.survey.length]!;
					token = t.token;
					target = { collection: 'cp_communications', id: t.communication };
				}
			}
			return { who, method, path: `/cp/public/${kind}/${enc(token)}`, body: method === 'POST' ? body : undefined, target };
		});

const rowOf = async (collection: string, id: string) => {
	if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
	return (await database()(collection).where('id', id).first()) ?? null;
};
const lastAuditId = async () => Number((await database()('cp_audit').max({ m: 'id' }).first())?.m ?? 0);

/** The trail may be written by an action hook after the response: wait for it (2 s at most). */
async function auditHas(collection: string, item: string, from: string | null, to: string, since: number) {
	const found = await eventually(
		async () => {
			const q = database()('cp_audit')
				.where({ collection, item: String(item), to_status: to })
				.where('id', '>', since);
			if (from !== null) q.where('from_status', from);
			return Boolean(await q.first('id'));
		},
		{ timeoutMs: 2_000 },
	);
	return found;
}

/** Sends one command and checks every rule the fuzzer can see; problems are collected, not thrown. */
async function run(cmd: Command) {
	requests++;
	const label = `${cmd.who ?? 'anonymous'} ${cmd.method} ${cmd.path.slice(0, 120)} ${JSON.stringify(cmd.body ?? null).slice(0, 300)}`;
	const targets = cmd.targets ?? (cmd.target ? [cmd.target] : []);
	const befores = await Promise.all(targets.map((t) => rowOf(t.collection, t.id)));
	const mark = await lastAuditId();
	const raw = await http(cmd.who, cmd.method, cmd.path, cmd.body);
	// GraphQL answers 200 with errors for a refusal.
	const r: HttpResult<any> = { ...raw, status: raw.status < 300 && raw.body?.errors?.length ? 400 : raw.status };
	const internal = r.body?.errors?.some((e: any) => ['INTERNAL_SERVER_ERROR', 'INTERNAL'].includes(e?.extensions?.code));
	// Directus answers GraphQL variables that do not fit the schema with INTERNAL_SERVER_ERROR (its
	// processError knows only its own errors); that is Directus's answer to bad input, not a fault.
	if (internal && raw.status < 500 && cmd.path === '/graphql' && (await variablesInvalid(cmd))) return;
	if (raw.status >= 500 || internal) {
		problems.push(`5xx ${raw.status} ${r.code} ${r.message} <- ${label}`);
		return;
	}
	if (cmd.secret) {
		const text = JSON.stringify(raw.body ?? '');
		if (text.includes(cmd.secret.slice(0, 3)) || (cmd.path.includes('/cp_property?') && /"count"\s*:\s*\{?"?[a-z"]*:?\s*"?[1-9]/.test(text)))
			problems.push(`personal data visible (${raw.status}) <- ${label}: ${text.slice(0, 200)}`);
		return;
	}
	if (r.status < 300) accepted++;
	for (let i = 0; i < targets.length; i++) await checkTarget(cmd, targets[i]!, befores[i], r, mark, label);
	if (!targets.length) await checkTarget(cmd, undefined, null, r, mark, label);
}

const schemas = new Map<string, GraphQLSchema>();

/** True when the request's variables do not coerce to the caller's own GraphQL schema. */
async function variablesInvalid(cmd: Command): Promise<boolean> {
	const who = cmd.who ?? 'anonymous';
	if (!schemas.has(who)) {
		const intro = await http(cmd.who, 'POST', '/graphql', { query: getIntrospectionQuery() });
		const schema = buildClientSchema(intro.body.data);
		// A client schema's custom scalars accept anything; Directus's own parse like these.
		const parsers: Record<string, (v: unknown) => unknown> = {
			Date: (v) => GraphQLString.parseValue(v),
			Hash: (v) => GraphQLString.parseValue(v),
			GraphQLBigInt: (v) => {
				if (typeof v !== 'string') throw new Error('Value must be a String');
				return v;
			},
			GraphQLStringOrFloat: (v) => {
				if (typeof v !== 'string' && typeof v !== 'number') throw new Error('Value must be either a String or a Float');
				return v;
			},
		};
		for (const [name, parseValue] of Object.entries(parsers)) {
			const t = schema.getType(name);
			if (t instanceof GraphQLScalarType) (t as { parseValue: (v: unknown) => unknown }).parseValue = parseValue;
		}
		schemas.set(who, schema);
	}
	const { query, variables } = cmd.body as { query: string; variables: Record<string, unknown> };
	const op = parse(query).definitions[0] as OperationDefinitionNode;
	return Boolean(getVariableValues(schemas.get(who)!, op.variableDefinitions ?? [], variables ?? {}).errors?.length);
}

async function checkTarget(cmd: Command, target: Command['target'], before: any, r: HttpResult<any>, mark: number, label: string) {
	const field = target ? STATE_FIELD[target.collection] : undefined;
	if (target && before) {
		const after = await rowOf(target.collection, target.id);
		if (r.status >= 300 || cmd.method === 'GET') {
			if (JSON.stringify(after) !== JSON.stringify(before))
				problems.push(`refused (${r.status} ${r.code}) but changed ${target.collection} ${target.id} <- ${label}`);
		} else if (field && after && after[field] !== before[field]) {
			transitions++;
			const table = TABLES[target.collection];
			if (table && !(table[before[field]] && Object.hasOwn(table[before[field]]!, after[field]))) {
				problems.push(`illegal ${target.collection} ${before[field]} -> ${after[field]} <- ${label}`);
			}
			if (!(await auditHas(target.collection, target.id, before[field], after[field], mark))) {
				problems.push(`no audit entry for ${target.collection} ${before[field]} -> ${after[field]} <- ${label}`);
			}
		}
	}
	// A created record starts where its process starts, and its creation is on the trail.
	if (cmd.method === 'POST' && cmd.path.startsWith('/items/') && r.status < 300 && r.data?.id) {
		const collection = cmd.path.split('/')[2]!;
		(ids[collection] ??= []).push(String(r.data.id));
		const created = await rowOf(collection, String(r.data.id));
		const f = STATE_FIELD[collection];
		if (f && START[collection] && created && !START[collection]!.includes(created[f]))
			problems.push(`created ${collection} in status ${created[f]} <- ${label}`);
		const audited = await eventually(
			async () =>
				Boolean(
					await database()('cp_audit')
						.where({ collection, item: String(r.data.id) })
						.first('id'),
				),
			{ timeoutMs: 2_000 },
		);
		if (!audited) problems.push(`no audit entry for the creation of ${collection} ${r.data.id} <- ${label}`);
	}
}

async function seed() {
	const add = (c: string, id: string) => (ids[c] ??= []).push(String(id));
	const users = cp().users;
	for (let i = 0; i < 3; i++)
		add('cp_customers', (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: `Fuzz customer ${i}`, is_new: i === 0 })).id);
	const customer = ids.cp_customers![1]!;
	const contract = async (status: 'draft' | 'in_review' | 'reviewed' | 'signed') => {
		const k = await ok('sales', 'POST', '/items/cp_contracts', {
			code: uid('HT'),
			title: 'Fuzz',
			kind: 'contract',
			channel: 'written',
			class: 'regular',
			customer,
		});
		add('cp_contracts', k.id);
		add('cp_contract_lines', (await ok('sales', 'POST', '/items/cp_contract_lines', { contract: k.id, product: 'Box', quantity: 10, line_no: 1 })).id);
		if (status === 'draft') return k.id;
		await ok('sales', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'in_review' });
		const lines = await database()('cp_review_lines').where('contract', k.id).select('id', 'department');
		for (const l of lines) add('cp_review_lines', l.id);
		if (status === 'in_review') {
			add('cp_discrepancies', (await ok('production', 'POST', '/items/cp_discrepancies', { contract: k.id, clause: '交货期', problem: '不明确' })).id);
			return k.id;
		}
		// CR-3/CR-6: lines approved with their checklists, then the sales manager's conclusion.
		await reviewAll(k.id, 'OK');
		if (status === 'signed') {
			// CR-11: the sales VP signs for the company.
			await ok('deputy_gm', 'PATCH', `/items/cp_contracts/${k.id}`, { status: 'signed' });
			for (const t of await database()('cp_task_notices').where('contract', k.id).select('id')) add('cp_task_notices', t.id);
			add(
				'cp_changes',
				(await ok('sales', 'POST', '/items/cp_changes', { contract: k.id, kind: 'price', description: '调价', customer_consent_at: new Date().toISOString() }))
					.id,
			);
		}
		return k.id;
	};
	for (const s of ['draft', 'draft', 'in_review', 'in_review', 'reviewed', 'signed'] as const) await contract(s);

	const complaint = async (to: 'received' | 'investigating' | 'action' | 'responded' | 'verifying') => {
		const k = await ok('sales', 'POST', '/items/cp_complaints', { customer, channel: 'phone', summary: uid('塌箱'), received_at: iso(Date.now() - H) });
		add('cp_complaints', k.id);
		if (to === 'received') return;
		await ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'investigating' });
		if (to === 'investigating') return;
		await ok('quality', 'PATCH', `/items/cp_complaints/${k.id}`, {
			status: 'action',
			root_cause_category: 'process',
			root_cause: '温度',
			responsible_department: 'production',
		});
		const a = await ok('quality', 'POST', '/items/cp_actions', {
			title: uid('措施'),
			source_collection: 'cp_complaints',
			source_id: k.id,
			owner: users.production.id,
			department: 'production',
			due_at: iso(Date.now() + 3 * 24 * H),
		});
		add('cp_actions', a.id);
		if (to === 'action') return;
		await ok('production', 'PATCH', `/items/cp_actions/${a.id}`, { status: 'done' });
		await ok('sales', 'PATCH', `/items/cp_complaints/${k.id}`, { status: 'responded', response_content: '已整改', product_disposition: 'none' });
		if (to === 'responded') return;
		const link = await ok('sales', 'POST', `/cp/complaints/${k.id}/verification-link`, {});
		tokens.verify.push({ token: String(link.url).split('/').pop()!, complaint: k.id });
	};
	for (const s of ['received', 'investigating', 'action', 'action', 'responded', 'verifying', 'verifying'] as const) await complaint(s);

	add('cp_communications', (await ok('sales', 'POST', '/items/cp_communications', { customer, type: 'inquiry', channel: 'phone', summary: '询价' })).id);
	for (const c of ids.cp_customers!) {
		const s = await ok('sales', 'POST', '/items/cp_communications', { customer: c, type: 'survey', period_key: '2025-Q1' });
		add('cp_communications', s.id);
		const link = await ok('sales', 'POST', `/cp/communications/${s.id}/survey-link`, {});
		tokens.survey.push({ token: String(link.url).split('/').pop()!, communication: s.id });
	}
	add('cp_samples', (await ok('sales', 'POST', '/items/cp_samples', { code: uid('YP'), kind: 'sample', customer })).id);

	const property = async (to: 'expected' | 'received' | 'in_store' | 'blocked', kind = 'tooling') => {
		const p = await ok('warehouse', 'POST', '/items/cp_property', {
			code: uid('CP-Z'),
			name: '模切版',
			kind,
			customer,
			serial_no: uid('SN'),
			quantity: 1,
			unit: '套',
			scope: '我方保管',
		});
		add('cp_property', p.id);
		if (to === 'expected') return;
		add('cp_property_events', (await ok('warehouse', 'POST', `/cp/property/${p.id}/events`, { type: 'receipt', quantity: 1, to_location: 'A-01' })).event.id);
		if (to === 'received') return;
		await ok('quality', 'POST', `/cp/property/${p.id}/events`, { type: 'inspection', result: 'accepted' });
		if (to === 'in_store') return;
		await ok('production', 'POST', `/cp/property/${p.id}/events`, { type: 'problem', note: '损坏', details: { problem_type: 'damage' } });
	};
	for (const s of ['expected', 'received', 'in_store', 'in_store', 'blocked'] as const) await property(s);
	// PR-1: personal data, kept by Sales; only Sales and Quality may read it.
	const secret = await ok('sales', 'POST', '/items/cp_property', {
		code: uid('CP-PD'),
		name: `${SECRET} 顾客员工名单`,
		kind: 'personal_data',
		customer,
		quantity: 1,
		unit: '份',
		scope: '我方保管',
	});
	add('cp_property', secret.id);
	ids.cp_settings = [(await database()('cp_settings').first('id')).id];
	ids.cp_audit = [String((await database()('cp_audit').orderBy('id', 'desc').first('id')).id)];
}

describe.skipIf(!SCALE)(`hostile input on every write path (fast-check seed ${SEED})`, () => {
	beforeAll(async () => {
		await seed();
	});

	const group = (name: string, arb: fc.Arbitrary<Command> | (() => fc.Arbitrary<Command>), runs: number, offset: number) =>
		it(`${name}: ${runs} generated requests, never a 5xx, refusals change nothing, accepted state changes are legal and audited`, async () => {
			const before = problems.length;
			// Built after the seed: the arbitraries draw from the records it created.
			for (const cmd of fc.sample(typeof arb === 'function' ? arb() : arb, { numRuns: runs, seed: SEED + offset })) await run(cmd);
			const found = problems.slice(before);
			expect(found, found.slice(0, 20).join('\n')).toEqual([]);
		});

	group('POST /items/cp_* as every department', itemsPost, RUNS, 1);
	group('PATCH /items/cp_*/:id (and batch) as every department', itemsPatch, Math.round(RUNS * 1.5), 2);
	group('/cp commands (clock, links, property events, jobs, forms)', cpCommands, RUNS, 3);
	group('/cp/public verify and survey links: forged, malformed and reused tokens', publicLinks, Math.round(RUNS * 0.6), 4);
	group('batch PATCH /items/cp_* by keys, by query and as a list of items', itemsBatch, Math.round(RUNS * 0.5), 5);
	group('GraphQL mutations on every cp_ collection', graphqlMutations, Math.round(RUNS * 0.5), 6);
	group('relational reads of personal data as departments without access', relationalReads, Math.round(RUNS * 0.25), 7);

	it("X-2 every contract's audited transitions replay the transition table to its current status", async () => {
		const db = database();
		for (const id of ids.cp_contracts ?? []) {
			const row = await db('cp_contracts').where('id', id).first('status', 'code');
			if (!row) continue;
			const trail = await db('cp_audit')
				.where({ collection: 'cp_contracts', item: id })
				.whereNotNull('to_status')
				.whereRaw('?? <> ??', ['from_status', 'to_status'])
				.orderBy('id')
				.select('from_status', 'to_status');
			let status = 'draft';
			for (const t of trail) {
				expect(t.from_status, `${row.code}: trail continues from the last status`).toBe(status);
				expect(Object.keys((CONTRACT_TRANSITIONS as any)[status]), `${row.code}: ${status} -> ${t.to_status}`).toContain(t.to_status);
				status = t.to_status;
			}
			expect(status, row.code).toBe(row.status);
		}
		console.log(`[fuzz] seed ${SEED}: ${requests} requests, ${accepted} accepted, ${transitions} state changes checked`);
		expect(requests).toBeGreaterThan(2000);
	});
});

afterAll(async () => {
	if (SCALE) await database().destroy();
});
