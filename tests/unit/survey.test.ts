import { describe, expect, it } from 'vitest';
import { DEFAULT_SURVEY_TEMPLATE, scoreSurvey, surveyTemplate } from '../../extensions/customer-processes/src/domain/communication/communication';
import { catchError } from './catch-error';

describe('CC-4 questionnaire template and score', () => {
	const all = { quality: 5, delivery: 4, service: 4, communication: 5, price: 3 };
	it('scores a fully answered questionnaire as the mean rating in percent', () => {
		expect(scoreSurvey(DEFAULT_SURVEY_TEMPLATE, all, undefined).score).toBe(84);
	});
	it('keeps a given score and leaves a partly answered one unscored', () => {
		expect(scoreSurvey(DEFAULT_SURVEY_TEMPLATE, all, 90).score).toBe(90);
		expect(scoreSurvey(DEFAULT_SURVEY_TEMPLATE, { quality: 5 }, undefined).score).toBeUndefined();
	});
	it("refuses a rating outside the question's scale, naming the question", () => {
		expect(catchError(() => scoreSurvey(DEFAULT_SURVEY_TEMPLATE, { ...all, quality: 6 }, undefined)).message).toMatch(
			/Answers, Product quality must be a whole rating from 1 to 5/,
		);
		expect(catchError(() => scoreSurvey(DEFAULT_SURVEY_TEMPLATE, { ...all, price: 2.5 }, undefined)).field).toBe('answers');
	});
	it('uses the company template when it is well formed, the default otherwise', () => {
		const t = surveyTemplate([{ key: 'slump', en: 'Slump on arrival', zh: '到场坍落度', scale: 10 }]);
		expect(t).toEqual([{ key: 'slump', en: 'Slump on arrival', zh: '到场坍落度', scale: 10 }]);
		expect(scoreSurvey(t, { slump: 7 }, undefined).score).toBe(70);
		expect(surveyTemplate([{ key: 'x', scale: 1 }])).toEqual(DEFAULT_SURVEY_TEMPLATE);
		expect(surveyTemplate(null)).toEqual(DEFAULT_SURVEY_TEMPLATE);
	});
});
