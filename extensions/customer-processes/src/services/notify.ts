// Directus notifications to the members of departments (they appear in the app's inbox).
import type { Knex } from 'knex';
import type { Settings } from './context';

export async function usersOfDepartments(knex: Knex, settings: Settings, departments: string[]): Promise<string[]> {
	const roles = departments.map((d) => settings.departments?.[d]).filter((r): r is string => Boolean(r));
	if (!roles.length) return [];
	const rows = await knex('directus_users').whereIn('role', roles).where('status', 'active').select('id');
	return rows.map((r: { id: string }) => r.id);
}

export async function notifyDepartments(
	knex: Knex,
	settings: Settings,
	departments: string[],
	note: { subject: string; message: string; collection: string; item: string | number },
	now = new Date(),
): Promise<number> {
	const users = await usersOfDepartments(knex, settings, departments);
	if (!users.length) return 0;
	await knex('directus_notifications').insert(
		users.map((recipient) => ({
			timestamp: now,
			status: 'inbox',
			recipient,
			sender: null,
			subject: note.subject.slice(0, 255),
			message: note.message,
			collection: note.collection,
			item: String(note.item),
		})),
	);
	return users.length;
}
