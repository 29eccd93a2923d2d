/**
 * Confidential customer property (PR-1, X-5): one guard for every read path a query offers.
 *
 * Directus applies an `items.query` filter only to the collection a request names. A query can
 * still reach a register line through a relation: a filter on `property.name` from the history,
 * `$FOLLOW(cp_property, customer)` from the customers, a deep field `property.name`, a sort or
 * an aggregate over a relational path, or Directus's own revisions and activity, which point at
 * items by (collection, item). The Directus 12 Core tier has no item-level permission rules, so
 * this guard walks the query with the relation graph and, wherever a path enters a confined
 * collection, adds that collection's row rule there; where no rule can be expressed (a sort or
 * an aggregate through such a path) it refuses the query.
 *
 * Directus's filter reading, mirrored here: at a filter level every key is ANDed; below a
 * relational key only the FIRST key of each object is followed, down to an operator; `_and` /
 * `_or` work at a filter level only (the root, `_some`/`_none` sub-filters, deep `_filter`), and
 * `_some` / `_none` only right after a top-level one-to-many key.
 */

export type Filter = Record<string, any>;

export interface ReadQuery {
	fields?: string[] | null;
	filter?: Filter | null;
	deep?: Record<string, any> | null;
	sort?: string[] | null;
	search?: string | null;
	aggregate?: Record<string, string[]> | null;
	group?: string[] | null;
	alias?: Record<string, string> | null;
	[key: string]: unknown;
}

/** One Directus relation: `collection.field` points at `related` (m2o); `oneField` is the alias on `related` (o2m). */
export interface GraphRelation {
	collection: string;
	field: string;
	related: string | null;
	oneField?: string | null;
	allowed?: readonly string[] | null;
}

export interface RelationGraph {
	/** Primary key field per collection (default 'id'). */
	primary: Readonly<Record<string, string>>;
	relations: readonly GraphRelation[];
}

export interface Confinement {
	/** The filter every row of a confined collection must match, for this viewer. */
	rules: Readonly<Record<string, Filter>>;
	/** Relational hops `collection.field` whose source rule already implies the target's (nothing to add). */
	covered: readonly string[];
}

/** The register, and the collections whose rows are confidential with their register line. */
export const REGISTER = 'cp_property';
export const OWNED_BY_LINE: Readonly<Record<string, string>> = { cp_property_events: 'property' };
/** Collections that point at any item by (collection, item): history, comments, notices, our audit trail. */
export const ITEM_LOGS: readonly string[] = [
	'directus_revisions',
	'directus_activity',
	'directus_comments',
	'directus_notifications',
	'directus_versions',
	'directus_shares',
	'cp_audit',
];

/** Register lines and their owned rows a viewer may not see, by collection (ids as the item logs keep them). */
export type HiddenItems = Readonly<Record<string, readonly (string | number)[]>>;

/**
 * The row rules for a viewer who may not see the `hidden` kinds. Item-log rules need the ids of
 * the hidden lines and their owned rows; without `hiddenItems` the item logs are not confined.
 */
export function confinement(hidden: readonly string[], hiddenItems?: HiddenItems): Confinement {
	if (!hidden.length) return { rules: {}, covered: [] };
	const line: Filter = { kind: { _nin: [...hidden] } };
	const rules: Record<string, Filter> = { [REGISTER]: line };
	const covered: string[] = [];
	for (const [collection, field] of Object.entries(OWNED_BY_LINE)) {
		rules[collection] = { [field]: line };
		covered.push(`${collection}.${field}`);
	}
	if (hiddenItems) {
		const confined = [REGISTER, ...Object.keys(OWNED_BY_LINE)];
		const log: Filter = {
			_or: [
				// A notice or comment about nothing in particular has no collection.
				{ collection: { _null: true } },
				{ collection: { _nin: confined } },
				...confined.map((c) => {
					const ids = (hiddenItems[c] ?? []).map(String);
					return ids.length ? { _and: [{ collection: { _eq: c } }, { item: { _nin: ids } }] } : { collection: { _eq: c } };
				}),
			],
		};
		for (const c of ITEM_LOGS) rules[c] = log;
		// A revision and its activity entry are about the same item.
		covered.push('directus_revisions.activity', 'directus_activity.revisions');
	}
	return { rules, covered };
}

export interface GuardOptions {
	/** Make sure the key of every register line read is in the result, so each read can be audited. */
	auditIds?: boolean;
}

export type GuardResult =
	| { refused: false; query: ReadQuery; reached: Set<string>; auditPaths: string[][] }
	| { refused: true; reason: string; reached: Set<string>; auditPaths: string[][] };

class Refusal extends Error {}

interface Hop {
	type: 'm2o' | 'o2m' | 'a2o';
	target: string | null;
	targets: readonly string[];
}

/** Operators that match the NULL row of an outer join, i.e. would tell "only hidden rows" from "no rows". */
const NULL_MATCHING = new Set(['_null', '_nnull', '_empty', '_nempty']);

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const firstKey = (v: unknown): string | undefined => (isObject(v) ? Object.keys(v)[0] : undefined);

/** `year(date_created)` -> { fn: 'year', field: 'date_created' }. */
function parseKey(key: string): { fn?: string; field: string } {
	const m = /^([^().]+)\(([^)]+)\)$/.exec(key);
	if (m && !key.startsWith('$FOLLOW(')) return { fn: m[1].trim(), field: m[2].trim() };
	return { field: key.trim() };
}

export function hopOf(graph: RelationGraph, collection: string, field: string): Hop | null {
	if (field.startsWith('$FOLLOW(') && field.endsWith(')')) {
		const target = field.slice(8, -1).split(',')[0]?.trim();
		return target ? { type: 'o2m', target, targets: [target] } : null;
	}
	const m2o = graph.relations.find((r) => r.collection === collection && r.field === field);
	if (m2o) {
		if (m2o.related) return { type: 'm2o', target: m2o.related, targets: [m2o.related] };
		return { type: 'a2o', target: null, targets: m2o.allowed ?? [] };
	}
	const o2m = graph.relations.find((r) => r.related === collection && r.oneField === field);
	if (o2m) return { type: 'o2m', target: o2m.collection, targets: [o2m.collection] };
	return null;
}

const relationalFields = (graph: RelationGraph, collection: string, only?: 'o2m'): string[] => [
	...(only ? [] : graph.relations.filter((r) => r.collection === collection).map((r) => r.field)),
	...graph.relations.filter((r) => r.related === collection && r.oneField).map((r) => r.oneField as string),
];

export function and(a: Filter | null | undefined, b: Filter | null | undefined): Filter | undefined {
	const parts = [a, b].filter((f): f is Filter => isObject(f) && Object.keys(f).length > 0);
	if (parts.length < 2) return parts[0];
	return { _and: parts };
}

/** A filter of collection T written from a level that reaches T through `prefix`. */
export function prefixFilter(filter: Filter, prefix: readonly string[]): Filter {
	const entries = Object.entries(filter);
	if (entries.length > 1) return { _and: entries.map(([k, v]) => prefixFilter({ [k]: v }, prefix)) };
	const [[key, value]] = entries;
	if ((key === '_and' || key === '_or') && Array.isArray(value)) return { [key]: value.map((f) => prefixFilter(f, prefix)) };
	return prefix.reduceRight<Filter>((inner, seg) => ({ [seg]: inner }), { [key]: value });
}

class Walk {
	readonly reached = new Set<string>();
	readonly auditPaths: string[][] = [];
	constructor(
		readonly graph: RelationGraph,
		readonly conf: Confinement,
		readonly opts: GuardOptions,
	) {}

	refuse(why: string): never {
		throw new Refusal(why);
	}

	rule(collection: string | null): Filter | undefined {
		return collection ? this.conf.rules[collection] : undefined;
	}

	/** Does entering `hop` from `collection.field` need the target's rule? */
	needsRule(collection: string, field: string, hop: Hop): boolean {
		if (hop.type === 'a2o') return hop.targets.some((t) => this.rule(t));
		if (!this.rule(hop.target)) return false;
		return !this.conf.covered.includes(`${collection}.${field}`);
	}

	pk(collection: string): string {
		return this.graph.primary[collection] ?? 'id';
	}

	hop(collection: string, field: string): Hop | null {
		const h = hopOf(this.graph, collection, field);
		if (h) for (const t of h.targets) this.reached.add(t);
		return h;
	}

	// ------------------------------------------------------------------ filters

	filter(collection: string, filter: unknown): Filter | undefined {
		if (!isObject(filter)) return filter as any;
		const parts = this.parts(collection, filter);
		if (parts.length <= 1) return parts[0] ?? filter;
		return { _and: parts };
	}

	parts(collection: string, filter: Filter): Filter[] {
		const parts: Filter[] = [];
		for (const [key, value] of Object.entries(filter)) {
			if ((key === '_and' || key === '_or') && Array.isArray(value)) {
				parts.push({ [key]: value.map((f) => this.filter(collection, f) ?? {}) });
			} else {
				parts.push(this.leaf(collection, key, value));
			}
		}
		return parts;
	}

	/**
	 * A `_some`/`_none` sub-filter with the target's rule. Directus skips such a sub-filter unless
	 * its first key leads to an operator, so a field condition goes first and the rest is ANDed
	 * beside it.
	 */
	quantified(target: string, sub: unknown): Filter {
		const parts = isObject(sub) ? this.parts(target, sub) : [];
		const rule = this.rule(target);
		if (rule) parts.push(rule);
		const i = parts.findIndex((p) => !('_and' in p) && !('_or' in p));
		if (i < 0) return parts.length === 1 ? parts[0] : { _and: parts };
		const [lead] = parts.splice(i, 1);
		return parts.length ? { ...lead, _and: parts } : lead;
	}

	/** One key of a filter level: the path Directus follows from it, with the rules of every confined collection it enters. */
	leaf(collection: string, key: string, value: unknown): Filter {
		const leaf = { [key]: value };
		if (key.startsWith('_')) return leaf;
		const top = parseKey(key);
		if (top.fn) {
			const h = this.hop(collection, top.field);
			if (h && this.needsRule(collection, top.field, h)) this.refuse(`${top.fn}(${top.field}) counts confidential rows`);
			return leaf;
		}
		if (key.includes(':')) {
			const scope = key.split(':')[1];
			this.reached.add(scope);
			if (this.rule(scope)) this.refuse(`many-to-any path into ${scope}`);
		}
		const first = key.includes(':') ? null : this.hop(collection, key);
		if (first?.type === 'o2m' && first.target) {
			const target = first.target;
			const q = firstKey(value);
			if (q === '_some' || q === '_none') return { [key]: { [q]: this.quantified(target, (value as Filter)[q]) } };
			if (this.rule(target)) {
				// "Some related row matches", counted over the visible rows only.
				if (!q || q.startsWith('_')) this.refuse(`operator on the one-to-many ${key}`);
				return { [key]: { _some: this.quantified(target, { [q]: (value as Filter)[q] }) } };
			}
		}
		// Follow the chain: m2o hops (and o2m below the top) get the target's rule at their prefix.
		const chain: string[] = [];
		let v: unknown = leaf;
		let op: string | undefined;
		while (isObject(v)) {
			const k = firstKey(v);
			if (k === undefined) break;
			if (k.startsWith('_') && k !== '_some' && k !== '_none') {
				op = k;
				break;
			}
			chain.push(k);
			v = v[k];
		}
		const extras: Filter[] = [];
		let current = collection;
		for (let i = 0; i < chain.length; i++) {
			const seg = chain[i];
			if (seg === '_some' || seg === '_none') break;
			const { fn, field } = parseKey(seg);
			if (field.includes(':')) {
				const scope = field.split(':')[1];
				this.reached.add(scope);
				if (this.rule(scope)) this.refuse(`many-to-any path into ${scope}`);
				current = scope;
				continue;
			}
			const h = this.hop(current, field);
			if (!h) break;
			if (fn) {
				if (this.needsRule(current, field, h)) this.refuse(`${fn}(${field}) counts confidential rows`);
				break;
			}
			if (h.type === 'a2o') {
				if (this.needsRule(current, field, h)) this.refuse(`many-to-any path into a confidential collection`);
				break;
			}
			const target = h.target as string;
			if (this.needsRule(current, field, h)) {
				if (h.type === 'o2m' && (op === undefined || NULL_MATCHING.has(op))) this.refuse(`null test through the one-to-many ${field}`);
				const prefix = chain.slice(0, i + 1);
				extras.push(prefixFilter({ _or: [{ [this.pk(target)]: { _null: true } }, this.rule(target)!] }, prefix));
			}
			current = target;
		}
		return extras.length ? { _and: [leaf, ...extras] } : leaf;
	}

	// ------------------------------------------------------------------ sort, aggregate, group

	/** Paths that order or group rows: through a confined collection they cannot be restricted, only refused. */
	paths(collection: string, paths: readonly string[], what: string, skip: readonly string[] = []): void {
		for (const raw of paths) {
			const parts = String(raw).replace(/^-/, '').split('.');
			if (skip.includes(parts[0])) continue;
			let current = collection;
			for (let i = 0; i < parts.length; i++) {
				const { field } = parseKey(parts[i]);
				if (field === '*') break;
				if (field.includes(':')) {
					const scope = field.split(':')[1];
					this.reached.add(scope);
					if (this.rule(scope)) this.refuse(`${what} through ${scope}`);
					current = scope;
					continue;
				}
				const h = this.hop(current, field);
				if (!h) break;
				if (this.needsRule(current, field, h)) this.refuse(`${what} by ${raw} reaches confidential rows`);
				if (!h.target) break;
				current = h.target;
			}
		}
	}

	// ------------------------------------------------------------------ fields and deep

	/**
	 * The fields read at one level and their deep queries. Returns fields to add (relative to the
	 * level) and the deep object with each confined relation's rule in its `_filter`.
	 */
	selection(
		collection: string,
		fields: readonly string[],
		deep: Record<string, any>,
		alias: Record<string, string>,
		path: string[],
		audit: boolean,
	): { add: string[]; deep: Record<string, any> } {
		const nested = new Map<string, string[]>();
		const want = (key: string) => {
			if (!nested.has(key)) nested.set(key, []);
			return nested.get(key)!;
		};
		let wildcard = false;
		let hasPk = false;
		const pk = this.pk(collection);
		for (const key of fields) {
			const name = alias[key] ?? key;
			const { fn, field } = parseKey(name);
			if (fn) {
				// count(alias) counts related rows; json(field, path) reads a column.
				const h = this.hop(collection, field.split(',')[0].trim());
				if (h && this.needsRule(collection, field, h)) this.refuse(`${fn}(${field}) counts confidential rows`);
				continue;
			}
			const parts = key.split('.');
			const root = parts[0];
			if (root === '*') {
				wildcard = true;
				if (parts.length > 1) for (const f of relationalFields(this.graph, collection)) want(f).push(parts.slice(1).join('.'));
				else for (const f of relationalFields(this.graph, collection, 'o2m')) want(f);
				continue;
			}
			if (root.includes(':')) {
				const scope = root.split(':')[1];
				this.reached.add(scope);
				if (this.rule(scope)) this.refuse(`many-to-any field into ${scope}`);
				continue;
			}
			const rootName = alias[root] ?? root;
			if (rootName === pk && parts.length === 1) hasPk = true;
			if (root.startsWith('$FOLLOW(')) {
				const h = this.hop(collection, rootName);
				if (h && this.rule(h.target)) this.refuse(`reverse field into ${h.target}`);
				continue;
			}
			const h = hopOf(this.graph, collection, rootName);
			if (parts.length > 1 || h?.type === 'o2m') {
				const list = want(root);
				if (parts.length > 1) list.push(parts.slice(1).join('.'));
			}
		}
		for (const key of Object.keys(deep)) if (!key.startsWith('_')) want(key);

		const add: string[] = [];
		if (audit && collection === REGISTER) {
			this.auditPaths.push(path);
			if (!hasPk && !wildcard) add.push(pk);
		}
		const outDeep: Record<string, any> = { ...deep };
		for (const [key, childFields] of nested) {
			if (key.includes(':')) {
				const scope = key.split(':')[1];
				this.reached.add(scope);
				if (this.rule(scope)) this.refuse(`many-to-any field into ${scope}`);
				continue;
			}
			const name = alias[key] ?? key;
			const h = this.hop(collection, name);
			if (!h) continue;
			if (h.type === 'a2o') {
				if (this.needsRule(collection, name, h)) this.refuse(`many-to-any field into a confidential collection`);
				continue;
			}
			const target = h.target as string;
			const d = isObject(deep[key]) ? deep[key] : {};
			const level = this.level(target, d, this.needsRule(collection, name, h));
			// An o2m named alone reads related keys only; with child fields it reads rows.
			const child = childFields.length
				? this.selection(target, childFields, level.nestedDeep, isObject(d._alias) ? d._alias : {}, [...path, key], audit)
				: { add: [], deep: level.nestedDeep };
			if (!childFields.length && audit && target === REGISTER) this.auditPaths.push([...path, key]);
			add.push(...child.add.map((f) => `${key}.${f}`));
			const merged = { ...level.deep, ...child.deep };
			if (Object.keys(merged).length) outDeep[key] = merged;
		}
		return { add, deep: outDeep };
	}

	/** The `_` keys of one deep level: its own filter (with the rule when needed), sort and groups. */
	level(collection: string, d: Record<string, any>, ruled: boolean): { deep: Record<string, any>; nestedDeep: Record<string, any> } {
		const own: Record<string, any> = {};
		const nestedDeep: Record<string, any> = {};
		for (const [k, v] of Object.entries(d)) (k.startsWith('_') ? own : nestedDeep)[k] = v;
		let filter = own._filter !== undefined ? this.filter(collection, own._filter) : undefined;
		if (ruled) filter = and(filter, this.rule(collection));
		if (filter !== undefined) own._filter = filter;
		if (Array.isArray(own._sort)) this.paths(collection, own._sort, 'sort', Object.keys(own._aggregate ?? {}));
		if (Array.isArray(own._groupBy)) this.paths(collection, own._groupBy, 'group');
		if (isObject(own._aggregate)) for (const fs of Object.values(own._aggregate)) this.paths(collection, ([] as string[]).concat(fs as any), 'aggregate');
		return { deep: own, nestedDeep };
	}
}

/**
 * The query as this viewer may run it: every path into a confined collection carries that
 * collection's rule (the root too), or the query is refused when a path orders or aggregates
 * through one. `reached` names every collection the query touches; `auditPaths` the result
 * paths (field keys from the root) whose rows are register lines.
 */
export function guardQuery(collection: string, query: ReadQuery, graph: RelationGraph, conf: Confinement, opts: GuardOptions = {}): GuardResult {
	const walk = new Walk(graph, conf, opts);
	walk.reached.add(collection);
	try {
		const out: ReadQuery = { ...query };
		const aggregated = Boolean((query.aggregate && Object.keys(query.aggregate).length) || query.group?.length);
		let filter = query.filter ? walk.filter(collection, query.filter) : undefined;
		filter = and(filter, conf.rules[collection]);
		if (filter !== undefined) out.filter = filter;
		if (Array.isArray(query.sort)) walk.paths(collection, query.sort, 'sort', Object.keys(query.aggregate ?? {}));
		if (Array.isArray(query.group)) walk.paths(collection, query.group, 'group');
		if (query.aggregate) {
			for (const fs of Object.values(query.aggregate)) {
				for (const f of ([] as string[]).concat(fs as any)) {
					if (f === '*') continue;
					walk.paths(collection, [f], 'aggregate');
					const h = hopOf(graph, collection, f.split('.')[0]);
					if (h?.type === 'o2m' && walk.needsRule(collection, f, h)) walk.refuse(`aggregate over ${f}`);
				}
			}
		}
		const fields = Array.isArray(query.fields) && query.fields.length ? query.fields : ['*'];
		const sel = walk.selection(
			collection,
			fields,
			isObject(query.deep) ? query.deep : {},
			isObject(query.alias) ? query.alias : {},
			[],
			Boolean(opts.auditIds) && !aggregated,
		);
		if (sel.add.length) out.fields = [...fields, ...sel.add];
		if (Object.keys(sel.deep).length) out.deep = sel.deep;
		if (aggregated) walk.auditPaths.length = 0;
		return { refused: false, query: out, reached: walk.reached, auditPaths: walk.auditPaths };
	} catch (e) {
		if (e instanceof Refusal) return { refused: true, reason: e.message, reached: walk.reached, auditPaths: [] };
		throw e;
	}
}

/** Collections a query touches (the root, every relational path of its fields, filters, deep, sort and groups). */
export function reachedCollections(collection: string, query: ReadQuery, graph: RelationGraph): Set<string> {
	return guardQuery(collection, query, graph, { rules: {}, covered: [] }).reached;
}

/** Keys of the register lines in a read result, at the paths `guardQuery` reported (aggregates have none). */
export function registerKeysRead(records: unknown, paths: readonly string[][], pk = 'id'): (string | number)[] {
	const keys = new Set<string | number>();
	const visit = (value: unknown, rest: readonly string[]) => {
		if (Array.isArray(value)) return value.forEach((v) => visit(v, rest));
		if (value === null || value === undefined) return;
		if (!rest.length) {
			if (isObject(value)) {
				if (value[pk] !== undefined && value[pk] !== null) keys.add(value[pk]);
			} else if (typeof value === 'string' || typeof value === 'number') keys.add(value);
			return;
		}
		if (isObject(value)) visit(value[rest[0]], rest.slice(1));
	};
	for (const path of paths) visit(records, path);
	return [...keys];
}
