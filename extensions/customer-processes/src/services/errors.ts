// Maps domain errors to Directus errors, so the API answers with the domain's stable code,
// its HTTP status and a message naming the field or rule.
import { createError } from '@directus/errors';
import { DomainError, isDomainError } from '../domain/errors';

type ErrorClass = new (extensions: Record<string, unknown>) => Error;
const classes = new Map<string, ErrorClass>();

export function toDirectusError(e: DomainError): Error {
	const key = `${e.code}:${e.status}`;
	let C = classes.get(key);
	if (!C) {
		C = createError<Record<string, unknown>>(e.code, (ext) => String(ext.message), e.status) as unknown as ErrorClass;
		classes.set(key, C);
	}
	return new C({ message: e.message, ...(e.field ? { field: e.field } : {}), ...(e.details ?? {}) });
}

/** Wraps a hook/endpoint handler so that domain errors leave as Directus errors. */
export function translated<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
	return async (...args: A) => {
		try {
			return await fn(...args);
		} catch (e) {
			if (isDomainError(e)) throw toDirectusError(e);
			throw e;
		}
	};
}

/** 401 for /cp routes that need a logged-in person; the same code Directus uses for bad logins. */
export const LoginRequiredError = createError<{ what: string }>('INVALID_CREDENTIALS', ({ what }) => `Log in to ${what}`, 401);
