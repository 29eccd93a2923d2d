// A minimal REST client for the command-line tools (install, seed, generator). Tests use
// @directus/sdk; the tools stay dependency-free so that they run inside any Directus install.
export class ApiError extends Error {
	constructor(method, path, status, body) {
		const first = body?.errors?.[0];
		super(`${method} ${path} -> ${status}: ${first?.message ?? JSON.stringify(body)}`);
		this.method = method;
		this.path = path;
		this.detail = first?.message ?? (typeof body === 'object' ? JSON.stringify(body) : String(body));
		this.status = status;
		this.code = first?.extensions?.code;
		this.body = body;
	}
}

/** @param {{ url: string, email?: string, password?: string, token?: string }} opts */
export async function connect({ url, email, password, token }) {
	const base = url.replace(/\/$/, '');
	let access = token;
	if (!access) {
		const res = await fetch(`${base}/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email, password }),
		});
		const body = await res.json().catch(() => ({}));
		if (!res.ok) throw new ApiError('POST', '/auth/login', res.status, body);
		access = body.data.access_token;
	}
	async function request(method, path, data) {
		const res = await fetch(`${base}${path}`, {
			method,
			headers: { authorization: `Bearer ${access}`, ...(data !== undefined ? { 'content-type': 'application/json' } : {}) },
			body: data !== undefined ? JSON.stringify(data) : undefined,
		});
		if (res.status === 204) return null;
		const body = await res.json().catch(() => ({}));
		if (!res.ok) throw new ApiError(method, path, res.status, body);
		return body.data ?? body;
	}
	return {
		url: base,
		token: access,
		request,
		get: (p) => request('GET', p),
		post: (p, d) => request('POST', p, d ?? {}),
		patch: (p, d) => request('PATCH', p, d),
		del: (p) => request('DELETE', p),
		/** A file the API streams (the evidence pack zip), as a Buffer. */
		async download(path) {
			const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${access}` } });
			if (!res.ok) throw new ApiError('GET', path, res.status, await res.json().catch(() => ({})));
			return Buffer.from(await res.arrayBuffer());
		},
	};
}
