// Confidential customer property on every read path (PR-1, X-5). Thin: the query of every
// collection (ours, the company's and Directus's own) goes through domain/property/confidential
// with the relation graph of the schema; the read result is walked for register lines read, and
// each personal-data line read by a person is audited. The Directus 12 Core tier has no
// item-level permission rules, so this is where the rows are narrowed.
import { ForbiddenError } from '@directus/errors';
import type { Knex } from 'knex';
import type { HookApi } from './contract-review';
import { actorFrom, loadSettings, type Accountability } from './context';
import { appendAudit } from './audit';
import { hiddenKinds } from '../domain/property/register';
import {
	ITEM_LOGS,
	OWNED_BY_LINE,
	REGISTER,
	confinement,
	guardQuery,
	reachedCollections,
	registerKeysRead,
	type HiddenItems,
	type ReadQuery,
	type RelationGraph,
} from '../domain/property/confidential';

type Ctx = { database?: Knex; accountability: Accountability | null; schema: any };
type Row = Record<string, any>;

/** Event scopes of Directus's own collections read through ItemsService (`directus_users` -> `users.query`). */
const SYSTEM_SCOPES = [
	'revisions',
	'activity',
	'comments',
	'notifications',
	'versions',
	'shares',
	'users',
	'roles',
	'policies',
	'access',
	'permissions',
	'files',
	'folders',
	'presets',
	'dashboards',
	'panels',
	'flows',
	'operations',
	'translations',
	'settings',
];

const graphs = new WeakMap<object, RelationGraph>();

/** The relation graph of a Directus schema overview (kept per schema object). */
export function graphOf(schema: any): RelationGraph {
	const known = schema && graphs.get(schema);
	if (known) return known;
	const graph: RelationGraph = {
		primary: Object.fromEntries(Object.entries(schema?.collections ?? {}).map(([c, v]: [string, any]) => [c, v?.primary ?? 'id'])),
		relations: (schema?.relations ?? []).map((r: Row) => ({
			collection: r.collection,
			field: r.field,
			related: r.related_collection ?? null,
			oneField: r.meta?.one_field ?? null,
			allowed: r.meta?.one_allowed_collections ?? null,
		})),
	};
	if (schema) graphs.set(schema, graph);
	return graph;
}

const CONFINED = new Set([REGISTER, ...Object.keys(OWNED_BY_LINE), ...ITEM_LOGS]);

async function hiddenItems(knex: Knex, hidden: string[]): Promise<HiddenItems> {
	const lines = (await knex('cp_property').whereIn('kind', hidden).select('id')).map((r: Row) => r.id);
	const events = lines.length ? (await knex('cp_property_events').whereIn('property', lines).select('id')).map((r: Row) => r.id) : [];
	return { cp_property: lines, cp_property_events: events };
}

/**
 * What Directus answers for a write to a key that does not exist (validateAccess): the answer
 * for a line hidden from the writer, so a refusal tells nothing about what exists (X-5).
 */
export function missingItemError(action: string, collection: string, fields: string[]): Error {
	const reason = fields.length
		? `You don't have permissions to perform "${action}" for the field(s) ${fields.map((f) => `"${f}"`).join(', ')} in collection "${collection}" or it does not exist.`
		: `You don't have permission to perform "${action}" for collection "${collection}" or it does not exist.`;
	return new ForbiddenError({ reason });
}

/** readMany(keys, query) reads `{_and: [{pk: {_in: keys}}, query.filter]}`: its meta counts use the request's filter, not ours. */
const isKeyRead = (filter: unknown, pk: string) => {
	const and = (filter as Row)?._and;
	return Array.isArray(and) && and.length === 2 && Object.keys(filter as Row).length === 1 && Array.isArray(and[0]?.[pk]?._in);
};

export function registerConfidential(api: HookApi): void {
	const { filter, database, logger } = api;

	const onQuery = async (query: ReadQuery, meta: { collection?: string }, ctx: Ctx) => {
		const acc = ctx.accountability;
		const collection = meta?.collection;
		if (!acc || !collection || !query || typeof query !== 'object') return query;
		const graph = graphOf(ctx.schema);
		const reached = reachedCollections(collection, query, graph);
		if (![...reached].some((c) => CONFINED.has(c))) return query;

		const knex = ctx.database ?? database;
		const actor = actorFrom(acc, await loadSettings(knex));
		const hidden = actor.isAdmin ? [] : hiddenKinds(actor);
		const logs = hidden.length && [...reached].some((c) => ITEM_LOGS.includes(c)) ? await hiddenItems(knex, hidden) : undefined;
		const conf = confinement(hidden, logs);
		const guarded = guardQuery(collection, query, graph, conf, { auditIds: Boolean(acc.user) && !hidden.includes('personal_data') });
		// Directus's plain answer to a read it will not do: it tells nothing about what exists.
		if (guarded.refused) throw new ForbiddenError();

		const out = guarded.query;
		// Directus counts meta=filter_count afterwards from the request's own (frozen) query: narrow
		// its filter object in place, or leave the count out when there is none to narrow.
		const metas = (query as Row).meta;
		if (Array.isArray(metas) && metas.length && Object.keys(conf.rules).length) {
			const drop = (m: string) => {
				const i = metas.indexOf(m);
				if (i >= 0) metas.splice(i, 1);
			};
			const own = query.filter as Row | null | undefined;
			if (JSON.stringify(own ?? null) !== JSON.stringify(out.filter ?? null)) {
				if (own && typeof own === 'object' && !isKeyRead(own, graph.primary[collection] ?? 'id')) {
					for (const k of Object.keys(own)) delete own[k];
					Object.assign(own, out.filter);
				} else drop('filter_count');
			}
			// total_count counts every row of the table.
			if (conf.rules[collection]) drop('total_count');
		}
		return out;
	};

	// Who read which personal data, when (PR-1): one audit entry per register line read by a
	// person, also when it was read as a related field of another collection.
	const onRead = async (records: unknown, meta: { collection?: string; query?: ReadQuery }, ctx: Ctx) => {
		try {
			const acc = ctx.accountability;
			const q = meta?.query ?? {};
			if (!acc?.user || !meta?.collection || !Array.isArray(records) || !records.length || q.aggregate || q.group) return records;
			const graph = graphOf(ctx.schema);
			const walk = guardQuery(meta.collection, q, graph, { rules: {}, covered: [] }, { auditIds: true });
			if (walk.refused || !walk.auditPaths.length) return records;
			const ids = registerKeysRead(records, walk.auditPaths, graph.primary[REGISTER] ?? 'id');
			if (!ids.length) return records;
			const knex = ctx.database ?? database;
			const personal = (await knex('cp_property').whereIn('id', ids).where('kind', 'personal_data').select('id')).map((r: Row) => r.id);
			if (personal.length) {
				const actor = actorFrom(acc, await loadSettings(knex));
				const via = walk.auditPaths.filter((p) => p.length).map((p) => `${meta.collection}.${p.join('.')}`);
				await appendAudit(
					knex,
					actor,
					personal.map((id: unknown) => ({
						collection: REGISTER,
						item: id as string,
						action: 'read',
						data: { fields: q.fields ?? ['*'], ...(via.length ? { via } : {}) },
					})),
				);
			}
		} catch (e) {
			logger.error(e, '[customer-processes] audit of a personal data read failed');
		}
		return records;
	};

	for (const scope of ['items', ...SYSTEM_SCOPES]) {
		filter(`${scope}.query`, onQuery as any);
		filter(`${scope}.read`, onRead as any);
	}
}
