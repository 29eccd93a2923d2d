// A private Dovecot IMAP server for the mail tests (CP-1): its own config file, port, mail
// directory and passwd-file in a temp dir, so parallel runs never share a mailbox and the
// system service and ports stay untouched. Debian: apt-get install dovecot-imapd (.ci/run does).
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './harness.mjs';

export const DOVECOT_BIN = process.env.CP_DOVECOT_BIN ?? '/usr/sbin/dovecot';

export const dovecotAvailable = () => existsSync(DOVECOT_BIN);

/** uid/gid of a system user from /etc/passwd (Debian's package creates 'dovecot' and 'dovenull'). */
function systemUser(name) {
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line) return null;
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

async function listening(port, timeoutMs = 10_000) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		const ok = await new Promise((resolve) => {
			const s = connect({ host: '127.0.0.1', port });
			s.on('connect', () => {
				s.end();
				resolve(true);
			});
			s.on('error', () => resolve(false));
		});
		if (ok) return true;
		await new Promise((r) => setTimeout(r, 100));
	}
	return false;
}

/**
 * Starts Dovecot in the foreground on 127.0.0.1:<free port> with one mailbox user; returns
 * { host, port, user, password, stop() }. Messages are delivered by IMAP APPEND from the test.
 */
export async function startDovecot({ user = 'complaints', password = `pw-${process.pid}-${Date.now().toString(36)}` } = {}) {
	const dir = mkdtempSync(join(tmpdir(), 'cp-dovecot-'));
	const port = await freePort();
	const owner = systemUser('dovecot') ?? { uid: process.getuid(), gid: process.getgid() };
	const mail = join(dir, 'mail');
	for (const d of [mail, join(dir, 'run'), join(dir, 'state')]) mkdirSync(d, { recursive: true });
	chownSync(mail, owner.uid, owner.gid);
	// Dovecot's auth and mail processes run as the dovecot user: they must reach the files.
	chmodSync(dir, 0o755);
	writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
	const config = join(dir, 'dovecot.conf');
	writeFileSync(
		config,
		`# Private test instance (tests/harness/dovecot.mjs)
protocols = imap
listen = 127.0.0.1
base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
instance_name = cp-test-${process.pid}-${port}
log_path = ${join(dir, 'dovecot.log')}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${mail}/%u
first_valid_uid = ${owner.uid}
last_valid_uid = 0
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${join(dir, 'passwd')}
}
userdb {
  driver = static
  args = uid=${owner.uid} gid=${owner.gid} home=${mail}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
`,
	);
	const child = spawn(DOVECOT_BIN, ['-F', '-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
	const output = [];
	child.stdout.on('data', (d) => output.push(String(d)));
	child.stderr.on('data', (d) => output.push(String(d)));
	const stop = async () => {
		if (child.exitCode === null && !child.signalCode) {
			await new Promise((resolve) => {
				const t = setTimeout(() => child.kill('SIGKILL'), 5000);
				child.once('exit', () => {
					clearTimeout(t);
					resolve();
				});
				child.kill('SIGTERM');
			});
		}
		rmSync(dir, { recursive: true, force: true });
	};
	if (!(await listening(port))) {
		const log = existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '';
		await stop();
		throw new Error(`dovecot did not start on ${port}:\n${output.join('')}\n${log}`);
	}
	return { host: '127.0.0.1', port, user, password, dir, stop };
}
