// Demo history of the customer property created by seeds/demo.mjs (PR-3..PR-5): real receipt,
// inspection, storage, use and check events through /cp/property/:id/events, so the register,
// its audit trail and the check queue look as they would after months of use. Idempotent: an
// item that is no longer 'expected' is left alone. `api` is the admin client of scripts/lib/api.mjs.

const DAY = 86_400_000;
const ago = (days, hours = 0) => new Date(Date.now() - days * DAY + hours * 3_600_000).toISOString();

const WALKS = {
	// Tooling: received eight months ago, checked a month later, so its half-yearly check is due now.
	'CP-M-0001': [
		{
			type: 'receipt',
			occurred_at: ago(240),
			quantity: 1,
			to_location: '收货待检区 R-1',
			note: '随顾客送货单到货',
			details: { slip_no: 'RK-2026-0311', name: '客户提供模具 纸箱模切版', model: 'MQ-600400' },
		},
		{ type: 'inspection', occurred_at: ago(239), result: 'accepted', note: '外观完好,刃口无崩缺,尺寸与图纸一致' },
		{ type: 'movement', occurred_at: ago(239, 2), to_location: '顾客财产专区 A-01', note: '入专区存放并张贴顾客财产标识', details: { segregated: true } },
		{ type: 'check', occurred_at: ago(210), result: 'ok', note: '定期检查:防锈良好,标识清晰' },
	],
	// Drawings: received, verified by Quality and issued to production.
	'CP-D-0001': [
		{ type: 'receipt', occurred_at: ago(30), quantity: 12, note: '顾客寄来总装图 12 张', details: { slip_no: 'RK-2026-0402' } },
		{ type: 'inspection', occurred_at: ago(29), result: 'accepted', note: '图纸齐套,签章有效' },
		{ type: 'use', occurred_at: ago(28), details: { action: 'issue' }, note: '发放生产部使用(受控副本)' },
	],
	// Personal data: received and verified; visible to Sales, Quality and admins only.
	'CP-P-0001': [
		{ type: 'receipt', occurred_at: ago(10), quantity: 1, note: '顾客提供联系人名单(电子版)' },
		{ type: 'inspection', occurred_at: ago(10, 1), result: 'accepted', note: '内容完整,已加密存放' },
	],
};

export async function seedPropertyDemo(api, { log = console.log } = {}) {
	let events = 0;
	for (const [code, walk] of Object.entries(WALKS)) {
		const [item] = await api.get(`/items/cp_property?filter[code][_eq]=${encodeURIComponent(code)}&fields=id,status&limit=1`);
		if (!item || item.status !== 'expected') continue;
		for (const e of walk) {
			await api.post(`/cp/property/${item.id}/events`, e);
			events++;
		}
	}
	log(`[seed] demo property history: ${events} events`);
	return events;
}
