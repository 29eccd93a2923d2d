/**
 * Who is asking, for the request budget of the public (account-less) routes: the web-form
 * intake (CP-1), the verification link (CP-5) and the survey link (CC-4). The key is the
 * address of the machine that opened the connection; an X-Forwarded-For entry counts only
 * when it was added by a proxy the company configured (CP_TRUSTED_PROXIES), because any
 * client can write that header and would otherwise pick a fresh key for every request.
 * Directus's own req.ip trusts every forwarded address by default (IP_TRUST_PROXY=true), so
 * it is not used here.
 */
import proxyaddr from 'proxy-addr';
import ipaddr from 'ipaddr.js';
import { DomainError } from '../errors';

export type ProxyTrust = (addr: string, hop: number) => boolean;

const TRUST_NONE: ProxyTrust = () => false;

/**
 * Parses CP_TRUSTED_PROXIES: comma-separated addresses, CIDR ranges or proxy-addr's names
 * (loopback, linklocal, uniquelocal). Empty or missing: no proxy is trusted. Throws
 * CP_INVALID_VALUE naming the entry that is not an address.
 */
export function trustedProxies(setting: unknown): { trust: ProxyTrust; entries: string[] } {
	if (setting === undefined || setting === null || setting === false) return { trust: TRUST_NONE, entries: [] };
	const entries = (Array.isArray(setting) ? setting.map(String) : String(setting).split(',')).map((s) => s.trim()).filter(Boolean);
	if (!entries.length) return { trust: TRUST_NONE, entries };
	for (const e of entries) {
		try {
			proxyaddr.compile(e);
		} catch {
			throw new DomainError('CP_INVALID_VALUE', `CP_TRUSTED_PROXIES: '${e}' is not an address, a CIDR range or one of loopback, linklocal, uniquelocal`, {
				field: 'CP_TRUSTED_PROXIES',
			});
		}
	}
	return { trust: proxyaddr.compile(entries), entries };
}

/**
 * The budget key of one request: the nearest address in front of the trusted proxies. An
 * IPv4-mapped IPv6 address is the IPv4 client it stands for; an IPv6 client is keyed by its
 * /64, since one subscriber line gets a whole /64 and could rotate through it.
 */
export function clientKey(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trust: ProxyTrust): string {
	if (!socketAddress) return 'unknown';
	const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
	const addr = proxyaddr({ headers: { 'x-forwarded-for': header }, socket: { remoteAddress: socketAddress } }, trust);
	return addressKey(addr);
}

function addressKey(addr: string): string {
	if (!ipaddr.isValid(addr)) return `?${addr.slice(0, 64)}`; // a trusted proxy forwarded something else
	const ip = ipaddr.process(addr); // ::ffff:a.b.c.d -> a.b.c.d
	if (ip instanceof ipaddr.IPv4) return ip.toString();
	return `${ip.parts
		.slice(0, 4)
		.map((p) => p.toString(16))
		.join(':')}::/64`;
}

/**
 * A fixed-window budget of `limit` requests per key and window; one instance's memory (the
 * single use of each link is guarded by the database, not by this budget).
 */
export function requestBudget(limit: number, windowMs: number) {
	const hits = new Map<string, { n: number; reset: number }>();
	return (key: string, now = Date.now()): void => {
		if (hits.size > 10_000) for (const [k, v] of hits) if (v.reset <= now) hits.delete(k);
		const h = hits.get(key);
		if (!h || h.reset <= now) {
			hits.set(key, { n: 1, reset: now + windowMs });
			return;
		}
		if (++h.n > limit) throw new DomainError('CP_RATE_LIMITED', 'Too many requests; try again in a minute', { status: 429 });
	};
}
