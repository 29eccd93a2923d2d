/** Bilingual labels of the choice values printed on the forms: the schema's choices come from the catalogue. */
import { bilingual, CATALOGUE } from '../catalogue';

export const CONTRACT_KIND = bilingual(CATALOGUE.cp_contracts.kind);
export const CONTRACT_CHANNEL = bilingual(CATALOGUE.cp_contracts.channel);
export const CONTRACT_CLASS = bilingual(CATALOGUE.cp_contracts.class);
export const CONTRACT_STATUS = bilingual(CATALOGUE.cp_contracts.status);
export const REVIEW_STAGE = bilingual(CATALOGUE.cp_review_lines.stage);
export const REVIEW_DECISION = bilingual(CATALOGUE.cp_review_lines.decision);
export const DISCREPANCY_STATUS = bilingual(CATALOGUE.cp_discrepancies.status);
export const CONFIRMATION_METHOD = bilingual(CATALOGUE.cp_contracts.customer_confirmation_method);
export const REQUIREMENT_CATEGORY: Readonly<Record<string, string>> = { quality: '质量 Quality', delivery: '交付 Delivery', support: '支持/服务 Support' };
export const REQUIREMENT_SOURCE: Readonly<Record<string, string>> = {
	stated: '顾客明示 Stated',
	implied: '隐含 Implied',
	statutory: '法律法规 Statutory',
	company: '公司附加 Company',
};
export const CHANGE_KIND = bilingual(CATALOGUE.cp_changes.kind);
export const CHANGE_STATUS = bilingual(CATALOGUE.cp_changes.status);
export const CHANGE_CONFIRMATION_METHOD = bilingual(CATALOGUE.cp_changes.customer_confirmation_method);
export const CHANGE_CONSEQUENCE = bilingual(CATALOGUE.cp_changes.consequence);
export const SAMPLE_KIND = bilingual(CATALOGUE.cp_samples.kind);
export const SAMPLE_STATUS = bilingual(CATALOGUE.cp_samples.status);
export const INSPECTION_RESULT = bilingual(CATALOGUE.cp_samples.inspection_result);
export const PROPERTY_STATUS = bilingual(CATALOGUE.cp_property.status);
