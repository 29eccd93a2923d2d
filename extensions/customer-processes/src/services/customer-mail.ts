// E-mails to a customer (CP-5 the written response with the verification link, CC-4 the survey
// invitation) through Directus's own MailService, and the record of the sending: a contact log
// entry (cp_communications, by mail) and an audit entry on the complaint or survey.
// A failing mail server is logged and recorded as failed; it never undoes the link.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ActorInfo } from './context';
import { appendAudit } from './audit';
import type { MailText } from '../domain/public/pages';

export interface CustomerMailDeps {
	services: any;
	getSchema: () => Promise<any>;
	database: Knex;
	logger: { warn: (...a: any[]) => void };
}

export interface CustomerMail {
	/** The record the mail is about: its audit trail gets the sending. */
	collection: 'cp_complaints' | 'cp_communications';
	item: string;
	customer: string | null;
	contract?: string | null;
	/** The contact log entry's type (CC-1). */
	logType: string;
	/** The contact log entry's summary, in both languages. */
	logSummary: string;
	kind: 'verification_link' | 'survey_invitation';
	mail: MailText;
}

export interface MailOutcome {
	mailed: boolean;
	/** The address it went to (or would have): shown to staff, never to anyone else. */
	to: string | null;
}

/** Sends `m` to the customer's e-mail on record and records the sending; no address, no mail. */
export async function mailCustomer(deps: CustomerMailDeps, actor: ActorInfo, m: CustomerMail, now = new Date()): Promise<MailOutcome> {
	const { database } = deps;
	const customer = m.customer ? await database('cp_customers').where('id', m.customer).first('email') : null;
	const to = String(customer?.email ?? '').trim() || null;
	if (!to) return { mailed: false, to: null };
	let mailed = true;
	try {
		const service = new deps.services.MailService({ schema: await deps.getSchema(), knex: database });
		await service.send({ to, subject: m.mail.subject, text: m.mail.text });
	} catch (e) {
		mailed = false;
		deps.logger.warn(e, `[customer-processes] e-mail to the customer (${m.kind}) failed`);
	}
	await database.transaction(async (trx) => {
		const entries = [{ collection: m.collection, item: m.item, action: mailed ? 'mail_sent' : 'mail_failed', data: { kind: m.kind, to } }];
		if (mailed) {
			const id = randomUUID();
			await trx('cp_communications').insert({
				id,
				customer: m.customer,
				contract: m.contract ?? null,
				type: m.logType,
				channel: 'mail',
				occurred_at: now,
				summary: m.logSummary.slice(0, 255),
				date_created: now,
				user_created: actor.userId,
			});
			entries.push({ collection: 'cp_communications', item: id, action: 'create', data: { kind: m.kind, to } });
		}
		await appendAudit(trx, actor, entries, now);
	});
	return { mailed, to };
}
