// A minimal SMTP server for the tests: accepts every message and appends it (from, to, raw
// data) as one JSON line to `file`, so tests in other processes can read what Directus sent.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function startSmtpSink(file) {
	writeFileSync(file, '');
	const server = createServer((socket) => {
		let mail = { from: null, to: [], data: '' };
		let inData = false;
		let buffer = '';
		const reply = (line) => socket.write(`${line}\r\n`);
		reply('220 cp-test-sink ESMTP');
		socket.on('data', (chunk) => {
			buffer += chunk.toString('utf8');
			let i;
			while ((i = buffer.indexOf('\r\n')) >= 0) {
				const line = buffer.slice(0, i);
				buffer = buffer.slice(i + 2);
				if (inData) {
					if (line === '.') {
						inData = false;
						appendFileSync(file, JSON.stringify({ ...mail, at: new Date().toISOString() }) + '\n');
						mail = { from: null, to: [], data: '' };
						reply('250 OK: queued');
					} else mail.data += (line.startsWith('..') ? line.slice(1) : line) + '\n';
					continue;
				}
				const cmd = line.slice(0, 4).toUpperCase();
				const address = (prefix) => line.replace(prefix, '').replace(/[<>]/g, '').split(' ')[0];
				if (cmd === 'EHLO' || cmd === 'HELO') reply('250 cp-test-sink');
				else if (cmd === 'MAIL') {
					mail.from = address(/^MAIL FROM:\s*/i);
					reply('250 OK');
				} else if (cmd === 'RCPT') {
					mail.to.push(address(/^RCPT TO:\s*/i));
					reply('250 OK');
				} else if (cmd === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (cmd === 'QUIT') {
					reply('221 Bye');
					socket.end();
				} else reply('250 OK');
			}
		});
		socket.on('error', () => undefined);
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, close: () => new Promise((r) => server.close(() => r())) }));
	});
}
