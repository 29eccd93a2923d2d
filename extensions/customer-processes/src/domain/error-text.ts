/**
 * What a refusal says to the person who sees it: a title per error code and the message in the
 * user's language (zh-CN or English), naming fields by their labels, departments and statuses by
 * their names, without requirement ids (CR-4, PR-2... belong in docs and logs) or internal keys.
 * The domain's messages stay as they are (bilingual "中文 / English", or English); this turns
 * them into one language at the edge (services/error-language.ts). Pure.
 */
import { ERROR_STATUS, type DomainErrorCode } from './errors';
import { CATALOGUE, DEPARTMENTS } from './catalogue';
import { FIELD_LABELS } from './policy/labels.generated';

export type UiLang = 'zh' | 'en';

/** A Directus language code ('zh-CN', 'en-US', null) as the language of the bundle's texts. */
export function uiLang(language: unknown): UiLang {
	return String(language ?? '')
		.toLowerCase()
		.startsWith('zh')
		? 'zh'
		: 'en';
}

/** Titles of the codes, as the app's error dialog shows them (`errors.<code>`). */
const TITLES: Partial<Record<DomainErrorCode, { zh: string; en: string }>> = {
	CP_INVALID_VALUE: { zh: '输入有误', en: 'Invalid value' },
	CP_REQUIRED_FIELDS_MISSING: { zh: '必填项未填写', en: 'Required fields missing' },
	CP_OPINION_REQUIRED: { zh: '需填写评审意见', en: 'Opinion required' },
	CP_RESOLUTION_REQUIRED: { zh: '需填写处理结果', en: 'Resolution required' },
	CP_EVIDENCE_REQUIRED: { zh: '需附证据', en: 'Evidence required' },
	CP_ONE_AT_A_TIME: { zh: '请逐条修改', en: 'One record at a time' },
	CP_NOT_DEPARTMENT_MEMBER: { zh: '不属于负责部门', en: 'Not your department' },
	CP_RETAINED: { zh: '记录在保存期内', en: 'Record is retained' },
	CP_SYSTEM_ONLY: { zh: '由流程自动填写', en: 'Set by the process' },
	CP_READ_FORBIDDEN: { zh: '无权查看', en: 'Not allowed to read' },
	CP_ADMIN_ONLY: { zh: '仅管理员可修改', en: 'Administrators only' },
	CP_EXPORT_BUSY: { zh: '导出繁忙,请稍后再试', en: 'Exports busy, try again later' },
	CP_ILLEGAL_TRANSITION: { zh: '不允许的状态变更', en: 'Status change not allowed' },
	CP_RECORD_FROZEN: { zh: '记录已锁定', en: 'Record is closed' },
	CP_REVIEW_INCOMPLETE: { zh: '评审未完成', en: 'Review incomplete' },
	CP_OPEN_DISCREPANCIES: { zh: '仍有未关闭的评审分歧', en: 'Open discrepancies' },
	CP_ORAL_ORDER_UNCONFIRMED: { zh: '口头订单未确认', en: 'Oral order not confirmed' },
	CP_ORAL_ORDERS_REFUSED: { zh: '不接受口头订单', en: 'Oral orders refused' },
	CP_FORMAL_CONTRACT_REQUIRED: { zh: '需签订正式合同', en: 'Formal contract required' },
	CP_TASK_NOTICE_MISSING: { zh: '缺少任务通知单', en: 'Task notice missing' },
	CP_TERMINATION_NOT_SIGNED: { zh: '终止协议未签署', en: 'Termination not signed' },
	CP_LINE_ALREADY_SIGNED: { zh: '评审行已签署', en: 'Review line already signed' },
	CP_CUSTOMER_CONSENT_REQUIRED: { zh: '需顾客同意', en: 'Customer consent required' },
	CP_CHANGE_NOT_ALLOWED: { zh: '不能修改', en: 'Change not allowed' },
	CP_COMPLAINT_NOT_CLOSABLE: { zh: '投诉尚不能关闭', en: 'Complaint cannot be closed yet' },
	CP_INVESTIGATION_INCOMPLETE: { zh: '调查未完成', en: 'Investigation incomplete' },
	CP_RESPONSE_NOT_SENT: { zh: '书面答复未发出', en: 'Written response not sent' },
	CP_VERIFICATION_NOT_REJECTED: { zh: '顾客未拒绝验证', en: 'Verification not rejected' },
	CP_PROPERTY_BLOCKED: { zh: '顾客财产已冻结', en: 'Property blocked' },
	CP_DISPOSITION_REQUIRED: { zh: '需确定处置方式', en: 'Disposition required' },
	CP_NO_OPEN_PROBLEM: { zh: '没有未处理的问题', en: 'No open problem' },
	CP_INSPECTION_REQUIRED: { zh: '需先验证', en: 'Inspection required' },
	CP_CUSTOMER_ACK_REQUIRED: { zh: '需顾客确认', en: 'Customer acknowledgement required' },
	CP_EVENT_NOT_ALLOWED: { zh: '不允许的记录', en: 'Event not allowed' },
	CP_DUPLICATE_CODE: { zh: '编号重复', en: 'Duplicate number' },
	CP_EVENT_REQUIRED: { zh: '需通过事件记录', en: 'Record an event instead' },
	CP_DUPLICATE_COMPLAINT: { zh: '投诉重复', en: 'Duplicate complaint' },
	CP_DUPLICATE_SURVEY: { zh: '调查重复', en: 'Duplicate survey' },
	CP_CLOCK_ALREADY_PAUSED: { zh: '计时已暂停', en: 'Clock already paused' },
	CP_CLOCK_NOT_PAUSED: { zh: '计时未暂停', en: 'Clock not paused' },
	CP_ACTION_NOT_ALLOWED: { zh: '不允许此操作', en: 'Not allowed now' },
	CP_LINK_INVALID: { zh: '链接无效', en: 'Link not valid' },
	CP_RATE_LIMITED: { zh: '请求过于频繁', en: 'Too many requests' },
	CP_AUDIT_UNAVAILABLE: { zh: '审核记录不可用', en: 'Audit trail unavailable' },
};

/** A code without a title of its own is named by its kind (its HTTP status). */
const BY_STATUS: Record<number, { zh: string; en: string }> = {
	400: { zh: '输入有误', en: 'Invalid input' },
	403: { zh: '无权进行此操作', en: 'Not allowed' },
	404: { zh: '未找到', en: 'Not found' },
	409: { zh: '当前状态不允许此操作', en: 'Not possible in this status' },
	429: { zh: '请求过于频繁', en: 'Too many requests' },
	503: { zh: '暂时无法处理', en: 'Temporarily unavailable' },
};

/** "CP_PRICE_CHANGE_UNAPPROVED" -> "Price change unapproved". */
const fromCode = (code: string) => {
	const words = code.replace(/^CP_/, '').toLowerCase().replace(/_/g, ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The dialog title of a code in a language; every code of ERROR_STATUS has one, including codes added later. */
export function errorTitle(code: string, lang: UiLang): string {
	const own = TITLES[code as DomainErrorCode];
	if (own) return own[lang];
	const status = (ERROR_STATUS as Record<string, number>)[code] ?? 400;
	return lang === 'en' ? fromCode(code) : (BY_STATUS[status] ?? BY_STATUS[400]!).zh;
}

/** Every code's title in both languages: what the app's translation strings get (`errors.<code>`). */
export function errorTitles(): { key: string; zh: string; en: string }[] {
	return Object.keys(ERROR_STATUS).map((code) => ({ key: `errors.${code}`, zh: errorTitle(code, 'zh'), en: errorTitle(code, 'en') }));
}

// ------------------------------------------------------------------ the message in one language

/** (CR-4), (CR-2/CR-6), "CR-9:" — requirement ids, in or out of brackets. */
const REQ_ID = String.raw`(?:CR|CP|PR|CC|X|RD)-\d+[a-z]?`;
const REQ_IDS = new RegExp(
	String.raw`\s*[(（]\s*${REQ_ID}(?:\s*(?:[,/、;]|and|\.\.)\s*${REQ_ID})*\s*[)）]|\b${REQ_ID}(?:\s*(?:[,/]|\.\.)\s*${REQ_ID})*\s*[:：]\s*|\s*\b${REQ_ID}\b`,
	'g',
);

export function stripRequirementIds(text: string): string {
	return text
		.replace(REQ_IDS, '')
		.replace(/\s+([;,.])/g, '$1')
		.replace(/\s{2,}/g, ' ')
		.trim();
}

const HAN = /[\u3400-\u9fff]/;
/** A protected label pair in a message being split: \u0001<n>\u0002 (built from text: no control characters in a literal). */
const HELD = new RegExp(`${String.fromCharCode(1)}(\\d+)${String.fromCharCode(2)}`, 'g');

/** Every "中文 English" label pair the screens use (fields, departments, choices), longest first. */
const PAIRS: { zh: string; en: string }[] = (() => {
	const out = new Map<string, { zh: string; en: string }>();
	for (const fields of Object.values(FIELD_LABELS)) for (const [en, zh] of Object.values(fields)) if (en !== zh) out.set(`${zh} ${en}`, { zh, en });
	for (const choices of Object.values(CATALOGUE as Record<string, Record<string, readonly (readonly [string, string, string])[]>>))
		for (const list of Object.values(choices)) for (const [, en, zh] of list) out.set(`${zh} ${en}`, { zh, en });
	for (const [, en, zh] of DEPARTMENTS) out.set(`${zh} ${en}`, { zh, en });
	return [...out.values()].sort((a, b) => b.zh.length + b.en.length - (a.zh.length + a.en.length));
})();

/** Internal keys a message may name: departments, then fields and choice values, with their names. */
const KEYS: Map<string, { zh: string; en: string }> = (() => {
	const out = new Map<string, { zh: string; en: string }>();
	for (const fields of Object.values(FIELD_LABELS))
		for (const [key, [en, zh]] of Object.entries(fields)) if (key.includes('_') && !out.has(key)) out.set(key, { zh, en });
	for (const choices of Object.values(CATALOGUE as Record<string, Record<string, readonly (readonly [string, string, string])[]>>))
		for (const list of Object.values(choices)) for (const [key, en, zh] of list) if (!out.has(key)) out.set(key, { zh, en });
	for (const [key, en, zh] of DEPARTMENTS) out.set(key, { zh, en });
	return out;
})();

/** A collection's own field labels and choice labels (its 'closed' is its own status), as [en, zh]. */
function collectionNames(collection: string): Record<string, readonly [string, string]> {
	const out: Record<string, readonly [string, string]> = { ...(FIELD_LABELS[collection] ?? {}) };
	const choices = (CATALOGUE as Record<string, Record<string, readonly (readonly [string, string, string])[]>>)[collection] ?? {};
	for (const list of Object.values(choices)) for (const [key, en, zh] of list) out[key] = [en, zh];
	return out;
}

/** Names instead of keys: 'responded' -> 已答复 / Responded, deputy_gm -> 副总经理 / Deputy GM, due_at -> its label. */
function nameKeys(text: string, lang: UiLang, preferred: Record<string, readonly [string, string]> | undefined): string {
	// Quoted keys ('responded', "production"), then bare keys with an underscore (deputy_gm, due_at).
	let out = text.replace(/(['"‘“「])([a-z][a-z0-9_]*)(['"’”」])/g, (m, _o, key: string) => {
		const own = preferred?.[key];
		const name = own ? { en: own[0], zh: own[1] } : KEYS.get(key);
		return name ? (lang === 'zh' ? `「${name.zh}」` : `'${name.en}'`) : m;
	});
	out = out.replace(/\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g, (m, key: string) => {
		const own = preferred?.[key];
		const name = own ? { en: own[0], zh: own[1] } : KEYS.get(key);
		return name ? name[lang] : m;
	});
	return departmentsNamed(out, lang);
}

/** Department keys without an underscore, where a sentence names a department ("Only a member of production"). */
function departmentsNamed(text: string, lang: UiLang): string {
	return text.replace(/\b(member of|Only|for|by|to|of|or|and) ([a-z]+)\b/g, (m, lead: string, key: string) => {
		const d = DEPARTMENTS.find(([k]) => k === key);
		return d ? `${lead} ${lang === 'zh' ? d[2] : d[1]}` : m;
	});
}

/** Common English sentences of the domain, said in Chinese (the rest keeps its English wording). */
const ZH_SENTENCES: [RegExp, (...m: string[]) => string][] = [
	[
		/^([^:]+?) cannot move from ([^:]+?) to ([^:]+?); allowed from .+?: none \(final status\)$/,
		(_m, what, from, to) => `${MACHINES[what] ?? what}不能从${from}变为${to}：该状态为最终状态`,
	],
	[
		/^([^:]+?) cannot move from ([^:]+?) to ([^:]+?); allowed from .+?: ([^:]+)$/,
		(_m, what, from, to, allowed) => `${MACHINES[what] ?? what}不能从${from}变为${to}；当前可变为：${allowed}`,
	],
	[/^([^:]+?) cannot move from ([^:]+?) to ([^:]+?)$/, (_m, what, from, to) => `${MACHINES[what] ?? what}不能从${from}变为${to}`],
	[/^allowed from ([^:]+?): none \(final status\)$/, () => '该状态为最终状态'],
	[
		/^allowed from ([^:]+?): ([^:]+)$/,
		(_m, _from, list) =>
			`当前可变为：${list
				.split(', ')
				.map((k) => KEYS.get(k)?.zh ?? k)
				.join('、')}`,
	],
	[/^Contract cannot be ([^:]+)$/, (_m, verb) => `合同不能${ZH_VERBS[verb] ?? verb}`],
	[/^review lines pending for ([^:]+)$/, (_m, who) => `待以下部门评审签字：${who}`],
	[/^the review is not complete$/, () => '评审尚未完成'],
	[/^(\d+) discrepanc(?:y is|ies are) not closed$/, (_m, n) => `${n} 项评审分歧未关闭`],
	[/^([^:]+?) must be a date\/time \(ISO 8601\)$/, (_m, f) => `${f}须为日期时间`],
	[/^([^:]+?) cannot be in the future$/, (_m, f) => `${f}不能晚于当前时间`],
	[/^([^:]+?) must be text of at most (\d+) characters$/, (_m, f, n) => `${f}最多 ${n} 个字符`],
	[/^([^:]+?) is required$/, (_m, f) => `${f}为必填项`],
	[/^([^:]+?) are required$/, (_m, f) => `${f}为必填项`],
	[/^Only a member of ([^:]+?) can ([^:]+)$/, (_m, d) => `只有${d}的成员可以进行此操作`],
	[/^Only ([^:]+?) (?:can|may) ([^:]+)$/, (_m, d) => `只有${d}可以进行此操作`],
	[/^This is for ([^:]+)$/, (_m, d) => `此操作由${d}进行`],
	[/^The (complaint|action|survey|contract) changed meanwhile.*$/, () => '记录已被他人修改，请刷新后重试'],
	[/^This link is not valid or has expired$/, () => '此链接无效或已过期'],
	[/^Too many requests; try again in a minute$/, () => '请求过于频繁，请一分钟后再试'],
	[/^Log in (?:to )?(.*)$/, () => '请先登录'],
	[/^This survey is already answered$/, () => '此调查已填写'],
];
/** What a transition table is about, as lookupTransition names it. */
const MACHINES: Record<string, string> = {
	Contract: '合同',
	Complaint: '投诉',
	Action: '纠正措施',
	'Corrective action': '纠正措施',
	Discrepancy: '评审分歧',
	'Customer property': '顾客财产',
	Sample: '样品',
	'Tooling estimate': '工装估价',
	Change: '变更',
	'Change request': '变更申请',
	'Task notice': '任务通知单',
	Survey: '满意度调查',
};
const ZH_VERBS: Record<string, string> = {
	'submitted for review': '提交评审',
	'marked reviewed': '标记为评审完成',
	withdrawn: '撤回',
	signed: '签订',
	'sent back to review': '退回重新评审',
	'released to production': '下达生产',
	completed: '完成',
	cancelled: '取消',
	terminated: '终止',
};

/** A sentence ("中文 / English", or English only) in one language; `\u0001n\u0002` are protected label pairs. */
function sentence(part: string, lang: UiLang): string {
	const slash = part.indexOf(' / ');
	if (slash > 0 && HAN.test(part.slice(0, slash))) return lang === 'zh' ? part.slice(0, slash) : part.slice(slash + 3);
	return (lang === 'zh' && zhSentence(part)) || part;
}

/** An English-only sentence the domain often says, in Chinese; null when it is not one of them. */
function zhSentence(part: string): string | null {
	if (HAN.test(part)) return null;
	const plain = departmentsNamed(part.trim(), 'zh');
	for (const [re, say] of ZH_SENTENCES) {
		const m = re.exec(plain);
		if (m) return say(...m);
	}
	return null;
}

/** "Prefix: rest" (English prefix) and "标签：rest" (a label) keep their head; the rest is a sentence. */
function clause(part: string, lang: UiLang): string {
	const sep = lang === 'zh' ? '：' : ': ';
	const whole = lang === 'zh' ? zhSentence(part) : null;
	if (whole) return whole;
	// "中文 / English: rest" (a bilingual head, as throwIfFailures writes it): the head in the language, then the rest.
	const bi = /^([^:：]*?[\u3400-\u9fff][^:：]*?)\s?\/ ([^:：\u3400-\u9fff]+?): (.+)$/s.exec(part);
	if (bi) return `${(lang === 'zh' ? bi[1]! : bi[2]!).trim()}${sep}${clause(bi[3]!, lang)}`;
	const en = /^([^:：/]{1,160}?): (.+)$/s.exec(part);
	if (en && !HAN.test(en[1]!)) return `${sentence(en[1]!, lang)}${sep}${clause(en[2]!, lang)}`;
	const zh = /^([^：/]{1,200}?)：(.+)$/s.exec(part);
	if (zh && zh[1]!.includes('\u0001') && zh[2]!.includes(' / ')) return `${zh[1]}${sep}${sentence(zh[2]!, lang)}`;
	return sentence(part, lang);
}

export interface LocalizeContext {
	/** The collection the refused write was for, so a field key is named by that collection's label. */
	collection?: string | undefined;
}

/**
 * A domain message in one language. Worked example (zh): "Contract cannot be signed: review lines
 * pending for 研发部 Technical / R&D (CR-11)" -> "合同不能签订：待以下部门评审签字：研发部".
 */
export function localizeMessage(message: string, lang: UiLang, ctx: LocalizeContext = {}): string {
	let text = stripRequirementIds(message);
	// "中文 English" label pairs are protected (their English may hold " / "), restored in the language.
	const held: string[] = [];
	for (const p of PAIRS) {
		const pair = `${p.zh} ${p.en}`;
		if (!text.includes(pair)) continue;
		held.push(p[lang]);
		text = text.split(pair).join(`\u0001${held.length - 1}\u0002`);
	}
	// Clauses: "; " or "；". An English clause right after a bilingual one is the rest of its English half.
	const raw = text.split(/; |；/);
	const clauses: string[] = [];
	let openEnglish = false;
	for (const c of raw) {
		if (openEnglish && !HAN.test(c)) {
			clauses[clauses.length - 1] += `; ${c}`;
			continue;
		}
		clauses.push(c);
		const slash = c.indexOf(' / ');
		openEnglish = slash > 0 && HAN.test(c.slice(0, slash));
	}
	let body = clauses.map((c) => clause(c, lang)).join(lang === 'zh' ? '；' : '; ');
	body = body.replace(HELD, (_m, n: string) => held[Number(n)] ?? '');
	const preferred = ctx.collection ? collectionNames(ctx.collection) : undefined;
	return nameKeys(body, lang, preferred)
		.replace(/\s{2,}/g, ' ')
		.trim();
}

/**
 * A text the process writes for people (the review route's reason): departments named as the
 * screens name them, requirement ids left out. Worked example: "Regular contract: review by
 * production, purchasing, sales (CR-7)" -> "Regular contract: review by Production, Purchasing, Sales".
 */
export function forPeople(text: string, lang: UiLang): string {
	const name = (k: string) => {
		const d = DEPARTMENTS.find(([key]) => key === k);
		return d ? (lang === 'zh' ? d[2] : d[1]) : k;
	};
	const listed = text.replace(
		/(by |由 |增加 |approval by )([a-z_]+(?:(?:, |、)[a-z_]+)*)/g,
		(_m, lead: string, list: string) =>
			lead +
			list
				.split(/(, |、)/)
				.map((p) => (p === ', ' || p === '、' ? p : name(p)))
				.join(''),
	);
	return stripRequirementIds(listed)
		.replace(/（\s*）|\(\s*\)/g, '')
		.replace(/\s+([，。；：])/g, '$1');
}
