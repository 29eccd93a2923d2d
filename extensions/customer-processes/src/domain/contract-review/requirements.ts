/**
 * CR-1: the requirements of an order or contract, captured by category (quality, delivery,
 * support service) and by where they come from (stated by the customer, implied by the intended
 * use, statutory/regulatory, added by the company).
 */
import { DomainError } from '../errors';
import { fieldLabel } from '../policy/labels';

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
			throw new DomainError(
				'CP_INVALID_VALUE',
				`${fieldLabel('cp_contracts', 'requirements')}：请逐行填写类别、来源与要求 / enter one row per requirement (category, source, text)`,
				{
					field: 'requirements',
				},
			);
		}
	}
	if (list == null) return [];
	if (!Array.isArray(list))
		throw new DomainError(
			'CP_INVALID_VALUE',
			`${fieldLabel('cp_contracts', 'requirements')}：请逐行填写类别、来源与要求 / enter one row per requirement (category, source, text)`,
			{
				field: 'requirements',
			},
		);
	if (list.length > 200) throw new DomainError('CP_INVALID_VALUE', `requirements: at most 200 entries`, { field: 'requirements' });
	return list.map((r: any, i: number) => {
		// Named as the form names them (issue #12): the field's label, the row's number, the column's label.
		const where = (zh: string, en: string) => `${fieldLabel('cp_contracts', 'requirements')} 第 ${i + 1} 行「${zh}」/ row ${i + 1}, ${en}`;
		if (!r || typeof r !== 'object')
			throw new DomainError('CP_INVALID_VALUE', `${where('类别、来源、要求', 'category, source and requirement')}：请逐项填写 / fill in each column`, {
				field: 'requirements',
			});
		if (!REQUIREMENT_CATEGORIES.includes(r.category))
			throw new DomainError('CP_INVALID_VALUE', `${where('类别', 'Category')}：请选择质量、交付或支持服务 / choose quality, delivery or support service`, {
				field: 'requirements',
			});
		if (!REQUIREMENT_SOURCES.includes(r.source))
			throw new DomainError(
				'CP_INVALID_VALUE',
				`${where('来源', 'Source')}：请选择顾客明示、预期用途隐含、法律法规或公司附加 / choose stated, implied, statutory or company`,
				{
					field: 'requirements',
				},
			);
		if (typeof r.text !== 'string' || !r.text.trim() || r.text.length > 2000)
			throw new DomainError('CP_INVALID_VALUE', `${where('要求', 'Requirement')}：须为 1 至 2000 字 / 1 to 2000 characters`, { field: 'requirements' });
		return { category: r.category, source: r.source, text: r.text.trim() };
	});
}
