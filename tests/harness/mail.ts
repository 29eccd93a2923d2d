// The e-mails Directus sent during the tests (the harness's SMTP sink writes one JSON line each).
import { readFileSync } from 'node:fs';
import { cp } from './client';

export interface SentMail {
	from: string | null;
	to: string[];
	/** Subject and body, decoded. */
	text: string;
}

/** Every mail sent so far, decoded. */
export function sentMails(): SentMail[] {
	return readFileSync(cp().mailLog, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l))
		.map((m: any) => ({ from: m.from, to: m.to, text: decodeMail(m.data) }));
}

/** Subject and body of a raw mail as text: RFC 2047 subject words (bytes may split across words), base64 or quoted-printable body. */
export function decodeMail(raw: string): string {
	const [head, ...rest] = raw.split('\n\n');
	const headers = head.replace(/\n[ \t]+/g, ' ');
	const subjectLine = /^Subject: (.*)$/m.exec(headers)?.[1] ?? '';
	const words = [...subjectLine.matchAll(/=\?utf-8\?([bq])\?([^?]*)\?=/gi)];
	const subject = words.length
		? Buffer.concat(
				words.map(([, enc, text]) =>
					enc.toLowerCase() === 'b'
						? Buffer.from(text, 'base64')
						: Buffer.from(
								text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h) => String.fromCharCode(parseInt(h, 16))),
								'latin1',
							),
				),
			).toString('utf8')
		: subjectLine;
	const bodyRaw = rest.join('\n\n');
	const encoding = /^Content-Transfer-Encoding: (\S+)/im.exec(headers)?.[1]?.toLowerCase();
	const body =
		encoding === 'base64'
			? Buffer.from(bodyRaw.replace(/\s+/g, ''), 'base64').toString('utf8')
			: encoding === 'quoted-printable'
				? Buffer.from(
						bodyRaw.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, h) => String.fromCharCode(parseInt(h, 16))),
						'latin1',
					).toString('utf8')
				: bodyRaw;
	return `${subject}\n${body}`;
}
