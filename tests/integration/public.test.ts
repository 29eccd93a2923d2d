// The account-less routes (CP-1 web-form intake, CP-5 verification link, CC-4 survey link) and
// the headers of every HTML route, over HTTP against the real Directus.
// The harness trusts 127.0.0.1 as a proxy (CP_TRUSTED_PROXIES); a request sent from another
// loopback address (Linux routes 127.0.0.0/8 to lo) is a client that is not a proxy.
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, fetch as undiciFetch } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { cp, database, ok, token, uid } from '../harness/client';
import { complaintWithActionDone } from '../harness/fixtures';

const H = 3600e3;
const iso = (ms: number) => new Date(ms).toISOString();
const tokenOf = (url: string) => url.split('/').pop()!;
const countOf = async (q: any) => Number((await q.count({ n: '*' }).first()).n);

/** A client connecting from `localAddress` (not the trusted proxy), optionally claiming a forwarded address. */
function from(localAddress: string) {
	const dispatcher = new Agent({ localAddress });
	return async (method: string, path: string, { body, xff }: { body?: unknown; xff?: string } = {}) => {
		const headers: Record<string, string> = {};
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (xff) headers['x-forwarded-for'] = xff;
		const res = await undiciFetch(`${cp().url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher });
		const text = await res.text();
		return { status: res.status, text, code: (JSON.parse(text || 'null') as any)?.errors?.[0]?.extensions?.code as string | undefined };
	};
}

/** Through the trusted proxy (the test's own 127.0.0.1), for the client `xff`. */
async function viaProxy(method: string, path: string, xff: string, body?: unknown) {
	const headers: Record<string, string> = { 'x-forwarded-for': xff };
	if (body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(`${cp().url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, text, code: (JSON.parse(text || 'null') as any)?.errors?.[0]?.extensions?.code as string | undefined };
}

const forgedToken = () => randomBytes(32).toString('base64url');
const LINK_INVALID = {
	errors: [{ message: 'This link is not valid or has expired', extensions: { message: 'This link is not valid or has expired', code: 'CP_LINK_INVALID' } }],
};

describe('CP-1/CP-5/CC-4 the budget of the public routes is per real client', () => {
	it('CP-1/CC-4 a client that is not a trusted proxy cannot pick a fresh key by rotating X-Forwarded-For', async () => {
		const client = from('127.0.0.2');
		const results = await Promise.all(Array.from({ length: 40 }, (_, i) => client('GET', `/cp/public/survey/${forgedToken()}`, { xff: `203.0.113.${i + 1}` })));
		const codes = results.map((r) => r.code);
		// The default budget is 30 a minute: the 40 requests share one key, the connecting address.
		expect(codes.filter((c) => c === 'CP_LINK_INVALID')).toHaveLength(30);
		expect(codes.filter((c) => c === 'CP_RATE_LIMITED')).toHaveLength(10);
		expect(results.find((r) => r.code === 'CP_RATE_LIMITED')!.status).toBe(429);
		// The limit is that address's alone: another client is still served.
		expect((await from('127.0.0.4')('GET', `/cp/public/verify/${forgedToken()}`)).code).toBe('CP_LINK_INVALID');
	});

	it('CP-1/CC-4 behind the trusted proxy the forwarded address is the key: one client is limited, others are not', async () => {
		const rotating = await Promise.all(Array.from({ length: 40 }, (_, i) => viaProxy('GET', `/cp/public/survey/${forgedToken()}`, `198.51.100.${i + 101}`)));
		expect(rotating.every((r) => r.code === 'CP_LINK_INVALID')).toBe(true);
		const one = await Promise.all(Array.from({ length: 40 }, () => viaProxy('GET', `/cp/public/survey/${forgedToken()}`, '198.51.100.77')));
		expect(one.filter((r) => r.code === 'CP_RATE_LIMITED')).toHaveLength(10);
		// A client who wrote its own X-Forwarded-For before the proxy appended the real address is keyed on the real one.
		expect((await viaProxy('GET', `/cp/public/survey/${forgedToken()}`, '203.0.113.200, 198.51.100.77')).code).toBe('CP_RATE_LIMITED');
		expect((await viaProxy('GET', `/cp/public/survey/${forgedToken()}`, '198.51.100.78')).code).toBe('CP_LINK_INVALID');
	});
});

describe('CP-1 web-form intake answers every wrong input the same way', () => {
	it('CP-1 missing, malformed and unknown fields and wrong code/e-mail pairs get byte-identical answers and create nothing', async () => {
		const code = uid('C');
		await ok('sales', 'POST', '/items/cp_customers', { code, name: 'Web form customer', email: 'buyer@webform.example' });
		const archivedCode = uid('C');
		await ok('sales', 'POST', '/items/cp_customers', { code: archivedCode, name: '已停业客户', email: 'old@webform.example', status: 'archived' });
		const right = { customer_code: code, email: 'buyer@webform.example' };
		const wrongMail = { customer_code: code, email: 'x@webform.example' };
		const unknownCode = { customer_code: uid('NOPE'), email: 'buyer@webform.example' };
		const summary = uid('箱子破损');
		const wrong: [string, unknown][] = [
			['right pair, no summary', { ...right }],
			['wrong e-mail, no summary', { ...wrongMail }],
			['unknown code, no summary', { ...unknownCode }],
			['right pair, blank summary', { ...right, summary: '   ' }],
			['right pair, summary too long', { ...right, summary: 'x'.repeat(256) }],
			['wrong e-mail, summary too long', { ...wrongMail, summary: 'x'.repeat(256) }],
			['right pair, summary not text', { ...right, summary: 42 }],
			['right pair, description not text', { ...right, summary, description: { a: 1 } }],
			['right pair, unknown field', { ...right, summary, status: 'closed' }],
			['wrong e-mail, unknown field', { ...wrongMail, summary, status: 'closed' }],
			['wrong e-mail', { ...wrongMail, summary }],
			['unknown code', { ...unknownCode, summary }],
			['archived customer, its own e-mail', { customer_code: archivedCode, email: 'old@webform.example', summary }],
			['no e-mail', { customer_code: code, summary }],
			['blank e-mail', { ...right, email: ' ', summary }],
			['no code', { email: right.email, summary }],
			['code not text', { ...right, customer_code: ['x'], summary }],
			['empty form', {}],
			['a list', [right]],
		];
		const complaints = await countOf(database()('cp_complaints'));
		const audit = await countOf(database()('cp_audit'));
		const answers = [];
		for (const [name, body] of wrong) {
			const r = await viaProxy('POST', '/cp/public/complaints', '192.0.2.10', body);
			answers.push({ name, answer: `${r.status} ${r.text}` });
		}
		const first = answers[0]!.answer;
		expect(first.startsWith('400 ')).toBe(true);
		const message = expect.stringContaining('customer code and the e-mail address');
		expect(JSON.parse(first.slice(4))).toEqual({ errors: [{ message, extensions: { code: 'CP_INVALID_VALUE', message } }] });
		for (const a of answers) expect(a.answer, a.name).toBe(first);
		expect(await countOf(database()('cp_complaints'))).toBe(complaints);
		expect(await countOf(database()('cp_audit'))).toBe(audit);
		// The right form is taken (so the refusals above are not a broken route).
		const taken = await viaProxy('POST', '/cp/public/complaints', '192.0.2.10', { ...right, email: 'Buyer@WebForm.example', summary });
		expect([taken.status, JSON.parse(taken.text).data.code]).toEqual([201, expect.stringMatching(/^KF-\d{4}-\d{4}$/)]);
		expect(await countOf(database()('cp_complaints'))).toBe(complaints + 1);
	});
});

/** A complaint with its written response sent, ready for the customer's re-verification. */
async function responded() {
	const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: '华东包装材料有限公司' })).id;
	const c = await complaintWithActionDone(customer, {
		summary: uid('纸箱受潮塌箱'),
		product: '五层瓦楞纸箱',
		rootCause: '粘合工序温度过低',
		action: '调整粘合工序温度',
	});
	await ok('sales', 'PATCH', `/items/cp_complaints/${c.id}`, { response_content: '已调整工艺。', product_disposition: 'nonconforming', status: 'responded' });
	return c;
}

/** Tokens that are not a usable link in every way a link can be unusable except "used" and "expired", which the tests add. */
const MALFORMED = ['not-a-token', `${'a'.repeat(42)}.`, 'a'.repeat(44), '%E0%A4%A', `${forgedToken()}/extra`, ''];

describe('CP-5/CC-4 unusable links answer identically', () => {
	it('CP-5 an unknown, used, expired or malformed verification token gets the same answer on GET and POST', async () => {
		const used = await responded();
		const link = await ok('sales', 'POST', `/cp/complaints/${used.id}/verification-link`, {});
		const usedToken = tokenOf(link.url);
		const confirmed = await viaProxy('POST', `/cp/public/verify/${usedToken}`, '192.0.2.20', { decision: 'confirmed' });
		expect([confirmed.status, JSON.parse(confirmed.text).data.status]).toEqual([200, 'closed']);

		const expired = await responded();
		const expiredToken = tokenOf((await ok('sales', 'POST', `/cp/complaints/${expired.id}/verification-link`, {})).url);
		await database()('cp_complaints')
			.where('id', expired.id)
			.update({ verify_token_expires_at: new Date(Date.now() - 60e3) });

		const before = await database()('cp_complaints').whereIn('id', [used.id, expired.id]).orderBy('id').select();
		const answers: { name: string; answer: string }[] = [];
		for (const [name, t] of [['unknown', forgedToken()], ['used', usedToken], ['expired', expiredToken], ...MALFORMED.map((m) => [`malformed '${m}'`, m])] as [
			string,
			string,
		][]) {
			for (const [method, body] of [
				['GET', undefined],
				['POST', { decision: 'confirmed' }],
				['POST', { decision: 'maybe' }],
			] as [string, unknown][]) {
				const r = await viaProxy(method, `/cp/public/verify/${t}`, '192.0.2.21', body);
				answers.push({ name: `${method} ${name} ${JSON.stringify(body ?? null)}`, answer: `${r.status} ${r.text}` });
			}
		}
		const first = answers[0]!.answer;
		expect(JSON.parse(first.slice(4))).toEqual(LINK_INVALID);
		expect(first.startsWith('404 ')).toBe(true);
		for (const a of answers) expect(a.answer, a.name).toBe(first);
		// Nothing changed on either complaint, and the used link recorded one answer only.
		expect(await database()('cp_complaints').whereIn('id', [used.id, expired.id]).orderBy('id').select()).toEqual(before);
		expect(await countOf(database()('cp_audit').where({ collection: 'cp_complaints', item: used.id, action: 'verification' }))).toBe(1);
	});

	it('CC-4 an unknown, used, expired or malformed survey token gets the same answer on GET and POST', async () => {
		const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: 'Survey link customer' })).id;
		await ok('admin', 'POST', '/cp/jobs/surveys-tick');
		const [survey] = await database()('cp_communications').where({ customer, type: 'survey' }).select('id');
		const first = await ok('sales', 'POST', `/cp/communications/${survey.id}/survey-link`, {});
		const expiredToken = tokenOf(first.url);
		await database()('cp_communications')
			.where('id', survey.id)
			.update({ token_expires_at: new Date(Date.now() - 1000) });
		const second = await ok('sales', 'POST', `/cp/communications/${survey.id}/survey-link`, {});
		const usedToken = tokenOf(second.url);
		expect((await viaProxy('POST', `/cp/public/survey/${usedToken}`, '192.0.2.30', { score: 80 })).status).toBe(200);

		const answers: { name: string; answer: string }[] = [];
		for (const [name, t] of [
			['unknown', forgedToken()],
			['used', usedToken],
			['replaced and expired', expiredToken],
			...MALFORMED.map((m) => [`malformed '${m}'`, m]),
		] as [string, string][]) {
			for (const [method, body] of [
				['GET', undefined],
				['POST', { score: 90 }],
				['POST', { score: 'great' }],
			] as [string, unknown][]) {
				const r = await viaProxy(method, `/cp/public/survey/${t}`, '192.0.2.31', body);
				answers.push({ name: `${method} ${name} ${JSON.stringify(body ?? null)}`, answer: `${r.status} ${r.text}` });
			}
		}
		const expected = answers[0]!.answer;
		expect([expected.slice(0, 4), JSON.parse(expected.slice(4))]).toEqual(['404 ', LINK_INVALID]);
		for (const a of answers) expect(a.answer, a.name).toBe(expected);
		const row = await database()('cp_communications').where('id', survey.id).first();
		expect([row.survey_status, Number(row.score)]).toEqual(['answered', 80]);
	});
});

describe("X-1 every HTML route answers with nosniff and the forms' Content-Security-Policy", () => {
	const CSP = "default-src 'none'; style-src 'unsafe-inline'";
	const fixtures: Record<string, string> = {};

	beforeAll(async () => {
		const customer = (await ok('sales', 'POST', '/items/cp_customers', { code: uid('C'), name: '华东包装材料有限公司' })).id;
		fixtures.contract = (
			await ok('sales', 'POST', '/items/cp_contracts', {
				code: uid('HT'),
				title: '出口纸箱年度合同',
				kind: 'contract',
				channel: 'written',
				class: 'regular',
				customer,
			})
		).id;
		fixtures.complaint = (
			await ok('sales', 'POST', '/items/cp_complaints', { customer, channel: 'phone', summary: uid('纸箱受潮'), received_at: iso(Date.now() - H) })
		).id;
		const item = await ok('warehouse', 'POST', '/items/cp_property', {
			code: uid('CP-T'),
			name: '纸箱模切版 Die board',
			kind: 'tooling',
			customer,
			serial_no: uid('SN'),
			quantity: 1,
			unit: '套',
			scope: '顾客提供,我方保管 Kept by us',
		});
		await ok('warehouse', 'POST', `/cp/property/${item.id}/events`, { type: 'receipt', quantity: 1, to_location: '顾客财产专区 A-01' });
		await ok('quality', 'POST', `/cp/property/${item.id}/events`, { type: 'inspection', result: 'accepted' });
		await ok('warehouse', 'POST', `/cp/property/${item.id}/events`, { type: 'problem', note: '刃口断裂 Blade broken', details: { problem_type: 'damage' } });
		fixtures.property = item.id;
	});

	/** Every HTML route of the bundle, with a record that prints (null: none made here) and a record that does not exist. */
	const ROUTES: { route: string; ok: (() => string) | null; missing: string }[] = [
		{
			route: '/cp/contracts/:id/review-form',
			ok: () => `/cp/contracts/${fixtures.contract}/review-form`,
			missing: `/cp/contracts/${randomUUID()}/review-form`,
		},
		{ route: '/cp/discrepancies/:id/form', ok: null, missing: `/cp/discrepancies/${randomUUID()}/form` },
		{ route: '/cp/contracts/:id/order-confirmation', ok: null, missing: `/cp/contracts/${randomUUID()}/order-confirmation` },
		{ route: '/cp/contracts/:id/task-notice', ok: null, missing: `/cp/contracts/${randomUUID()}/task-notice` },
		{ route: '/cp/changes/:id/notice', ok: null, missing: `/cp/changes/${randomUUID()}/notice` },
		{ route: '/cp/samples/:id/inspection-report', ok: null, missing: `/cp/samples/${randomUUID()}/inspection-report` },
		{ route: '/cp/complaints/:id/form', ok: () => `/cp/complaints/${fixtures.complaint}/form`, missing: `/cp/complaints/${randomUUID()}/form` },
		{ route: '/cp/property/register', ok: () => '/cp/property/register', missing: `/cp/property/register?customer=${randomUUID()}` },
		{ route: '/cp/property/:id/label', ok: () => `/cp/property/${fixtures.property}/label`, missing: `/cp/property/${randomUUID()}/label` },
		{
			route: '/cp/property/:id/problem-report',
			ok: () => `/cp/property/${fixtures.property}/problem-report`,
			missing: `/cp/property/${randomUUID()}/problem-report`,
		},
		{ route: '/cp/evidence-pack', ok: () => '/cp/evidence-pack?from=2026-01-01&to=2026-12-31', missing: '/cp/evidence-pack?from=2026-13-01&to=2026-12-31' },
	];

	async function headersOf(who: string | null, path: string) {
		const res = await fetch(`${cp().url}${path}`, { headers: who ? { authorization: `Bearer ${await token(who)}` } : {} });
		await res.arrayBuffer();
		return {
			status: res.status,
			type: res.headers.get('content-type'),
			nosniff: res.headers.get('x-content-type-options'),
			csp: res.headers.get('content-security-policy'),
		};
	}

	it.each(ROUTES)('X-1 $route: the page, the 401 and the refusal of a missing record carry nosniff and the CSP', async ({ ok: okPath, missing }) => {
		const pages = [await headersOf(null, okPath?.() ?? missing), await headersOf('admin', missing)];
		if (okPath) pages.push(await headersOf('admin', okPath()));
		expect(pages[0]!.status).toBe(401);
		expect(pages[1]!.status).toBeGreaterThanOrEqual(400);
		if (okPath) {
			expect(pages[2]!.status).toBe(200);
			expect(pages[2]!.type).toMatch(okPath().startsWith('/cp/evidence-pack') ? /application\/zip/ : /text\/html; charset=utf-8/);
		}
		for (const p of pages) expect([p.status, p.nosniff, p.csp]).toEqual([p.status, 'nosniff', CSP]);
	});
});
