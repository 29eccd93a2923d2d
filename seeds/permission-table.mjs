// The permission matrix as each department effectively has it: the shared staff policy plus the
// department's own policy (seeds/departments.mjs PERMISSIONS, applied by scripts/install.mjs).
// `npm run permissions:table` prints it as Markdown for the README; tests/scale/permissions
// checks every cell over HTTP.
import { pathToFileURL } from 'node:url';
import { ACTIONS, ALL_CP, DEPARTMENTS, PERMISSIONS } from './departments.mjs';

export const CP_COLLECTIONS = ALL_CP;

const ORDER = Object.keys(ACTIONS); // c r u d

/** Letters (subset of "crud", in that order) a department's users have on a collection. */
export function effectiveLetters(department, collection) {
	const have = new Set([...(PERMISSIONS.staff?.[collection] ?? ''), ...(PERMISSIONS[department]?.[collection] ?? '')]);
	return ORDER.filter((l) => have.has(l)).join('');
}

/** Every cell: { department, collection, action: 'create'|'read'|'update'|'delete', allowed }. */
export function permissionCells() {
	const cells = [];
	for (const d of DEPARTMENTS) {
		for (const collection of CP_COLLECTIONS) {
			const letters = effectiveLetters(d.key, collection);
			for (const l of ORDER) cells.push({ department: d.key, collection, action: ACTIONS[l], allowed: letters.includes(l) });
		}
	}
	return cells;
}

/**
 * Markdown table: one row per collection, one column per department, cells with the letters
 * c(reate) r(ead) u(pdate) d(elete); business rules in the hooks narrow these further.
 */
export function permissionTableMarkdown({ zh = true } = {}) {
	const head = ['Collection', ...DEPARTMENTS.map((d) => (zh ? `${d.en}<br>${d.zh}` : d.en))];
	const rows = CP_COLLECTIONS.map((c) => [`\`${c}\``, ...DEPARTMENTS.map((d) => effectiveLetters(d.key, c) || '–')]);
	const line = (cells) => `| ${cells.join(' | ')} |`;
	return [
		line(head),
		line(head.map((_, i) => (i === 0 ? ':--' : ':-:'))),
		...rows.map(line),
		'',
		'c = create, r = read, u = update, d = delete (Directus permissions: the shared staff policy plus the department policy). Who may sign which line, which transition is legal and what may be deleted are business rules enforced by the hooks.',
	].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	console.log(permissionTableMarkdown({ zh: !process.argv.includes('--en') }));
}
