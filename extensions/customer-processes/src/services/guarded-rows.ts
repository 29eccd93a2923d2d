// The records the generic write guard (services/policy.ts) read for an update, handed to the
// area adapter of the same write so that it does not read them again (issue 14). Keyed by the
// request's accountability object (Directus hands the same one to every filter of a request and
// to no other request), taken once: the adapter's filter runs right after the guard's, for the
// same event, before anything is written.
type Row = Record<string, unknown>;

/** The collections whose adapter takes the rows (for any other, nothing is kept). */
const TAKEN = new Set(['cp_complaints', 'cp_review_lines']);
const kept = new WeakMap<object, Map<string, Row[]>>();
const keyOf = (collection: string, keys: (string | number)[]) => `${collection}\u0000${keys.map(String).join('\u0000')}`;

/** Keeps what the guard read (`null`: it read nothing, so nothing older may be taken either). */
export function keepGuardedRows(scope: object, collection: string, keys: (string | number)[], rows: Row[] | null): void {
	if (!TAKEN.has(collection)) return;
	if (rows === null) {
		kept.get(scope)?.delete(keyOf(collection, keys));
		return;
	}
	if (!kept.has(scope)) kept.set(scope, new Map());
	kept.get(scope)!.set(keyOf(collection, keys), rows);
}

/** The rows of `keys` the write guard just read for this request, or null (then read them). */
export function takeGuardedRows(scope: object | null | undefined, collection: string, keys: (string | number)[]): Row[] | null {
	const byKey = scope ? kept.get(scope) : undefined;
	const key = keyOf(collection, keys);
	const rows = byKey?.get(key) ?? null;
	byKey?.delete(key);
	return rows;
}
