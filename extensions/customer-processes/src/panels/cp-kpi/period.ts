// The panel's period choice, turned into the endpoint's from/to (local dates of the viewer).
export const PERIOD_CHOICES = [
	{ value: 'all', en: 'All time', zh: '全部' },
	{ value: '30d', en: 'Last 30 days', zh: '最近30天' },
	{ value: '90d', en: 'Last 90 days', zh: '最近90天' },
	{ value: '365d', en: 'Last 12 months', zh: '最近12个月' },
	{ value: 'year', en: 'This year', zh: '今年' },
	{ value: 'custom', en: 'Custom (from / to)', zh: '自定义(自/至)' },
] as const;

const key = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

export function periodRange(
	period: string | null | undefined,
	from: string | null | undefined,
	to: string | null | undefined,
	now = new Date(),
): { from?: string; to?: string } {
	const days = { '30d': 30, '90d': 90, '365d': 365 }[String(period)] as number | undefined;
	if (days) return { from: key(new Date(now.getTime() - (days - 1) * 86_400_000)), to: key(now) };
	if (period === 'year') return { from: `${now.getFullYear()}-01-01`, to: key(now) };
	if (period === 'custom') return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
	return {};
}
