import { spawn } from 'node:child_process';

/** Runs a command without blocking the event loop (a blocked loop leaves the HTTP client's kept-alive sockets stale). */
export function run(cmd: string, args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
	return new Promise((resolveRun) => {
		const child = spawn(cmd, args, { cwd, env: { PATH: process.env.PATH ?? '' } });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('close', (status) => resolveRun({ status, stdout, stderr }));
	});
}
