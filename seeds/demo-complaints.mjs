// Demo history of the complaints created by seeds/demo.mjs (CP-1..CP-5) and of the quarterly
// satisfaction surveys (CC-4): every step is a real transition through the items API and the
// /cp endpoints, so the hooks stamp deadlines, the audit trail signs each step and the printed
// feedback handling form looks as it would in use. Idempotent: a complaint that is no longer
// 'received' is left alone. `api` is the admin client of scripts/lib/api.mjs.

const DAY = 86_400_000;
const inDays = (days) => new Date(Date.now() + days * DAY).toISOString();

async function userOf(api, settings, department) {
	const role = settings.departments?.[department];
	if (role) {
		const users = await api.get(`/users?filter[role][_eq]=${role}&filter[status][_eq]=active&fields=id&limit=1`);
		if (users.length) return users[0].id;
	}
	return (await api.get('/users/me?fields=id')).id;
}

async function complaintByCode(api, code) {
	const rows = await api.get(`/items/cp_complaints?filter[code][_eq]=${encodeURIComponent(code)}&fields=id,code,status&limit=1`);
	return rows[0] ?? null;
}

export async function seedComplaintsDemo(api, { log = console.log } = {}) {
	const settings = await api.get('/items/cp_settings?fields=departments');
	const production = await userOf(api, settings, 'production');
	const quality = await userOf(api, settings, 'quality');
	let walked = 0;

	// KF-2026-0031: investigated by Quality, corrective action running, response still due.
	const a = await complaintByCode(api, 'KF-2026-0031');
	if (a?.status === 'received') {
		await api.patch(`/items/cp_complaints/${a.id}`, { status: 'investigating' });
		// CP-4: the clock waits only for a listed reason and runs on when the wait ends (resume); the
		// form shows each pause. Quality waited for the collapsed boxes, which arrived...
		await api.post(`/cp/complaints/${a.id}/pause`, { reason: 'customer_samples', note: '等待顾客寄回塌箱样品 3 只' });
		await api.post(`/cp/complaints/${a.id}/resume`, {});
		await api.patch(`/items/cp_complaints/${a.id}`, {
			traceability: '追溯 20261105-02 批次生产记录:粘合剂用量正常,烘干温度记录低于工艺要求 15 ℃',
			root_cause_category: 'process',
			root_cause: '烘干温度偏低,瓦楞纸板含水率偏高,冷库中吸潮后边压强度下降导致塌箱',
			responsible_department: 'production',
			eight_d: { d1: '质量部(组长)、生产部', d3: '库存同批次纸箱隔离复检' },
			status: 'action',
		});
		await api.post('/items/cp_actions', {
			title: '烘干温度纳入首件检验并每 2 小时巡检记录',
			source_collection: 'cp_complaints',
			source_id: a.id,
			owner: production,
			department: 'production',
			due_at: inDays(2),
		});
		await api.post('/items/cp_actions', {
			title: '冷库用纸箱增加耐潮边压试验',
			source_collection: 'cp_complaints',
			source_id: a.id,
			owner: quality,
			department: 'quality',
			due_at: inDays(10),
		});
		// ...and now waits for the third-party edge-crush test: paused, to be resumed from the form's
		// actions (POST /cp/complaints/:id/resume) or ending by itself after its maximum length.
		await api.post(`/cp/complaints/${a.id}/pause`, { reason: 'third_party_test', note: '纸板边压强度送检 (省质检院)' });
		walked++;
	}

	// KF-2026-0032: answered late (received 80 h ago), action done, waiting for the customer's re-verification.
	const b = await complaintByCode(api, 'KF-2026-0032');
	let link = null;
	if (b?.status === 'received') {
		await api.patch(`/items/cp_complaints/${b.id}`, { status: 'investigating' });
		await api.patch(`/items/cp_complaints/${b.id}`, {
			traceability: '调度记录:ZZ-1123-07 车次运输 95 分钟,超出 60 分钟要求',
			root_cause_category: 'transport',
			root_cause: '运输途中堵车,未按规定二次调整坍落度',
			responsible_department: 'production',
			status: 'action',
		});
		const action = await api.post('/items/cp_actions', {
			title: '超时车次到场前电话确认,按规程现场二次调整坍落度',
			source_collection: 'cp_complaints',
			source_id: b.id,
			owner: production,
			department: 'production',
			due_at: inDays(1),
		});
		await api.patch(`/items/cp_actions/${action.id}`, { status: 'done' });
		await api.patch(`/items/cp_complaints/${b.id}`, {
			response_content: '经调查,坍落度偏低系运输超时所致。已规定超时车次到场前二次调整并加强调度,整改已完成,欢迎贵方随时复核。',
			product_disposition: 'nonconforming',
			status: 'responded',
		});
		link = (await api.post(`/cp/complaints/${b.id}/verification-link`, {})).url;
		walked++;
	}

	// CC-4: this quarter's questionnaires for every active customer; one answered by Sales.
	const tick = await api.post('/cp/jobs/surveys-tick', {});
	const due = await api.get(
		`/items/cp_communications?filter[type][_eq]=survey&filter[period_key][_eq]=${tick.period}&filter[survey_status][_eq]=due&fields=id&limit=1`,
	);
	if (due.length && walked) {
		await api.patch(`/items/cp_communications/${due[0].id}`, {
			answers: { 产品质量: 5, 交货期: 4, 服务: 4, 意见: '希望缩短备件供应周期' },
			score: 86,
			channel: 'phone',
		});
	}

	log(
		`[seed] complaints demo: ${walked} complaint(s) walked, ${tick.created} survey(s) for ${tick.period}${link ? `; customer verification link for KF-2026-0032: ${link}` : ''}`,
	);
	return { walked, link, surveys: tick };
}
