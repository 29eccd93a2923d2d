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

export interface Mail {
	/** Directus user ids. */
	recipients: string[];
	subject: string;
	text: string;
}
export type Mailer = (mails: Mail[]) => Promise<void>;

/** Several alerts of one run to one person, as one e-mail: the count in the subject, each alert's subject and text. */
function digest(to: string, list: Mail[]): { to: string; subject: string; text: string } {
	return {
		to,
		subject: `${list.length} 项提醒 ${list.length} alerts: ${list[0]!.subject}`.slice(0, 255),
		text: list.map((m) => `${m.subject}\n${m.text}`).join('\n\n'),
	};
}

/** E-mails sent at the same time by one run. */
const MAIL_POOL = 6;

/**
 * E-mails through Directus's own MailService (EMAIL_* settings), to the recipients who keep
 * e-mail notifications on. A failing mail server is logged and never undoes the caller's work.
 */
export function directusMailer(deps: { services: any; getSchema: () => Promise<any>; database: Knex; logger: { warn: (...a: any[]) => void } }): Mailer {
	return async (mails) => {
		if (!mails.length) return;
		const service = new deps.services.MailService({ schema: await deps.getSchema(), knex: deps.database });
		// One query for every recipient of the run, then a few sends at a time (issue 14: a tick's
		// cost follows its due items; one SMTP round trip after the other made it ~25 ms per item).
		const ids = [...new Set(mails.flatMap((m) => m.recipients))];
		const emails = new Map<string, string>();
		for (let i = 0; i < ids.length; i += 500) {
			const rows = await deps
				.database('directus_users')
				.whereIn('id', ids.slice(i, i + 500))
				.whereNotNull('email')
				.where((q) => q.where('email_notifications', true).orWhereNull('email_notifications'))
				.select('id', 'email');
			for (const r of rows) emails.set(String(r.id), String(r.email));
		}
		// Directus reads its project settings for every mail unless given them: once per run.
		const defaultTemplateData =
			typeof service.getDefaultTemplateData === 'function' ? await service.getDefaultTemplateData().catch(() => undefined) : undefined;
		// One e-mail per person and run (issue 14): a person with several alerts of one run gets them
		// in one message, in order, instead of one SMTP delivery each; the inbox keeps one
		// notification per record. A single alert is sent exactly as it is.
		const perPerson = new Map<string, Mail[]>();
		for (const m of mails) {
			for (const id of new Set(m.recipients.map(String))) {
				const to = emails.get(id);
				if (!to) continue;
				if (!perPerson.has(to)) perPerson.set(to, []);
				perPerson.get(to)!.push(m);
			}
		}
		const sends = [...perPerson].map(([to, list]) => (list.length === 1 ? { to, subject: list[0]!.subject, text: list[0]!.text } : digest(to, list)));
		let next = 0;
		await Promise.all(
			Array.from({ length: Math.min(MAIL_POOL, sends.length) }, async () => {
				while (next < sends.length) {
					const mail = sends[next++]!;
					try {
						await service.send(mail, defaultTemplateData ? { defaultTemplateData } : undefined);
					} catch (e) {
						deps.logger.warn(e, `[customer-processes] e-mail to ${mail.to} failed`);
					}
				}
			}),
		);
	};
}
