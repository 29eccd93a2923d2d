/**
 * CR-1: the requirements of an order or contract, captured by category (quality, delivery,
 * support service) and by where they come from (stated by the customer, implied by the intended
 * use, statutory/regulatory, added by the company).
 */
import { DomainError } from '../errors';

export const REQUIREMENT_CATEGORIES = ['quality', 'delivery', 'support'] as const;
export const REQUIREMENT_SOURCES = ['stated', 'implied', 'statutory', 'company'] as const;

export interface Requirement {
	category: (typeof REQUIREMENT_CATEGORIES)[number];
	source: (typeof REQUIREMENT_SOURCES)[number];
	text: string;
}

/** Returns the requirements as a clean list, or throws naming the entry and what is wrong. */
export function parseRequirements(value: unknown): Requirement[] {
	let list = value;
	if (typeof list === 'string') {
		try {
			list = JSON.parse(list);
		} catch {
			throw new DomainError('CP_INVALID_VALUE', `requirements must be a JSON list (CR-1)`, { field: 'requirements' });
		}
	}
	if (list == null) return [];
	if (!Array.isArray(list))
		throw new DomainError('CP_INVALID_VALUE', `requirements must be a list of {category, source, text} (CR-1)`, { field: 'requirements' });
	if (list.length > 200) throw new DomainError('CP_INVALID_VALUE', `requirements: at most 200 entries`, { field: 'requirements' });
	return list.map((r: any, i: number) => {
		const where = `requirements[${i}]`;
		if (!r || typeof r !== 'object')
			throw new DomainError('CP_INVALID_VALUE', `${where} must be an object {category, source, text} (CR-1)`, { field: 'requirements' });
		if (!REQUIREMENT_CATEGORIES.includes(r.category))
			throw new DomainError('CP_INVALID_VALUE', `${where}.category must be one of ${REQUIREMENT_CATEGORIES.join(', ')} (CR-1)`, { field: 'requirements' });
		if (!REQUIREMENT_SOURCES.includes(r.source))
			throw new DomainError('CP_INVALID_VALUE', `${where}.source must be one of ${REQUIREMENT_SOURCES.join(', ')} (CR-1)`, { field: 'requirements' });
		if (typeof r.text !== 'string' || !r.text.trim() || r.text.length > 2000)
			throw new DomainError('CP_INVALID_VALUE', `${where}.text must be 1 to 2000 characters (CR-1)`, { field: 'requirements' });
		return { category: r.category, source: r.source, text: r.text.trim() };
	});
}
