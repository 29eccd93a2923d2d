/**
 * CP-1 intake through the public web form, without an account: the customer names their
 * customer code and the e-mail address on record. The form must not let anyone find out
 * which code/e-mail pairs exist, so every refusal (a missing or malformed field, an unknown
 * field, an unknown code, a wrong e-mail, an archived customer) is the same answer, and the
 * shape is checked in full before the pair is looked at.
 */
import { DomainError, isBlank } from '../errors';
import { TEXT_LIMITS } from './intake';

export const WEB_FORM_FIELDS = ['customer_code', 'email', 'summary', 'description', 'product', 'batch'] as const;

const REQUIRED = ['customer_code', 'email', 'summary'] as const;

/** Longest accepted value per field; the complaint's own limits where it has them. */
const LIMITS: Record<(typeof WEB_FORM_FIELDS)[number], number> = {
	customer_code: 255,
	email: 255,
	summary: TEXT_LIMITS.summary!,
	description: TEXT_LIMITS.description!,
	product: TEXT_LIMITS.product!,
	batch: TEXT_LIMITS.batch!,
};

export const WEB_FORM_REFUSED_MESSAGE =
	`The form was not accepted. Check that the customer code and the e-mail address are the ones we have on record for you, ` +
	`that the summary is filled in (at most ${LIMITS.summary} characters), and that the form sends only ${WEB_FORM_FIELDS.join(', ')}.`;

/** The one answer for every refused web form (no field named: naming one would tell which half was right). */
export const webFormRefused = (): DomainError => new DomainError('CP_INVALID_VALUE', WEB_FORM_REFUSED_MESSAGE);

export interface WebForm {
	customerCode: string;
	email: string;
	summary: string;
	description: string | null;
	product: string | null;
	batch: string | null;
}

/** Checks the shape of the submitted form; throws webFormRefused() for anything wrong. */
export function parseWebForm(body: unknown): WebForm {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw webFormRefused();
	const b = body as Record<string, unknown>;
	if (Object.keys(b).some((k) => !(WEB_FORM_FIELDS as readonly string[]).includes(k))) throw webFormRefused();
	for (const f of WEB_FORM_FIELDS) {
		const v = b[f];
		if (v === undefined || v === null) {
			if ((REQUIRED as readonly string[]).includes(f)) throw webFormRefused();
			continue;
		}
		if (typeof v !== 'string' || v.length > LIMITS[f]) throw webFormRefused();
		if ((REQUIRED as readonly string[]).includes(f) && isBlank(v)) throw webFormRefused();
	}
	const opt = (f: 'description' | 'product' | 'batch') => (typeof b[f] === 'string' ? (b[f] as string) : null);
	return {
		customerCode: (b.customer_code as string).trim(),
		email: (b.email as string).trim(),
		summary: b.summary as string,
		description: opt('description'),
		product: opt('product'),
		batch: opt('batch'),
	};
}

/** The customer record the code names, as far as the web form is concerned. */
export interface WebFormCustomer {
	email?: string | null;
	status?: string | null;
}

/** True when the code names an active customer whose e-mail on record is the one given (case-insensitive). */
export function webFormCustomerMatches(customer: WebFormCustomer | null | undefined, form: Pick<WebForm, 'email'>): boolean {
	if (!customer || customer.status === 'archived') return false;
	const onRecord = String(customer.email ?? '')
		.trim()
		.toLowerCase();
	return onRecord !== '' && onRecord === form.email.toLowerCase();
}
