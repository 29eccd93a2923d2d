// Shape check of every cp_ write against the collection's schema, before anything else runs:
// a value of the wrong type (an object for a text, a word for a date, a uuid that is not one)
// would otherwise reach the database driver and come back as a 500 instead of a 400 naming the
// field. Business rules stay in the area adapters.
import { DomainError } from '../domain/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = ['integer', 'bigInteger', 'float', 'decimal'];
const TEMPORAL = ['timestamp', 'dateTime', 'date', 'time'];

const bad = (field: string, what: string) => new DomainError('CP_INVALID_VALUE', `${field} must be ${what}`, { field });

function relational(schema: any, collection: string, field: string): boolean {
	return (schema?.relations ?? []).some((r: any) => r.collection === collection && r.field === field);
}

function validDate(v: unknown): boolean {
	if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) < 8.64e15;
	if (typeof v !== 'string' || v.length > 64) return false;
	if (/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) return true;
	const t = Date.parse(v);
	if (Number.isNaN(t)) return false;
	const year = new Date(t).getUTCFullYear();
	return year >= 1000 && year <= 9999;
}

/**
 * Throws CP_INVALID_VALUE naming the first field whose value cannot be stored as its type, or
 * (for a user) that the collection does not have: Directus would refuse it only after the
 * area filters ran, and a contract transition commits inside its filter.
 */
export function assertPayloadShape(schema: any, collection: string, payload: unknown, user = false): void {
	if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return;
	const fields = schema?.collections?.[collection]?.fields;
	if (!fields) return;
	for (const [field, v] of Object.entries(payload as Record<string, unknown>)) {
		const def = fields[field];
		if (!def && user) throw new DomainError('CP_INVALID_VALUE', `${collection} has no field '${field}'`, { field });
		if (!def || v === null || v === undefined) continue;
		const type = String(def.type);
		if (type === 'json' || type === 'alias' || def.alias) continue;
		// A nested object on a relation is Directus's nested write; anywhere else it is not a value.
		if (typeof v === 'object') {
			if (relational(schema, collection, field) && !Array.isArray(v)) continue;
			throw bad(field, `a single ${type} value, not ${Array.isArray(v) ? 'a list' : 'an object'}`);
		}
		if (NUMERIC.includes(type) && !(typeof v === 'number' ? Number.isFinite(v) : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))))
			throw bad(field, 'a number');
		if (type === 'boolean' && ![true, false, 0, 1, '0', '1', 'true', 'false'].includes(v as any)) throw bad(field, 'true or false');
		if (TEMPORAL.includes(type) && !validDate(v)) throw bad(field, 'a date/time (ISO 8601)');
		if (type === 'uuid' && !(typeof v === 'string' && UUID.test(v))) throw bad(field, 'an id (uuid)');
		if ((type === 'string' || type === 'text' || type === 'hash') && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
			throw bad(field, 'text');
		if (type === 'string' && typeof v === 'string' && def.max_length && v.length > Number(def.max_length))
			throw bad(field, `at most ${def.max_length} characters`);
	}
}
