/**
 * CP-2: the complaint's 8D record (Doc 2 4.6.4: the investigation and the corrective action are
 * recorded on the feedback handling form) as eight sections D1-D8, each a text with its label and
 * a note of what to write, in both languages. Stored as { d1: '...', ..., d8: '...' } in
 * cp_complaints.eight_d; the screens show the sections (interfaces/cp-eight-d), the write guard
 * refuses anything else naming the section by its label (services/policy.ts). Pure.
 */
import { DomainError } from '../errors';
import { parseJson } from '../json';

export interface EightDSection {
	key: `d${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8}`;
	en: string;
	zh: string;
	help: { en: string; zh: string };
}

export const EIGHT_D_SECTIONS: readonly EightDSection[] = [
	{
		key: 'd1',
		en: 'Team',
		zh: '成立小组',
		help: { en: 'Who works on the complaint: the leader and the members with their departments', zh: '处理本投诉的小组:组长及成员和所在部门' },
	},
	{
		key: 'd2',
		en: 'Problem description',
		zh: '问题描述',
		help: {
			en: 'What is wrong, on which product and batch, how many, where and when it was found',
			zh: '出了什么问题:产品、批号、数量、在何时何地发现',
		},
	},
	{
		key: 'd3',
		en: 'Containment',
		zh: '临时措施',
		help: { en: 'What was done at once to protect the customer: stock sorted, product held or replaced', zh: '为保护顾客立即采取的措施:库存挑选、隔离或更换' },
	},
	{
		key: 'd4',
		en: 'Root cause',
		zh: '根本原因',
		help: { en: 'Why it happened and why it was not detected, as found by the investigation', zh: '调查得出的发生原因和未被发现的原因' },
	},
	{
		key: 'd5',
		en: 'Corrective action',
		zh: '纠正措施',
		help: { en: 'The permanent action chosen to remove the root cause, with its owner', zh: '为消除根本原因选定的永久措施及负责人' },
	},
	{
		key: 'd6',
		en: 'Verification of effectiveness',
		zh: '效果验证',
		help: { en: 'How and when the action was shown to work: checks, results, the customer’s feedback', zh: '如何、何时证实措施有效:检查、结果、顾客反馈' },
	},
	{
		key: 'd7',
		en: 'Prevention',
		zh: '预防再发生',
		help: {
			en: 'What keeps it from happening again elsewhere: procedures, work instructions, training updated',
			zh: '防止在其他地方再次发生:修订程序、作业指导书、培训',
		},
	},
	{
		key: 'd8',
		en: 'Recognition',
		zh: '总结与表彰',
		help: { en: 'Closing the 8D: lessons learned and the team’s work acknowledged', zh: '8D 结案:经验总结并肯定小组的工作' },
	},
];

export type EightD = Partial<Record<EightDSection['key'], string>>;

/** The longest text of a section. */
export const EIGHT_D_MAX = 10_000;

const FIELD = { en: '8D record', zh: '8D 报告' };
const refuse = (zh: string, en: string) => new DomainError('CP_INVALID_VALUE', `${zh} / ${en}`, { field: 'eight_d' });

/**
 * The record as the sections it holds (empty sections left out), or a refusal naming the section
 * by its label. Null, '' and {} are an empty record. Worked example: { d4: ' 未校准 ', d5: '' } ->
 * { d4: '未校准' }; { d9: 'x' } is refused ("8D 报告没有「d9」这一项 / 8D record has no section d9").
 */
export function parseEightD(value: unknown): EightD {
	const v = typeof value === 'string' ? parseJson<unknown>(value, Symbol.for('invalid')) : value;
	if (v === null || v === undefined || v === '') return {};
	if (typeof v !== 'object' || Array.isArray(v)) throw refuse(`${FIELD.zh}请按 D1 至 D8 各项填写`, `${FIELD.en} is filled in by its sections D1 to D8`);
	const out: EightD = {};
	for (const [key, text] of Object.entries(v as Record<string, unknown>)) {
		const section = EIGHT_D_SECTIONS.find((s) => s.key === key);
		if (!section) throw refuse(`${FIELD.zh}没有「${key}」这一项，只有 D1 至 D8`, `${FIELD.en} has no section ${key}, only D1 to D8`);
		const name = { zh: `${FIELD.zh}「${section.key.toUpperCase()} ${section.zh}」`, en: `${FIELD.en}, ${section.key.toUpperCase()} (${section.en})` };
		if (text === null || text === undefined) continue;
		if (typeof text !== 'string') throw refuse(`${name.zh}须为文字`, `${name.en} must be text`);
		if (text.length > EIGHT_D_MAX) throw refuse(`${name.zh}最多 ${EIGHT_D_MAX} 个字`, `${name.en} must be at most ${EIGHT_D_MAX} characters`);
		if (text.trim()) out[section.key] = text.trim();
	}
	return out;
}

/** Names an 8D record may have used before it had sections (the demo's { team: [...], containment }), by section. */
const EARLIER_NAMES: Readonly<Record<string, EightDSection['key']>> = {
	team: 'd1',
	problem: 'd2',
	description: 'd2',
	containment: 'd3',
	root_cause: 'd4',
	corrective_action: 'd5',
	verification: 'd6',
	prevention: 'd7',
	recognition: 'd8',
};

/**
 * The stored record as the sections the form shows, whatever it holds: an earlier record's named
 * parts go to their section (a list as one line), anything unreadable shows as empty sections.
 * Saving the form then writes the sections. Worked example: { team: ['质量部', '生产部'],
 * containment: '隔离' } -> { d1: '质量部、生产部', d3: '隔离' }.
 */
export function readEightD(value: unknown): EightD {
	const v = typeof value === 'string' ? parseJson<unknown>(value, null) : value;
	if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
	const out: EightD = {};
	for (const [key, raw] of Object.entries(v as Record<string, unknown>)) {
		const section = EIGHT_D_SECTIONS.find((s) => s.key === key)?.key ?? EARLIER_NAMES[key];
		if (!section) continue;
		const text = Array.isArray(raw) ? raw.map(String).join('、') : typeof raw === 'string' ? raw : raw == null ? '' : String(raw);
		if (text.trim()) out[section] = out[section] ? `${out[section]}\n${text}` : text;
	}
	return out;
}
