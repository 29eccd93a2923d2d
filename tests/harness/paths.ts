// Every write path Directus offers, behind one call, so that a rule is tried through all of them
// a single PATCH, a batch by keys, a batch by query, a batch of items, GraphQL (one item and
// several) and an import (an upsert of the rows in a JSON file). Each answers { ok, code, message }.
import { cp, token, type Who } from './client';

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

async function send(who: Who, method: string, path: string, body: unknown, form = false): Promise<PathResult> {
	const headers: Record<string, string> = { authorization: `Bearer ${await token(who)}` };
	let payload: any;
	if (form) payload = body;
	else if (body !== undefined) {
		headers['content-type'] = 'application/json';
		payload = JSON.stringify(body);
	}
	const res = await fetch(`${cp().url}${path}`, { method, headers, body: payload });
	const text = await res.text();
	let parsed: any;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		parsed = text;
	}
	const err = parsed?.errors?.[0];
	return { ok: res.status < 300 && !err, status: res.status, code: err?.extensions?.code, message: err?.message, body: parsed };
}

function graphql(who: Who, query: string, variables: Record<string, unknown>) {
	return send(who, 'POST', '/graphql', { query, variables });
}

function importFile(who: Who, collection: string, rows: Record<string, unknown>[]) {
	const form = new FormData();
	form.append('file', new Blob([JSON.stringify(rows)], { type: 'application/json' }), 'rows.json');
	return send(who, 'POST', `/utils/import/${collection}`, form, true);
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
			return importFile(
				who,
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
			return importFile(who, collection, [data]);
	}
}
