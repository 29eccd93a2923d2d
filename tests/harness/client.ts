// Test-side access to the running Directus: @directus/sdk clients per department, and a raw
// HTTP helper for asserting status codes and error codes of refused requests.
import { authentication, createDirectus, rest, type RestClient, type AuthenticationClient } from '@directus/sdk';
import { inject } from 'vitest';
import { databaseKnex } from './harness.mjs';

export const cp = () => inject('cp');

type Client = RestClient<any> & AuthenticationClient<any>;
const clients = new Map<string, Client>();
const tokens = new Map<string, string>();

export type Who = 'admin' | string;

interface Credentials {
	email: string;
	password: string;
}
/** Users of instances other than the shared one (the scale suite's own clusters), by URL. */
const instances = new Map<string, { admin: Credentials; users: Record<string, Credentials> }>();

/**
 * Lets as/token/http/ok target the instances of another harness (pass its url as the last
 * argument); their users are that harness's. Tokens are per user and URL.
 */
export function addInstances(info: { urls: string[]; admin: Credentials; users: Record<string, Credentials> }) {
	for (const url of info.urls) instances.set(url, { admin: info.admin, users: info.users });
}

/** Forgets the tokens and sdk clients of one URL (or all), e.g. after its process was restarted. */
export function forgetLogins(url?: string) {
	for (const m of [clients, tokens]) for (const k of [...m.keys()]) if (url === undefined || k.endsWith(`@${url}`)) m.delete(k);
}

function credentials(who: Who, url: string): Credentials {
	const info = instances.get(url) ?? cp();
	if (who === 'admin') return info.admin;
	const u = info.users[who];
	if (!u) throw new Error(`no test user for department ${who}`);
	return u;
}

export async function as(who: Who, url = cp().url): Promise<Client> {
	const key = `${who}@${url}`;
	let c = clients.get(key);
	if (!c) {
		c = createDirectus(url).with(authentication('json')).with(rest()) as Client;
		const { email, password } = credentials(who, url);
		await c.login({ email, password });
		clients.set(key, c);
	}
	return c;
}

export async function token(who: Who, url = cp().url): Promise<string> {
	const key = `${who}@${url}`;
	if (!tokens.has(key)) {
		const { email, password } = credentials(who, url);
		const res = await fetch(`${url}/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, password }),
		});
		const body = await res.json();
		if (!res.ok) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
		tokens.set(key, body.data.access_token);
	}
	return tokens.get(key)!;
}

export interface HttpResult<T = any> {
	status: number;
	data: T;
	code?: string;
	message?: string;
	body: any;
}

/** Raw HTTP as a department user (or anonymous with who = null). */
export async function http<T = any>(who: Who | null, method: string, path: string, body?: unknown, url = cp().url): Promise<HttpResult<T>> {
	const headers: Record<string, string> = {};
	if (who) headers.authorization = `Bearer ${await token(who, url)}`;
	// A form (a file upload, an import) goes as multipart with the boundary fetch sets.
	const form = body instanceof FormData;
	if (body !== undefined && !form) headers['content-type'] = 'application/json';
	const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
	const text = await res.text();
	let parsed: any;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		parsed = text;
	}
	const err = parsed?.errors?.[0];
	return { status: res.status, data: parsed?.data, code: err?.extensions?.code, message: err?.message, body: parsed };
}

/** Like http() but throws unless 2xx; returns data. */
export async function ok<T = any>(who: Who | null, method: string, path: string, body?: unknown, url?: string): Promise<T> {
	const r = await http<T>(who, method, path, body, url);
	if (r.status >= 300) throw new Error(`${method} ${path} as ${who}: ${r.status} ${r.code} ${r.message}`);
	return r.data;
}

let db: ReturnType<typeof databaseKnex> | null = null;
/** Direct database access, for assertions that nothing was written behind the API's back. */
export function database() {
	if (!db) db = databaseKnex(cp().dbSettings);
	return db;
}

/**
 * Moves the server clock (services/clock.ts, /cp/test/clock) of every given instance by the same
 * amount, so that they agree on the time: hours pass without a sleep.
 */
export async function advanceClock(ms: number, urls: string[] = [cp().url]) {
	for (const url of urls) await ok('admin', 'POST', '/cp/test/clock', { advanceMs: ms }, url);
}

/** Sets the server clock of every given instance to the instant `at` (it runs on from there). */
export async function setClock(at: string, urls: string[] = [cp().url]) {
	for (const url of urls) await ok('admin', 'POST', '/cp/test/clock', { at }, url);
}

/** Sets the server clock of every given instance back to the real time. */
export async function resetClock(urls: string[] = [cp().url]) {
	for (const url of urls) await ok('admin', 'POST', '/cp/test/clock', { reset: true }, url);
}

export { eventually } from './eventually';

let seq = 0;
/** Unique codes per test run, so tests never collide on unique fields. */
export const uid = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;
