/**
 * The customer's pages (CP-1 web-form complaint, CP-5 verification of the written response,
 * CC-4 satisfaction survey): bilingual (zh-CN / English) HTML that works on a phone, posts a
 * plain form (no script) and shows no JSON, no record id, no error code. Pure: data in, HTML out;
 * every value is escaped. The routes (endpoints/cp/complaints.ts) set the headers and the budget.
 */
import { escapeHtml as e } from '../forms/layout';
import type { SurveyQuestion } from '../communication/communication';

export type Lang = 'zh' | 'en';

/**
 * The page language: `?lang=` when it names one, else the customer's browser preference
 * (Accept-Language, by its q-values), else Chinese (the company's own language).
 */
export function pageLang(query: unknown, acceptLanguage: unknown): Lang {
	const q = typeof query === 'string' ? query.toLowerCase() : '';
	if (q.startsWith('zh')) return 'zh';
	if (q.startsWith('en')) return 'en';
	const prefs = String(acceptLanguage ?? '')
		.split(',')
		.map((part, i) => {
			const [tag, ...params] = part.trim().toLowerCase().split(';');
			const qv = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
			return { tag: tag ?? '', q: qv ? Number(qv.slice(2)) || 0 : 1, i };
		})
		.filter((p) => p.tag.startsWith('zh') || p.tag.startsWith('en'))
		.sort((a, b) => b.q - a.q || a.i - b.i);
	return prefs[0]?.tag.startsWith('en') ? 'en' : 'zh';
}

/** Both languages of every text a page shows. */
const T = {
	complaintTitle: { zh: '顾客投诉 / 反馈', en: 'Customer complaint / feedback' },
	complaintIntro: {
		zh: '请填写您的顾客编号和我们登记的电子邮箱，并描述问题。我们会在规定时限内书面答复。',
		en: 'Enter your customer code and the e-mail address we have on record for you, and describe the problem. We will answer in writing within our response time.',
	},
	customerCode: { zh: '顾客编号', en: 'Customer code' },
	email: { zh: '电子邮箱', en: 'E-mail address' },
	summary: { zh: '问题摘要', en: 'Summary of the problem' },
	description: { zh: '详细描述', en: 'Description' },
	product: { zh: '产品', en: 'Product' },
	batch: { zh: '批号', en: 'Batch' },
	required: { zh: '必填', en: 'required' },
	send: { zh: '提交', en: 'Send' },
	refused: {
		zh: '表单未被接受。请检查顾客编号和电子邮箱是否与我们登记的一致，并填写问题摘要（最多 255 个字符）。',
		en: 'The form was not accepted. Check that the customer code and the e-mail address are the ones we have on record for you, and that the summary is filled in (at most 255 characters).',
	},
	received: { zh: '您的投诉已收到', en: 'Your complaint has been received' },
	reference: { zh: '编号', en: 'Reference number' },
	answerBy: { zh: '我们将在以下时间前书面答复', en: 'We will answer in writing by' },
	verifyTitle: { zh: '投诉处理结果确认', en: 'Confirm the handling of your complaint' },
	complaint: { zh: '投诉', en: 'Complaint' },
	response: { zh: '我们的书面答复', en: 'Our written response' },
	respondedAt: { zh: '答复日期', en: 'Answered on' },
	linkValidUntil: { zh: '链接有效期至', en: 'This link is valid until' },
	question: { zh: '您是否认可我们的处理结果？', en: 'Do you accept how we handled it?' },
	confirm: { zh: '认可，问题已解决', en: 'Yes, the problem is solved' },
	reject: { zh: '不认可，需要继续处理', en: 'No, it needs more work' },
	comment: { zh: '意见（可选）', en: 'Comment (optional)' },
	decisionMissing: { zh: '请选择认可或不认可。', en: 'Choose whether you accept the handling or not.' },
	noteTooLong: { zh: '意见过长，请缩短后再提交。', en: 'The comment is too long; shorten it and send it again.' },
	confirmedDone: { zh: '感谢您的确认，投诉已关闭。', en: 'Thank you for confirming; the complaint is closed.' },
	confirmedOpen: {
		zh: '感谢您的确认。我们完成剩余的处理后将关闭此投诉。',
		en: 'Thank you for confirming. We will close the complaint once the remaining work is done.',
	},
	rejectedDone: { zh: '感谢您的反馈，我们将重新处理此投诉并再次答复您。', en: 'Thank you; we will work on the complaint again and answer you again.' },
	surveyTitle: { zh: '顾客满意度调查', en: 'Customer satisfaction survey' },
	surveyIntro: { zh: '请为以下各项评分（分数越高越满意）。', en: 'Rate each point below (the higher, the more satisfied).' },
	period: { zh: '调查期间', en: 'Survey period' },
	low: { zh: '很不满意', en: 'very dissatisfied' },
	high: { zh: '非常满意', en: 'very satisfied' },
	surveyMissing: { zh: '请为每一项评分后再提交。', en: 'Rate every point before sending.' },
	surveyThanks: { zh: '感谢您参与满意度调查！', en: 'Thank you for answering our survey!' },
	linkInvalid: {
		zh: '此链接无效或已过期。如需帮助，请联系我们的业务人员。',
		en: 'This link is not valid or has expired. Please contact your sales contact if you need help.',
	},
	linkInvalidTitle: { zh: '链接不可用', en: 'Link not available' },
	rateLimited: { zh: '请求过于频繁，请稍后再试。', en: 'Too many requests; please try again in a minute.' },
	rateLimitedTitle: { zh: '请稍候', en: 'Please wait' },
	otherLanguage: { zh: 'English', en: '中文' },
} as const;

type Key = keyof typeof T;
const t = (k: Key, lang: Lang) => T[k][lang];

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;color:#1f2933;background:#f4f6f8}
header{background:#1f4e79;color:#fff;padding:12px 16px;display:flex;justify-content:space-between;align-items:center;gap:12px}
header .company{font-weight:600}
header a{color:#fff;border:1px solid #fff8;border-radius:4px;padding:2px 10px;text-decoration:none;white-space:nowrap}
main{max-width:640px;margin:0 auto;padding:16px}
h1{font-size:1.35rem;margin:8px 0 12px}
.card{background:#fff;border-radius:8px;padding:16px;margin:0 0 16px;box-shadow:0 1px 3px #0002}
label{display:block;font-weight:600;margin:14px 0 4px}
input[type=text],input[type=email],textarea{width:100%;font:inherit;padding:10px;border:1px solid #aab4be;border-radius:6px;background:#fff}
textarea{min-height:110px}
.req{color:#b42318;font-weight:400;font-size:.85em}
button{font:inherit;font-weight:600;background:#1f4e79;color:#fff;border:0;border-radius:6px;padding:12px 20px;margin-top:18px;width:100%}
@media(min-width:700px){button{width:auto}}
.notice{border-left:4px solid #b42318;background:#fdecea;padding:10px 12px;border-radius:4px;margin:0 0 16px}
.ok{border-left-color:#2e7d32;background:#e8f5e9}
.response{white-space:pre-wrap;background:#f7f9fb;border:1px solid #dde3e9;border-radius:6px;padding:12px}
dl{margin:0}dt{color:#52606d;font-size:.9em}dd{margin:0 0 8px}
fieldset{border:0;padding:0;margin:14px 0 0}
legend{font-weight:600;padding:0;margin-bottom:6px}
.choice{display:flex;align-items:center;gap:10px;padding:10px;border:1px solid #dde3e9;border-radius:6px;margin:6px 0;font-weight:400}
.scale{display:flex;flex-wrap:wrap;gap:6px}
.scale label{margin:0;font-weight:400;display:flex;flex-direction:column;align-items:center;min-width:44px;padding:6px 8px;border:1px solid #dde3e9;border-radius:6px}
.ends{display:flex;justify-content:space-between;font-size:.8em;color:#52606d;margin-top:4px}
`;

export interface PageFrame {
	lang: Lang;
	company: string | null;
	title: string;
}

/** The frame of every customer page: company name, the other language's switch, the title. */
function page(frame: PageFrame, body: string): string {
	const { lang } = frame;
	const other: Lang = lang === 'zh' ? 'en' : 'zh';
	return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(frame.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><span class="company">${e(frame.company ?? '')}</span><a href="?lang=${other}" hreflang="${other === 'zh' ? 'zh-CN' : 'en'}">${t('otherLanguage', lang)}</a></header>
<main>
<h1>${e(frame.title)}</h1>
${body}
</main>
</body>
</html>`;
}

const notice = (text: string, ok = false) => `<p class="notice${ok ? ' ok' : ''}" role="${ok ? 'status' : 'alert'}">${e(text)}</p>`;
const langField = (lang: Lang) => `<input type="hidden" name="lang" value="${lang}">`;

/** When a time is shown to the customer: in the company's zone, as the customer's language writes it. */
export function formatWhen(v: Date | null | undefined, lang: Lang, zone: string): string {
	if (!v) return '';
	return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: zone, dateStyle: 'long', timeStyle: 'short' }).format(v);
}

// ------------------------------------------------------------------ CP-1 the web form

export interface WebFormValues {
	summary?: string | null;
	description?: string | null;
	product?: string | null;
	batch?: string | null;
}

/**
 * The complaint form. After a refusal it shows the one refusal text and keeps what the customer
 * wrote about the problem, never the code or e-mail (the page must not differ by which was wrong).
 */
export function webFormPage(frame: Omit<PageFrame, 'title'>, opts: { refused?: boolean; values?: WebFormValues } = {}): string {
	const { lang } = frame;
	const v = opts.values ?? {};
	const req = `<span class="req">(${t('required', lang)})</span>`;
	const body = `${opts.refused ? notice(t('refused', lang)) : `<p>${e(t('complaintIntro', lang))}</p>`}
<form class="card" method="post" action="" accept-charset="utf-8">
${langField(lang)}
<label for="customer_code">${t('customerCode', lang)} ${req}</label>
<input type="text" id="customer_code" name="customer_code" required maxlength="255" autocomplete="organization">
<label for="email">${t('email', lang)} ${req}</label>
<input type="email" id="email" name="email" required maxlength="255" autocomplete="email">
<label for="summary">${t('summary', lang)} ${req}</label>
<input type="text" id="summary" name="summary" required maxlength="255" value="${e(v.summary ?? '')}">
<label for="description">${t('description', lang)}</label>
<textarea id="description" name="description">${e(v.description ?? '')}</textarea>
<label for="product">${t('product', lang)}</label>
<input type="text" id="product" name="product" maxlength="255" value="${e(v.product ?? '')}">
<label for="batch">${t('batch', lang)}</label>
<input type="text" id="batch" name="batch" maxlength="255" value="${e(v.batch ?? '')}">
<button type="submit">${t('send', lang)}</button>
</form>`;
	return page({ ...frame, title: t('complaintTitle', lang) }, body);
}

/** The answer to an accepted web form: the reference number and when we answer. */
export function webFormReceivedPage(frame: Omit<PageFrame, 'title'>, r: { code: string; responseDueAt: Date | null; zone: string }): string {
	const { lang } = frame;
	const body = `${notice(t('received', lang), true)}
<div class="card"><dl>
<dt>${t('reference', lang)}</dt><dd><strong>${e(r.code)}</strong></dd>
${r.responseDueAt ? `<dt>${t('answerBy', lang)}</dt><dd>${e(formatWhen(r.responseDueAt, lang, r.zone))}</dd>` : ''}
</dl></div>`;
	return page({ ...frame, title: t('complaintTitle', lang) }, body);
}

// ------------------------------------------------------------------ CP-5 the verification

export interface VerificationView {
	code: string;
	summary: string | null;
	response: string | null;
	respondedAt: Date | null;
	expiresAt: Date;
	zone: string;
}

export type VerificationProblem = 'decision' | 'note';

/** The written response and the customer's answer: confirm or reject, with a comment. */
export function verificationPage(frame: Omit<PageFrame, 'title'>, v: VerificationView, problem?: VerificationProblem): string {
	const { lang } = frame;
	const body = `${problem ? notice(t(problem === 'decision' ? 'decisionMissing' : 'noteTooLong', lang)) : ''}
<div class="card"><dl>
<dt>${t('complaint', lang)}</dt><dd><strong>${e(v.code)}</strong>${v.summary ? ` · ${e(v.summary)}` : ''}</dd>
${v.respondedAt ? `<dt>${t('respondedAt', lang)}</dt><dd>${e(formatWhen(v.respondedAt, lang, v.zone))}</dd>` : ''}
</dl>
<h2 style="font-size:1.05rem">${t('response', lang)}</h2>
<div class="response">${e(v.response ?? '')}</div>
</div>
<form class="card" method="post" action="" accept-charset="utf-8">
${langField(lang)}
<fieldset><legend>${t('question', lang)}</legend>
<label class="choice"><input type="radio" name="decision" value="confirmed" required> ${t('confirm', lang)}</label>
<label class="choice"><input type="radio" name="decision" value="rejected"> ${t('reject', lang)}</label>
</fieldset>
<label for="note">${t('comment', lang)}</label>
<textarea id="note" name="note" maxlength="2000"></textarea>
<button type="submit">${t('send', lang)}</button>
<p style="font-size:.85em;color:#52606d">${t('linkValidUntil', lang)} ${e(formatWhen(v.expiresAt, lang, v.zone))}</p>
</form>`;
	return page({ ...frame, title: t('verifyTitle', lang) }, body);
}

/** What the customer's answer did: closed, confirmed with work left, or reopened. */
export function verificationDonePage(frame: Omit<PageFrame, 'title'>, r: { code: string; to: 'closed' | 'verifying' | 'reopened' }): string {
	const { lang } = frame;
	const key: Key = r.to === 'closed' ? 'confirmedDone' : r.to === 'verifying' ? 'confirmedOpen' : 'rejectedDone';
	const body = `${notice(t(key, lang), true)}<div class="card"><dl><dt>${t('complaint', lang)}</dt><dd><strong>${e(r.code)}</strong></dd></dl></div>`;
	return page({ ...frame, title: t('verifyTitle', lang) }, body);
}

// ------------------------------------------------------------------ CC-4 the survey

/** The questionnaire: one row of ratings 1..scale per question, in the customer's language. */
export function surveyPage(
	frame: Omit<PageFrame, 'title'>,
	s: { period: string | null; questions: readonly SurveyQuestion[]; expiresAt: Date; zone: string; answers?: Record<string, string> },
	missing = false,
): string {
	const { lang } = frame;
	const rows = s.questions
		.map((q, i) => {
			const given = s.answers?.[q.key];
			const options = Array.from({ length: q.scale }, (_, k) => k + 1)
				.map(
					(n) =>
						`<label><input type="radio" name="q_${e(q.key)}" value="${n}"${String(n) === given ? ' checked' : ''}${n === 1 ? ' required' : ''}>${n}</label>`,
				)
				.join('');
			return `<fieldset><legend>${i + 1}. ${e(lang === 'zh' ? q.zh : q.en)}</legend><div class="scale">${options}</div><div class="ends"><span>1 = ${t('low', lang)}</span><span>${q.scale} = ${t('high', lang)}</span></div></fieldset>`;
		})
		.join('\n');
	const body = `${missing ? notice(t('surveyMissing', lang)) : `<p>${t('surveyIntro', lang)}</p>`}
<form class="card" method="post" action="" accept-charset="utf-8">
${langField(lang)}
${s.period ? `<p><strong>${t('period', lang)}</strong>: ${e(s.period)}</p>` : ''}
${rows}
<label for="comment">${t('comment', lang)}</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea>
<button type="submit">${t('send', lang)}</button>
<p style="font-size:.85em;color:#52606d">${t('linkValidUntil', lang)} ${e(formatWhen(s.expiresAt, lang, s.zone))}</p>
</form>`;
	return page({ ...frame, title: t('surveyTitle', lang) }, body);
}

export function surveyDonePage(frame: Omit<PageFrame, 'title'>): string {
	const { lang } = frame;
	return page({ ...frame, title: t('surveyTitle', lang) }, notice(t('surveyThanks', lang), true));
}

/** The ratings a posted survey form carries (q_<key> = n), keyed by the questionnaire's keys. */
export function surveyAnswersFromForm(form: Record<string, string>, questions: readonly SurveyQuestion[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const q of questions) {
		const v = form[`q_${q.key}`];
		if (v !== undefined && v !== '') out[q.key] = Number(v);
	}
	return out;
}

// ------------------------------------------------------------------ the answers that tell nothing

/** Every unusable link (forged, used, expired, malformed) gets this one page. */
export function linkInvalidPage(frame: Omit<PageFrame, 'title'>): string {
	return page({ ...frame, title: t('linkInvalidTitle', frame.lang) }, notice(t('linkInvalid', frame.lang)));
}

export function rateLimitedPage(frame: Omit<PageFrame, 'title'>): string {
	return page({ ...frame, title: t('rateLimitedTitle', frame.lang) }, notice(t('rateLimited', frame.lang)));
}

// ------------------------------------------------------------------ the e-mails with the links

export interface MailText {
	subject: string;
	text: string;
}

/** The e-mail with the written response and the verification link, in both languages (we do not know the reader's). */
export function verificationMail(m: {
	company: string | null;
	code: string;
	summary: string | null;
	response: string | null;
	url: string;
	expiresAt: Date;
	zone: string;
}): MailText {
	const company = m.company ?? '';
	return {
		subject: `${company ? `${company}：` : ''}投诉 ${m.code} 书面答复 / Written response to complaint ${m.code}`,
		text: [
			`您好，`,
			``,
			`关于您的投诉 ${m.code}${m.summary ? `（${m.summary}）` : ''}，我们的书面答复如下：`,
			``,
			m.response ?? '',
			``,
			`请打开以下链接确认处理结果（认可或不认可并留下意见），链接有效期至 ${formatWhen(m.expiresAt, 'zh', m.zone)}：`,
			m.url,
			``,
			`----`,
			``,
			`Dear customer,`,
			``,
			`Our written response to your complaint ${m.code}${m.summary ? ` (${m.summary})` : ''} is above.`,
			`Please open the link to tell us whether you accept how we handled it; it is valid until ${formatWhen(m.expiresAt, 'en', m.zone)}:`,
			m.url,
			``,
			company,
		].join('\n'),
	};
}

/** The survey invitation with its link, in both languages. */
export function surveyMail(m: { company: string | null; period: string | null; url: string; expiresAt: Date; zone: string }): MailText {
	const company = m.company ?? '';
	return {
		subject: `${company ? `${company}：` : ''}顾客满意度调查 / Customer satisfaction survey${m.period ? ` ${m.period}` : ''}`,
		text: [
			`您好，`,
			``,
			`感谢您一直以来的支持。请花几分钟填写我们的满意度调查${m.period ? `（${m.period}）` : ''}，链接有效期至 ${formatWhen(m.expiresAt, 'zh', m.zone)}：`,
			m.url,
			``,
			`----`,
			``,
			`Dear customer,`,
			``,
			`Thank you for your business. Please take a few minutes to answer our satisfaction survey${m.period ? ` (${m.period})` : ''}; the link is valid until ${formatWhen(m.expiresAt, 'en', m.zone)}:`,
			m.url,
			``,
			company,
		].join('\n'),
	};
}
