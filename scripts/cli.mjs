#!/usr/bin/env node
// The installer's command line, shipped in the package as dist/cli.mjs (bundled by
// extensions/customer-processes/extension.config.js) and run from the repository as
// `node scripts/install.mjs`:
//
//   npx directus-extension-customer-processes install --url https://directus.example.com --email admin@example.com --password ...
//   (or DIRECTUS_URL / DIRECTUS_TOKEN / ADMIN_EMAIL / ADMIN_PASSWORD in the environment)
//   --schema-only | --roles-only, --no-app-access, --customers-collection <name>,
//   --grant-customers-read (the departments' staff policy may read that collection),
//   --change-customers-collection (move the link to another collection), --check (preflight only)
//
//   npx directus-extension-customer-processes remove --url ... --email ... --password ... --export <folder> [--drop --yes]
//   exports every cp_ collection (JSON, CSV), the ledger, the evidence pack and a manifest into a
//   new folder; with --drop --yes (the bundle disabled) then deletes the bundle's collections,
//   roles, policies, presets, dashboard and module-bar entry, nothing else (scripts/remove.mjs).
//
// Every option and the host are checked before the first write (preflight); a refusal is one
// line naming the cause and the fix, with exit code 1 and nothing changed.
import { ApiError, connect } from './lib/api.mjs';
import { InstallError, install, preflight } from './install.mjs';
import { remove } from './remove.mjs';

const OPTIONS = {
	url: 'value',
	token: 'value',
	email: 'value',
	password: 'value',
	'customers-collection': 'value',
	'change-customers-collection': 'flag',
	'grant-customers-read': 'flag',
	'schema-only': 'flag',
	'roles-only': 'flag',
	'app-access': 'flag',
	check: 'flag',
	export: 'value',
	drop: 'flag',
	yes: 'flag',
	help: 'flag',
};

const USAGE = `usage: directus-extension-customer-processes install --url <Directus URL> (--email <admin e-mail> --password <password> | --token <admin token>)
  [--customers-collection <collection> [--grant-customers-read]] [--change-customers-collection] [--no-app-access] [--schema-only | --roles-only] [--check]
       directus-extension-customer-processes remove --url <Directus URL> (--email <admin e-mail> --password <password> | --token <admin token>)
  --export <new folder> [--drop --yes]
  remove exports every cp_ collection (JSON and CSV, all rows), cp_migrations, the evidence pack of all time
  (while the bundle runs) and manifest.json into the folder, and changes nothing. With --drop --yes (run with
  the bundle disabled and Directus restarted) it then deletes the cp_ collections, cp_migrations, the
  department roles and policies with their permissions, the presets of cp_ collections, the Insights
  dashboard and its module-bar entry; never a company collection, role, policy, preset, flow or dashboard.`;

export function parseArgs(argv) {
	const args = {};
	const rest = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) {
			rest.push(a);
			continue;
		}
		let key = a.slice(2);
		let value;
		if (key.includes('=')) [key, value] = [key.slice(0, key.indexOf('=')), key.slice(key.indexOf('=') + 1)];
		const negated = key.startsWith('no-') && OPTIONS[key.slice(3)] === 'flag';
		const name = negated ? key.slice(3) : key;
		if (!OPTIONS[name]) throw new InstallError(`unknown option --${key}`, `run with --help for the options`);
		if (OPTIONS[name] === 'flag') args[name] = !negated;
		else {
			value ??= argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : undefined;
			if (value === undefined || value === '') throw new InstallError(`--${name} needs a value`, `write --${name} <value>`);
			args[name] = value;
		}
	}
	return { args, command: rest[0] ?? 'install' };
}

/** One line for a person: the cause and the fix, never a stack trace. */
export function describeError(e, url, command = 'install') {
	if (e instanceof InstallError) return `${e.message}${e.fix ? ` — ${e.fix}` : ''}`;
	if (e instanceof ApiError) {
		if (e.status === 401)
			return `Directus at ${url} refused the credentials (${e.path === '/auth/login' ? 'e-mail or password wrong' : 'token invalid or expired'}) — check --email/--password or --token`;
		if (e.status === 403) return `Directus at ${url} refused ${e.method} ${e.path}: an admin is needed — log in as a user with admin access`;
		if (command === 'remove')
			return `Directus at ${url} answered ${e.status} to ${e.method} ${e.path}: ${e.detail} — fix the cause above and run remove again with a new export folder (what was already deleted stays deleted; the earlier export has it)`;
		return `Directus at ${url} answered ${e.status} to ${e.method} ${e.path}: ${e.detail} — fix the cause above and run the installer again (what was applied is kept; a second run adds only what is missing)`;
	}
	const cause = e?.cause?.code ?? e?.cause?.errors?.[0]?.code ?? e?.code;
	if (e instanceof TypeError && /fetch failed|Invalid URL|Failed to parse URL/i.test(e.message))
		return `cannot reach Directus at ${url} (${cause ?? e.message}) — check --url (e.g. https://directus.example.com) and that the server is running`;
	return `${e?.message ?? e} — run again; if it persists report it with this line`;
}

const INSTALL_ONLY = ['customers-collection', 'change-customers-collection', 'grant-customers-read', 'schema-only', 'roles-only', 'app-access', 'check'];
const REMOVE_ONLY = ['export', 'drop', 'yes'];

export async function main(argv = process.argv.slice(2), { env = process.env, log = console.log, error = console.error } = {}) {
	let url = env.DIRECTUS_URL ?? env.PUBLIC_URL ?? `http://127.0.0.1:${env.PORT ?? 8055}`;
	let tag = argv.find((a) => !a.startsWith('--')) === 'remove' ? '[remove]' : '[install]';
	try {
		const { args, command } = parseArgs(argv);
		if (args.help || command === 'help') {
			log(USAGE);
			return 0;
		}
		if (command !== 'install' && command !== 'remove') throw new InstallError(`unknown command '${command}'`, `the commands are 'install' and 'remove'`);
		tag = `[${command}]`;
		const misplaced = Object.keys(args).find((k) => (command === 'remove' ? INSTALL_ONLY : REMOVE_ONLY).includes(k));
		if (misplaced) throw new InstallError(`--${misplaced} is not an option of '${command}'`, `run with --help for the options`);
		if (command === 'remove') {
			if (!args.export) throw new InstallError('no export folder', 'pass --export <new folder>: the records are always exported first');
			if (args.drop && !args.yes)
				throw new InstallError(
					'--drop deletes the cp_ collections and their records',
					'add --yes to confirm (the export is written first), or leave out --drop to export only',
				);
		}
		url = args.url ?? url;
		if (!/^https?:\/\/[^/]+/.test(url)) throw new InstallError(`'${url}' is not a Directus URL`, `pass --url https://directus.example.com`);
		const token = args.token ?? env.DIRECTUS_TOKEN;
		const email = args.email ?? env.ADMIN_EMAIL;
		const password = args.password ?? env.ADMIN_PASSWORD;
		if (!token && !(email && password)) throw new InstallError('no credentials', 'pass --email and --password of an admin, or --token');
		const api = await connect({ url, token, email, password });
		if (command === 'remove') {
			await remove(api, { dir: args.export, drop: Boolean(args.drop) }, { log });
			return 0;
		}
		const options = {
			schema: !args['roles-only'],
			roles: !args['schema-only'],
			appAccess: args['app-access'] !== false,
			customersCollection: args['customers-collection'] ?? null,
			changeCustomersCollection: Boolean(args['change-customers-collection']),
			grantCustomersRead: Boolean(args['grant-customers-read']),
		};
		const plan = await preflight(api, options);
		for (const line of plan.lines) log(`[install] ${line}`);
		if (args.check) return 0;
		await install(api, options, { plan, log });
		return 0;
	} catch (e) {
		error(`${tag} error: ${describeError(e, url, tag === '[remove]' ? 'remove' : 'install')}`);
		if (env.CP_INSTALL_DEBUG) error(e);
		return 1;
	}
}
