// Setup and upgrade from inside Directus (issue 13): `GET /cp/setup` shows an admin what is
// installed and what the package brings (schema versions, missing collections, the host's
// collection limit), `POST /cp/setup` installs or upgrades. Both run the installer's own logic
// (scripts/install.mjs, bundled here): it talks to this instance's REST API with the caller's
// token, so it does exactly what the command line does, checks first and writes nothing on a
// refusal. Admins only. CP_SETUP_URL names the instance's own URL when it is not 127.0.0.1:PORT.
import { connect } from '../../../../../scripts/lib/api.mjs';
import { describeError } from '../../../../../scripts/cli.mjs';
import { install, preflight } from '../../../../../scripts/install.mjs';

type Router = { get: (p: string, h: (req: any, res: any, next: any) => any) => void; post: (p: string, h: (req: any, res: any, next: any) => any) => void };

export function mountSetup(router: Router, env: Record<string, any>): void {
	const self = () => String(env.CP_SETUP_URL ?? `http://127.0.0.1:${env.PORT ?? 8055}`);
	const guard = (req: any, res: any) => {
		if (req.accountability?.admin === true && req.token) return true;
		res.status(403).json({ errors: [{ message: '仅管理员可安装或升级 / Only an administrator installs or upgrades', extensions: { code: 'CP_ADMIN_ONLY' } }] });
		return false;
	};
	const options = (body: any) => ({
		appAccess: body?.app_access !== false,
		customersCollection: body?.customers_collection ?? null,
		changeCustomersCollection: Boolean(body?.change_customers_collection),
		grantCustomersRead: Boolean(body?.grant_customers_read),
	});
	router.get('/setup', async (req, res) => {
		if (!guard(req, res)) return;
		try {
			const api = await connect({ url: self(), token: req.token });
			const plan = await preflight(api, options(req.query));
			res.json({ data: { installed: plan.installed, package: plan.package, missing: plan.missing, total: plan.total, limit: plan.limit, lines: plan.lines } });
		} catch (e) {
			res.status(400).json({ errors: [{ message: describeError(e, self()), extensions: { code: 'CP_SETUP_REFUSED' } }] });
		}
	});
	router.post('/setup', async (req, res) => {
		if (!guard(req, res)) return;
		const log: string[] = [];
		try {
			const api = await connect({ url: self(), token: req.token });
			const opts = options(req.body);
			const plan = await preflight(api, opts);
			const result = await install(api, opts, { plan, log: (m: string) => log.push(m) });
			res.json({ data: { version: result.version, log } });
		} catch (e) {
			res.status(400).json({ errors: [{ message: describeError(e, self()), extensions: { code: 'CP_SETUP_REFUSED', log } }] });
		}
	});
}
