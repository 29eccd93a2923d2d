/**
 * How numbers and clocks are shown to people: the Insights panel, the work queue and the
 * browser test use the same functions, so what the panel shows can be compared with the API.
 */
import type { Bilingual, Unit } from './definitions';

export type Lang = 'en' | 'zh';

/** 'zh-CN', 'zh' -> zh; anything else -> en. */
export const langOf = (code: unknown): Lang =>
	String(code ?? '')
		.toLowerCase()
		.startsWith('zh')
		? 'zh'
		: 'en';

export const pick = (b: Bilingual, lang: Lang): string => (lang === 'zh' ? b.zh : b.en);

export function formatValue(v: number | null | undefined, unit: Unit): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return '–';
	switch (unit) {
		case 'percent':
			return `${(v * 100).toFixed(1)}%`;
		case 'hours':
		case 'score':
			return v.toFixed(1);
		default:
			return String(Math.round(v));
	}
}

/** 2 d 5 h, 3 h 20 min, 12 min. */
export function formatDuration(ms: number, lang: Lang): string {
	const min = Math.floor(Math.abs(ms) / 60_000);
	const d = Math.floor(min / 1440);
	const h = Math.floor((min % 1440) / 60);
	const m = min % 60;
	if (lang === 'zh') {
		if (d) return `${d}天${h ? `${h}小时` : ''}`;
		if (h) return `${h}小时${m ? `${m}分` : ''}`;
		return `${m}分钟`;
	}
	if (d) return `${d} d${h ? ` ${h} h` : ''}`;
	if (h) return `${h} h${m ? ` ${m} min` : ''}`;
	return `${m} min`;
}

export type ClockState = 'left' | 'overdue' | 'paused' | 'none';

export interface Clock {
	state: ClockState;
	text: string;
}

/** The deadline clock of a queue item: "time left" or "overdue by", or paused (CP-4). */
export function clockOf(dueAt: string | null, now: number, lang: Lang, paused = false): Clock {
	if (paused) return { state: 'paused', text: lang === 'zh' ? '计时暂停' : 'clock paused' };
	if (!dueAt) return { state: 'none', text: '' };
	const left = Date.parse(dueAt) - now;
	if (Number.isNaN(left)) return { state: 'none', text: '' };
	if (left >= 0) return { state: 'left', text: lang === 'zh' ? `剩余 ${formatDuration(left, lang)}` : `${formatDuration(left, lang)} left` };
	return { state: 'overdue', text: lang === 'zh' ? `已超期 ${formatDuration(left, lang)}` : `overdue by ${formatDuration(left, lang)}` };
}
