import { describe, expect, it } from 'vitest';
import { parseRequirements } from '../../extensions/customer-processes/src/domain/contract-review/requirements';
import { catchError } from './catch-error';

describe('CR-1 requirements by category and source', () => {
	it('accepts a list (or its JSON text) and trims the text', () => {
		expect(parseRequirements([{ category: 'quality', source: 'statutory', text: ' GB 4806.8 ' }])).toEqual([
			{ category: 'quality', source: 'statutory', text: 'GB 4806.8' },
		]);
		expect(parseRequirements('[{"category":"delivery","source":"stated","text":"每月 5 日前交货"}]')).toHaveLength(1);
		expect(parseRequirements(null)).toEqual([]);
	});
	it('names the entry and the rule when something is wrong', () => {
		expect(catchError(() => parseRequirements([{ category: 'price', source: 'stated', text: 'x' }])).message).toMatch(
			/产品要求 Requirements 第 1 行「类别」.*Category/,
		);
		expect(catchError(() => parseRequirements([{ category: 'quality', source: 'rumour', text: 'x' }])).message).toMatch(/第 1 行「来源」.*Source/);
		expect(catchError(() => parseRequirements([{ category: 'quality', source: 'stated', text: '' }])).message).toMatch(/「要求」.*Requirement/);
		expect(catchError(() => parseRequirements('{not json')).code).toBe('CP_INVALID_VALUE');
		expect(catchError(() => parseRequirements({ category: 'quality' })).field).toBe('requirements');
	});
});
