// The confidential-property query guard (PR-1, X-5) on worked queries: a viewer from Production
// may not see personal data nor intellectual property (Doc 5: these are kept by Sales and seen by
// Sales and Quality only), so every path of a query into the register must carry that rule.
import { describe, expect, it } from 'vitest';
import {
	confinement,
	guardQuery,
	reachedCollections,
	registerKeysRead,
	type RelationGraph,
} from '../../extensions/customer-processes/src/domain/property/confidential';
import { assertKindKept, assertRegisterEdit, hiddenKinds } from '../../extensions/customer-processes/src/domain/property/register';
import { catchError as caught } from './catch-error';

const H = ['personal_data', 'intellectual_property'];
const HIDE = { kind: { _nin: H } };

// The bundle's relations into and out of the register (snapshots/customer-processes.json) and
// Directus's revisions -> activity, plus two a company might add: an o2m alias
// cp_customers.properties and an m2o cp_complaints.property from a collection nobody narrows.
const graph: RelationGraph = {
	primary: {},
	relations: [
		{ collection: 'cp_property', field: 'customer', related: 'cp_customers' },
		{ collection: 'cp_property', field: 'contract', related: 'cp_contracts' },
		{ collection: 'cp_property', field: 'user_created', related: 'directus_users' },
		{ collection: 'cp_property_events', field: 'property', related: 'cp_property' },
		{ collection: 'cp_property_events', field: 'user_created', related: 'directus_users' },
		{ collection: 'cp_contracts', field: 'customer', related: 'cp_customers' },
		{ collection: 'directus_revisions', field: 'activity', related: 'directus_activity', oneField: 'revisions' },
	],
};
const withAlias: RelationGraph = {
	primary: {},
	relations: [
		...graph.relations.filter((r) => !(r.collection === 'cp_property' && r.field === 'customer')),
		{ collection: 'cp_property', field: 'customer', related: 'cp_customers', oneField: 'properties' },
		{ collection: 'cp_complaints', field: 'property', related: 'cp_property' },
	],
};

const production = confinement(hiddenKinds({ isAdmin: false, system: false, departments: ['production'] }));
const guarded = (collection: string, query: Record<string, any>, g = graph, conf = production) => {
	const r = guardQuery(collection, query, g, conf);
	if (r.refused) throw new Error(`refused: ${r.reason}`);
	return r.query;
};
const refused = (collection: string, query: Record<string, any>, g = graph) => guardQuery(collection, query, g, production).refused;

describe('confidential property guard (PR-1, X-5)', () => {
	it('PR-1: Production may not see personal data nor intellectual property; Sales and Quality may', () => {
		expect(hiddenKinds({ isAdmin: false, system: false, departments: ['production'] })).toEqual(H);
		expect(hiddenKinds({ isAdmin: false, system: false, departments: ['technical'] })).toEqual(H);
		expect(hiddenKinds({ isAdmin: false, system: false, departments: ['sales'] })).toEqual([]);
		expect(confinement([])).toEqual({ rules: {}, covered: [] });
	});

	it('X-5: a direct list of the register and of its history carries the kind rule', () => {
		expect(guarded('cp_property', { filter: { name: { _starts_with: 'S' } } }).filter).toEqual({ _and: [{ name: { _starts_with: 'S' } }, HIDE] });
		expect(guarded('cp_property', {}).filter).toEqual(HIDE);
		// The history is confidential with its line: a filter on property.name joins the same row.
		expect(guarded('cp_property_events', { filter: { property: { name: { _starts_with: 'S' } } } }).filter).toEqual({
			_and: [{ property: { name: { _starts_with: 'S' } } }, { property: HIDE }],
		});
	});

	it('X-5: $FOLLOW from the customers counts visible register lines only, also under _none', () => {
		const follow = '$FOLLOW(cp_property,customer)';
		// Directus reads a _some/_none sub-filter by its first key: the condition leads, the rule is ANDed beside it.
		expect(guarded('cp_customers', { filter: { [follow]: { name: { _starts_with: 'S' } } } }).filter).toEqual({
			[follow]: { _some: { name: { _starts_with: 'S' }, _and: [HIDE] } },
		});
		expect(guarded('cp_customers', { filter: { [follow]: { _none: { name: { _starts_with: 'S' } } } } }).filter).toEqual({
			[follow]: { _none: { name: { _starts_with: 'S' }, _and: [HIDE] } },
		});
		expect(guarded('cp_customers', { filter: { [follow]: { _some: { _or: [{ name: { _eq: 'a' } }, { name: { _eq: 'b' } }] } } } }).filter).toEqual({
			[follow]: { _some: { ...HIDE, _and: [{ _or: [{ name: { _eq: 'a' } }, { name: { _eq: 'b' } }] }] } },
		});
		// From the users, through the history to its line.
		expect(guarded('directus_users', { filter: { '$FOLLOW(cp_property_events,user_created)': { property: { name: { _eq: 'x' } } } } }).filter).toEqual({
			'$FOLLOW(cp_property_events,user_created)': { _some: { property: { name: { _eq: 'x' } }, _and: [{ property: HIDE }] } },
		});
		// Inside _or, next to other conditions.
		expect(guarded('cp_customers', { filter: { _or: [{ code: { _eq: 'C1' } }, { [follow]: { code: { _contains: '1' } } }] } }).filter).toEqual({
			_or: [{ code: { _eq: 'C1' } }, { [follow]: { _some: { code: { _contains: '1' }, _and: [HIDE] } } }],
		});
	});

	it('X-5: an m2o from a collection nobody narrows gets the rule at its prefix, keeping rows without a line', () => {
		expect(guarded('cp_complaints', { filter: { property: { name: { _eq: 'S' } } } }, withAlias).filter).toEqual({
			_and: [{ property: { name: { _eq: 'S' } } }, { _or: [{ property: { id: { _null: true } } }, { property: HIDE }] }],
		});
		// Two hops: from the contracts' customers back to their register lines.
		expect(guarded('cp_contracts', { filter: { customer: { '$FOLLOW(cp_property,customer)': { name: { _starts_with: 'S' } } } } }).filter).toEqual({
			_and: [
				{ customer: { '$FOLLOW(cp_property,customer)': { name: { _starts_with: 'S' } } } },
				{
					_or: [{ customer: { '$FOLLOW(cp_property,customer)': { id: { _null: true } } } }, { customer: { '$FOLLOW(cp_property,customer)': HIDE } }],
				},
			],
		});
		// ...but a null test there would tell "only hidden lines" from "no line": refused.
		expect(refused('cp_contracts', { filter: { customer: { '$FOLLOW(cp_property,customer)': { name: { _null: true } } } } })).toBe(true);
	});

	it('X-5: deep fields into the register carry the rule in their deep _filter; the history needs none', () => {
		expect(guarded('cp_complaints', { fields: ['id', 'property.name'] }, withAlias).deep).toEqual({ property: { _filter: HIDE } });
		expect(guarded('cp_complaints', { fields: ['*.*'], deep: { property: { _filter: { name: { _eq: 'x' } } } } }, withAlias).deep).toEqual({
			property: { _filter: { _and: [{ name: { _eq: 'x' } }, HIDE] } },
		});
		// `*` reads the keys of an o2m alias: narrowed too.
		expect(guarded('cp_customers', { fields: ['*'] }, withAlias).deep).toEqual({ properties: { _filter: HIDE } });
		expect(guarded('cp_property_events', { fields: ['id', 'property.name'] }).deep).toBeUndefined();
		// Activity rows are narrowed to the visible items; their revisions are about the same item.
		const conf = confinement(H, { cp_property: ['p1'], cp_property_events: [] });
		const activity = guardQuery('directus_activity', { fields: ['id', 'revisions.data'] }, graph, conf);
		expect(activity.refused).toBe(false);
		const log = {
			_or: [
				{ collection: { _null: true } },
				{ collection: { _nin: ['cp_property', 'cp_property_events'] } },
				{ _and: [{ collection: { _eq: 'cp_property' } }, { item: { _nin: ['p1'] } }] },
				{ collection: { _eq: 'cp_property_events' } },
			],
		};
		expect(!activity.refused && activity.query.filter).toEqual(log);
		expect(!activity.refused && activity.query.deep).toBeUndefined();
		expect(guardQuery('directus_revisions', { fields: ['activity.item'], sort: ['-activity.timestamp'] }, graph, conf).refused).toBe(false);
		expect(guardQuery('cp_complaints', { fields: ['property.name'] }, withAlias, conf).refused).toBe(false);
	});

	it('X-5: what cannot be narrowed is refused: sort or count through an un-narrowed path', () => {
		expect(refused('cp_complaints', { sort: ['property.name'] }, withAlias)).toBe(true);
		expect(refused('cp_customers', { fields: ['count(properties)'] }, withAlias)).toBe(true);
		expect(refused('cp_customers', { filter: { 'count(properties)': { _gt: 0 } } }, withAlias)).toBe(true);
		expect(refused('cp_customers', { deep: { properties: { _sort: ['-name'] } }, fields: ['properties.name'] }, withAlias)).toBe(false);
		// From the history the line is its own: sorting by its name is sorting visible rows.
		expect(refused('cp_property_events', { sort: ['-property.name'] })).toBe(false);
	});

	it('X-5: an aggregate by kind counts visible lines only and is not audited', () => {
		const r = guardQuery('cp_property', { aggregate: { count: ['*'] }, group: ['kind'] }, graph, production, { auditIds: true });
		expect(!r.refused && r.query.filter).toEqual(HIDE);
		expect(r.auditPaths).toEqual([]);
	});

	it('PR-1: a viewer who may see personal data reads it with its key, at every path that lands in the register', () => {
		const sales = confinement([]);
		const r = guardQuery('cp_property_events', { fields: ['type', 'property.name'] }, graph, sales, { auditIds: true });
		expect(!r.refused && r.query).toEqual({ fields: ['type', 'property.name', 'property.id'] });
		expect(r.auditPaths).toEqual([['property']]);
		const rows = [
			{ type: 'receipt', property: { name: '顾客联系人名单', id: 'p1' } },
			{ type: 'check', property: { name: 'x', id: 'p2' } },
			{ type: 'use', property: null },
		];
		expect(registerKeysRead(rows, r.auditPaths)).toEqual(['p1', 'p2']);
		const direct = guardQuery('cp_property', { fields: ['name'] }, graph, sales, { auditIds: true });
		expect(!direct.refused && direct.query.fields).toEqual(['name', 'id']);
		expect(registerKeysRead([{ name: 'n', id: 'p3' }], direct.auditPaths)).toEqual(['p3']);
		// An o2m alias named alone reads the keys themselves.
		const keys = guardQuery('cp_customers', { fields: ['id', 'properties'] }, withAlias, sales, { auditIds: true });
		expect(registerKeysRead([{ id: 'c1', properties: ['p4', 'p5'] }], keys.auditPaths)).toEqual(['p4', 'p5']);
	});

	it('X-5: a query that reaches no confidential collection is seen as such', () => {
		expect([...reachedCollections('cp_contracts', { fields: ['*', 'customer.name'], filter: { code: { _eq: 'x' } } }, graph)].sort()).toEqual([
			'cp_contracts',
			'cp_customers',
		]);
		expect(reachedCollections('cp_customers', { filter: { '$FOLLOW(cp_property,customer)': { name: { _eq: 'x' } } } }, graph).has('cp_property')).toBe(true);
	});
});

describe('kind of a confidential line is fixed (PR-1)', () => {
	const line = {
		code: 'CP-P-0001',
		name: '顾客联系人名单',
		kind: 'personal_data',
		customer: 'c1',
		scope: 'kept by Sales',
		quantity: 1,
		status: 'in_store' as const,
	};
	it('refuses moving a line out of or into personal data for non-admins, naming the field', () => {
		const out = caught(() => assertRegisterEdit(line, { kind: 'material' }, { customerExists: true }, { isAdmin: false, system: false }));
		expect(out.code).toBe('CP_CHANGE_NOT_ALLOWED');
		expect(out.status).toBe(409);
		expect(out.field).toBe('kind');
		expect(out.message).toContain('Kind');
		const into = caught(() => assertKindKept({ isAdmin: false, system: false }, 'material', 'personal_data'));
		expect(into.code).toBe('CP_CHANGE_NOT_ALLOWED');
		expect(() => assertKindKept({ isAdmin: false, system: false }, 'material', 'part')).not.toThrow();
		expect(() => assertKindKept({ isAdmin: false, system: false }, 'personal_data', 'personal_data')).not.toThrow();
		expect(() => assertKindKept({ isAdmin: true, system: false }, 'personal_data', 'material')).not.toThrow();
	});
});
