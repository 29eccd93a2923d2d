// Built on its own to dist/vendor/mail.cjs (extension.config.js): loaded when the mailbox is first read.
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
export { ImapFlow, simpleParser };
