// Refusals in one language (issue #12): worked examples of the domain's messages as a zh-CN and an
// English user read them; department names from the procedures (Doc 1 4.2.2: 生产部, 采购部, 市场部).
import { describe, expect, it } from 'vitest';
import { errorTitle, errorTitles, forPeople, localizeMessage, stripRequirementIds, uiLang } from '../../extensions/customer-processes/src/domain/error-text';
import { ERROR_STATUS } from '../../extensions/customer-processes/src/domain/errors';

const HAN = /[\u4e00-\u9fff]/;

describe('messages in the user’s language', () => {
	it('a contract signed before its review: Chinese for zh-CN, English otherwise, no requirement ids, departments by name', () => {
		const m = 'Contract cannot be signed: review lines pending for 生产部 Production, 采购部 Purchasing (CR-11); 2 discrepancies are not closed (CR-5)';
		expect(localizeMessage(m, 'zh')).toBe('合同不能签订：待以下部门评审签字：生产部, 采购部；2 项评审分歧未关闭');
		expect(localizeMessage(m, 'en')).toBe('Contract cannot be signed: review lines pending for Production, Purchasing; 2 discrepancies are not closed');
	});

	it('a refused step with a bilingual head names the field by its label in each language (CR-14)', () => {
		const m =
			'变更申请不能改为「已批准」/ cannot move the change request: 顾客书面同意时间 Customer written consent：批准前须征得顾客书面同意 / the customer’s written consent comes before the approval';
		expect(localizeMessage(m, 'zh', { collection: 'cp_changes' })).toBe('变更申请不能改为「已批准」：顾客书面同意时间：批准前须征得顾客书面同意');
		expect(localizeMessage(m, 'en', { collection: 'cp_changes' })).toBe(
			'cannot move the change request: Customer written consent: the customer’s written consent comes before the approval',
		);
	});

	it('a bilingual policy refusal keeps the field label of the language and its own half', () => {
		const m =
			'书面答复内容 Written response：状态为「已关闭 Closed」时不能修改 / cannot be changed in this status；请改用更正记录 / make a recorded correction instead';
		expect(localizeMessage(m, 'zh')).toBe('书面答复内容：状态为「已关闭」时不能修改；请改用更正记录');
		expect(localizeMessage(m, 'en')).toBe('Written response: cannot be changed in this status; make a recorded correction instead');
	});

	it('internal keys become names: a department key, a field key of the collection, a quoted status', () => {
		expect(localizeMessage('Only a member of production can sign its review line (CR-4)', 'en')).toBe('Only a member of Production can sign its review line');
		expect(localizeMessage('Only a member of production can sign its review line (CR-4)', 'zh')).toBe('只有生产部的成员可以进行此操作');
		expect(localizeMessage('due_at cannot be in the past (CP-3)', 'en', { collection: 'cp_actions' })).toBe('Due cannot be in the past');
		expect(localizeMessage('The route reason needs deputy_gm', 'en')).toBe('The route reason needs Deputy GM');
		const t = localizeMessage("Complaint cannot move from 'received' to 'closed'; allowed from 'received': investigating", 'zh', {
			collection: 'cp_complaints',
		});
		expect(t).toMatch(/^投诉不能从「.+」变为「.+」/);
		expect(t).not.toMatch(/received|closed|investigating/);
	});

	it('requirement ids are left out in and out of brackets', () => {
		expect(stripRequirementIds('needs an opinion (CR-4)')).toBe('needs an opinion');
		expect(stripRequirementIds('CR-8/CR-11: new customers get a full review')).toBe('new customers get a full review');
		expect(stripRequirementIds('必须进行完整评审（CR-8）')).toBe('必须进行完整评审');
	});

	it('the language of a Directus user', () => {
		expect([uiLang('zh-CN'), uiLang('en-US'), uiLang(null)]).toEqual(['zh', 'en', 'en']);
	});
});

describe('titles of the error codes', () => {
	it('every code has a title in both languages, including a code without its own (built from the code)', () => {
		expect(errorTitles().map((t) => t.key)).toEqual(Object.keys(ERROR_STATUS).map((c) => `errors.${c}`));
		for (const t of errorTitles()) {
			expect(t.zh, t.key).toMatch(HAN);
			expect(t.en, t.key).not.toMatch(/CP_|_/);
		}
		expect(errorTitle('CP_REVIEW_INCOMPLETE', 'zh')).toBe('评审未完成');
		expect(errorTitle('CP_PRICE_CHANGE_UNAPPROVED', 'en')).toBe('Price change unapproved');
		expect(errorTitle('CP_PRICE_CHANGE_UNAPPROVED', 'zh')).toMatch(HAN);
	});
});

describe('texts the process writes for people', () => {
	it('the review route’s reason names departments and drops requirement ids', () => {
		expect(forPeople('Regular contract: review by production, purchasing, sales (CR-7)', 'en')).toBe(
			'Regular contract: review by Production, Purchasing, Sales',
		);
		expect(forPeople('常规合同：由 production、purchasing 评审（CR-7）', 'zh')).toBe('常规合同：由 生产部、采购部 评审');
		expect(forPeople('x; major contract: approval by deputy_gm, gm added (CR-7)', 'en')).toBe(
			'x; major contract: approval by Deputy GM, General Manager added',
		);
	});
});
