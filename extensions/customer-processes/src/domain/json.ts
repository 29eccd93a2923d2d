/** A JSON column as a value: SQLite and MariaDB hand JSON back as text, PostgreSQL as objects. */
export function parseJson<T>(v: unknown, fallback: T): T {
	if (v === null || v === undefined || v === '') return fallback;
	if (typeof v === 'string') {
		try {
			return JSON.parse(v) as T;
		} catch {
			return fallback;
		}
	}
	return v as T;
}
