// Demo / test users: one per department. Passwords are for local demos only.
import { DEPARTMENTS } from './departments.mjs';

export const DEMO_PASSWORD = 'demo-pass-2026';

export const demoUsers = (domain = 'example.com') =>
	DEPARTMENTS.map((d) => ({
		department: d.key,
		email: `${d.key.replace('_', '-')}@${domain}`,
		password: DEMO_PASSWORD,
		first_name: d.en.split(' ')[0],
		last_name: d.zh,
		role: d.role,
	}));

/** Creates the users that do not exist yet; returns all of them. */
export async function ensureUsers(api, users, { log = console.log } = {}) {
	let created = 0;
	for (const u of users) {
		const found = await api.get(`/users?filter[email][_eq]=${encodeURIComponent(u.email)}&fields=id&limit=1`);
		if (found.length) {
			u.id = found[0].id;
			continue;
		}
		const { department, ...data } = u;
		const res = await api.post('/users', { ...data, status: 'active', language: department === 'sales' ? 'zh-CN' : 'en-US' });
		u.id = res.id;
		created++;
	}
	log(`[seed] users: ${created} created, ${users.length - created} already there`);
	return users;
}
