// CP-5: what the customer's answer through the verification link does to the feedback handling
// form, with worked examples; CP-1/CP-5/CC-4: the budget key of the public routes and the web
// form's single refusal.
import { describe, expect, it } from 'vitest';
import {
	planVerification,
	assertLinkUsable,
	assertTokenShape,
	type VerificationFacts,
} from '../../extensions/customer-processes/src/domain/complaints/verification';
import { parseWebForm, webFormCustomerMatches } from '../../extensions/customer-processes/src/domain/complaints/web-form';
import { clientKey, requestBudget, trustedProxies } from '../../extensions/customer-processes/src/domain/public/rate-limit';
import { catchError as err } from './catch-error';

// Worked example: complaint KF-2026-0042 (纸箱受潮塌箱), response sent 2026-11-05 10:00 (Shanghai),
// the one corrective action done, delivered product judged nonconforming; resolution due
// 2026-12-05 10:00; the link was sent with 14 days' validity on 2026-11-06.
const NOW = new Date('2026-11-10T02:00:00Z');
const READY: VerificationFacts = {
	status: 'verifying',
	expiresAt: new Date('2026-11-20T02:00:00Z'),
	respondedAt: new Date('2026-11-05T02:00:00Z'),
	actions: [{ status: 'done' }],
	productDisposition: 'nonconforming',
	resolutionDueAt: new Date('2026-12-05T02:00:00Z'),
	resolutionBreached: false,
};

describe('CP-5 planVerification', () => {
	it('CP-5 a confirmation with nothing else missing closes the form, consumes the link and audits answer and transition', () => {
		const plan = planVerification(READY, { decision: 'confirmed', note: '已复核,认可' }, NOW);
		expect(plan.to).toBe('closed');
		expect(plan.missing).toEqual([]);
		expect(plan.update).toEqual({
			verification: 'confirmed',
			verified_at: NOW,
			verification_note: '已复核,认可',
			verify_token_hash: null,
			status: 'closed',
			resolution_breached: false,
		});
		// Written only while still verifying: a second answer finds no verifying complaint.
		expect(plan.from).toBe('verifying');
		expect(plan.audit).toEqual([
			{ action: 'verification', data: { decision: 'confirmed', note: '已复核,认可', via: 'link' } },
			{ action: 'transition', from_status: 'verifying', to_status: 'closed' },
		]);
	});

	it('CP-5 a rejection reopens the form whatever else is missing, with the note on record', () => {
		const plan = planVerification({ ...READY, actions: [{ status: 'open' }] }, { decision: 'rejected', note: '仍有塌箱' }, NOW);
		expect(plan.to).toBe('reopened');
		expect(plan.update).toMatchObject({ verification: 'rejected', verification_note: '仍有塌箱', verify_token_hash: null, status: 'reopened' });
		expect(plan.update).not.toHaveProperty('resolution_breached');
		expect(plan.audit.map((a) => a.to_status ?? a.action)).toEqual(['verification', 'reopened']);
	});

	it('CP-5 a confirmation while an action is still open stays verifying, recorded, for staff to close', () => {
		const plan = planVerification({ ...READY, actions: [{ status: 'done' }, { status: 'open' }] }, { decision: 'confirmed' }, NOW);
		expect(plan.to).toBe('verifying');
		expect(plan.update).toMatchObject({ verification: 'confirmed', verify_token_hash: null, status: 'verifying', verification_note: null });
		expect(plan.missing).toEqual(['1 corrective action(s) not done (CP-3)']);
		expect(plan.audit).toEqual([{ action: 'verification', data: { decision: 'confirmed', note: null, via: 'link' } }]);
	});

	it('CP-5/CP-6 a confirmation without the delivered product disposition stays verifying', () => {
		const plan = planVerification({ ...READY, productDisposition: null }, { decision: 'confirmed' }, NOW);
		expect([plan.to, plan.missing]).toEqual(['verifying', ['delivered product disposition not recorded (CP-6)']]);
	});

	it('CP-3/CP-5 a complaint without actions but with the reason on record closes on confirmation', () => {
		const plan = planVerification({ ...READY, actions: [], noActionReason: '投诉不成立:客户仓储温湿度超标' }, { decision: 'confirmed' }, NOW);
		expect(plan.to).toBe('closed');
		const without = planVerification({ ...READY, actions: [] }, { decision: 'confirmed' }, NOW);
		expect([without.to, without.missing]).toEqual(['verifying', ['no corrective action recorded (CP-3)']]);
	});

	it('CP-4/CP-5 a confirmation after the resolution deadline closes the form as breached', () => {
		const late = new Date('2026-12-06T02:00:00Z');
		const plan = planVerification({ ...READY, expiresAt: new Date('2026-12-10T00:00:00Z') }, { decision: 'confirmed' }, late);
		expect(plan.update).toMatchObject({ status: 'closed', resolution_breached: true });
		// Once breached, always breached.
		expect(planVerification({ ...READY, resolutionBreached: true }, { decision: 'confirmed' }, NOW).update.resolution_breached).toBe(true);
	});

	it('CP-5 an unknown, used (no longer verifying), closed or expired link is one answer, before the answer is looked at', () => {
		const invalid = (facts: VerificationFacts | null) => {
			const e = err(() => planVerification(facts, { decision: 'maybe' }, NOW));
			return [e.code, e.status, e.message];
		};
		const expected = ['CP_LINK_INVALID', 404, 'This link is not valid or has expired'];
		expect(invalid(null)).toEqual(expected);
		expect(invalid({ ...READY, status: 'closed' })).toEqual(expected);
		expect(invalid({ ...READY, status: 'reopened' })).toEqual(expected);
		expect(invalid({ ...READY, expiresAt: NOW })).toEqual(expected);
		expect(invalid({ ...READY, expiresAt: null })).toEqual(expected);
		for (const t of ['', 'not-a-token', 'a'.repeat(42), `${'a'.repeat(42)}.`, 'a'.repeat(44), 42, null]) {
			expect([err(() => assertTokenShape(t)).code]).toEqual(['CP_LINK_INVALID']);
		}
		expect(() => assertTokenShape('A'.repeat(21) + '-_' + 'z'.repeat(20))).not.toThrow();
		expect(() => assertLinkUsable(READY, NOW)).not.toThrow();
	});

	it('CP-5 refuses an answer that is neither confirmed nor rejected, or a note that is not short text', () => {
		expect([err(() => planVerification(READY, { decision: 'maybe' }, NOW)).field]).toEqual(['decision']);
		expect([err(() => planVerification(READY, {}, NOW)).code]).toEqual(['CP_INVALID_VALUE']);
		expect([err(() => planVerification(READY, { decision: 'confirmed', note: 'x'.repeat(2001) }, NOW)).field]).toEqual(['note']);
		expect([err(() => planVerification(READY, { decision: 'confirmed', note: { text: 'x' } }, NOW)).field]).toEqual(['note']);
		expect(planVerification(READY, { decision: 'confirmed', note: 'x'.repeat(2000) }, NOW).to).toBe('closed');
	});
});

describe('CP-1/CP-5/CC-4 budget key of the public routes', () => {
	const none = trustedProxies(undefined).trust;
	const proxy = trustedProxies('10.0.0.5, 192.168.0.0/16').trust;

	it('CP-1 without a trusted proxy the key is the connecting address, whatever X-Forwarded-For says', () => {
		expect(clientKey('198.51.100.7', '203.0.113.1', none)).toBe('198.51.100.7');
		expect(clientKey('198.51.100.7', '203.0.113.2, 10.0.0.5', none)).toBe('198.51.100.7');
		expect(clientKey('198.51.100.7', undefined, none)).toBe('198.51.100.7');
	});

	it('CP-1 behind a trusted proxy the key is the address the proxy saw; entries the client wrote before it do not count', () => {
		expect(clientKey('10.0.0.5', '203.0.113.1', proxy)).toBe('203.0.113.1');
		// The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
		expect(clientKey('10.0.0.5', '1.2.3.4, 203.0.113.1', proxy)).toBe('203.0.113.1');
		// Two trusted hops.
		expect(clientKey('10.0.0.5', '203.0.113.1, 192.168.3.4', proxy)).toBe('203.0.113.1');
		// A connection from elsewhere is not the proxy, even if it claims a forwarded address.
		expect(clientKey('198.51.100.7', '203.0.113.1', proxy)).toBe('198.51.100.7');
	});

	it('CP-1 one client is one key: IPv4-mapped IPv6 is the IPv4 address, IPv6 counts per /64', () => {
		expect(clientKey('::ffff:198.51.100.7', undefined, none)).toBe('198.51.100.7');
		expect(clientKey('2001:db8:1:2::1', undefined, none)).toBe(clientKey('2001:db8:1:2:ffff:1:2:3', undefined, none));
		expect(clientKey('2001:db8:1:2::1', undefined, none)).not.toBe(clientKey('2001:db8:1:3::1', undefined, none));
		expect(clientKey(undefined, '203.0.113.1', none)).toBe('unknown');
	});

	it('CP-1 CP_TRUSTED_PROXIES takes addresses, ranges and names, and refuses anything else', () => {
		expect(trustedProxies('').entries).toEqual([]);
		expect(trustedProxies(' loopback , 10.0.0.0/8,::1 ').entries).toEqual(['loopback', '10.0.0.0/8', '::1']);
		expect(clientKey('127.0.0.1', '203.0.113.9', trustedProxies('loopback').trust)).toBe('203.0.113.9');
		expect(err(() => trustedProxies('10.0.0.5, proxy.example')).message).toContain("'proxy.example'");
		expect(err(() => trustedProxies('10.0.0.0/33')).code).toBe('CP_INVALID_VALUE');
	});

	it('CC-4 a key spends its own budget per window', () => {
		const take = requestBudget(2, 60_000);
		take('a', 0);
		take('a', 1);
		expect(err(() => take('a', 2)).code).toBe('CP_RATE_LIMITED');
		take('b', 2);
		take('a', 60_000);
	});
});

describe('CP-1 web form refusal', () => {
	const form = { customer_code: 'C-1', email: 'buyer@example.com', summary: '箱子破损' };
	it('CP-1 every malformed form gets the same refusal, naming no field', () => {
		const bad = [
			null,
			[],
			'text',
			{},
			{ ...form, summary: undefined },
			{ ...form, summary: '   ' },
			{ ...form, summary: 'x'.repeat(256) },
			{ ...form, email: 42 },
			{ ...form, customer_code: '' },
			{ ...form, description: { a: 1 } },
			{ ...form, status: 'closed' },
		];
		const answers = bad.map((b) => {
			const e = err(() => parseWebForm(b));
			return JSON.stringify([e.code, e.status, e.message, e.field ?? null, e.details ?? null]);
		});
		expect(new Set(answers).size).toBe(1);
		expect(JSON.parse(answers[0]!).slice(0, 2)).toEqual(['CP_INVALID_VALUE', 400]);
		expect(parseWebForm({ ...form, customer_code: ' C-1 ', product: '纸箱' })).toMatchObject({ customerCode: 'C-1', product: '纸箱', batch: null });
	});

	it('CP-1 the pair matches an active customer whose e-mail on record is the one given', () => {
		const f = parseWebForm({ ...form, email: 'Buyer@Example.com' });
		expect(webFormCustomerMatches({ email: 'buyer@example.com ', status: 'active' }, f)).toBe(true);
		expect(webFormCustomerMatches({ email: 'other@example.com', status: 'active' }, f)).toBe(false);
		expect(webFormCustomerMatches({ email: 'buyer@example.com', status: 'archived' }, f)).toBe(false);
		expect(webFormCustomerMatches({ email: null }, f)).toBe(false);
		expect(webFormCustomerMatches(null, f)).toBe(false);
	});
});
