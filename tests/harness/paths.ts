// Every write path Directus offers, behind one call, so that a rule is tried through all of them
// a single PATCH, a batch by keys, a batch by query, a batch of items, GraphQL (one item and
// several) and an import (an upsert of the rows in a JSON file). Each answers { ok, code, message }.
import { http, type Who } from './client';
import { importFile } from './files';

export const UPDATE_PATHS = ['rest-one', 'rest-keys', 'rest-query', 'rest-array', 'graphql-one', 'graphql-many', 'import'] as const;
export type UpdatePath = (typeof UPDATE_PATHS)[number];
export const CREATE_PATHS = ['rest-one', 'rest-array', 'graphql-one', 'import'] as const;
export type CreatePath = (typeof CREATE_PATHS)[number];

export interface PathResult {
	ok: boolean;
	status: number;
	code?: string;
	message?: string;
	body: any;
}

async function send(who: Who, method: string, path: string, body: unknown): Promise<PathResult> {
	const r = method === 'IMPORT' ? await importFile(who, path, body as Record<string, unknown>[]) : await http(who, method, path, body);
	// GraphQL answers 200 with errors for a refusal.
	return { ok: r.status < 300 && !r.body?.errors?.length, status: r.status, code: r.code, message: r.message, body: r.body };
}

function graphql(who: Who, query: string, variables: Record<string, unknown>) {
	return send(who, 'POST', '/graphql', { query, variables });
}

/** Applies `data` to the records `keys` of `collection` through `path`, as `who`. */
export function updateVia(path: UpdatePath, who: Who, collection: string, keys: (string | number)[], data: Record<string, unknown>): Promise<PathResult> {
	switch (path) {
		case 'rest-one':
			if (keys.length !== 1) throw new Error('rest-one takes one key');
			return send(who, 'PATCH', `/items/${collection}/${keys[0]}`, data);
		case 'rest-keys':
			return send(who, 'PATCH', `/items/${collection}`, { keys, data });
		case 'rest-query':
			return send(who, 'PATCH', `/items/${collection}`, { query: { filter: { id: { _in: keys } }, limit: -1 }, data });
		case 'rest-array':
			return send(
				who,
				'PATCH',
				`/items/${collection}`,
				keys.map((id) => ({ id, ...data })),
			);
		case 'graphql-one':
			if (keys.length !== 1) throw new Error('graphql-one takes one key');
			return graphql(who, `mutation ($id: ID!, $data: update_${collection}_input!) { update_${collection}_item(id: $id, data: $data) { id } }`, {
				id: keys[0],
				data,
			});
		case 'graphql-many':
			return graphql(who, `mutation ($ids: [ID]!, $data: update_${collection}_input!) { update_${collection}_items(ids: $ids, data: $data) { id } }`, {
				ids: keys,
				data,
			});
		case 'import':
			return send(
				who,
				'IMPORT',
				collection,
				keys.map((id) => ({ id, ...data })),
			);
	}
}

/** Creates `data` in `collection` through `path`, as `who`. */
export function createVia(path: CreatePath, who: Who, collection: string, data: Record<string, unknown>): Promise<PathResult> {
	switch (path) {
		case 'rest-one':
			return send(who, 'POST', `/items/${collection}`, data);
		case 'rest-array':
			return send(who, 'POST', `/items/${collection}`, [data]);
		case 'graphql-one':
			return graphql(who, `mutation ($data: create_${collection}_input!) { create_${collection}_item(data: $data) { id } }`, { data });
		case 'import':
			return send(who, 'IMPORT', collection, [data]);
	}
}
