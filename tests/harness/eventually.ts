// The one way tests wait: poll a condition until it holds or a deadline passes. Never a fixed
// sleep: a test waits for what it needs (an audit row written after the response, a cron run),
// and time that has to pass is moved on the server's clock (tests/harness/clock.ts).

/** Polls fn() until it returns a truthy value or timeoutMs passed; returns the last value. */
export async function eventually<T>(fn: () => Promise<T> | T, { timeoutMs = 15_000, everyMs = 100 } = {}): Promise<T> {
	const until = Date.now() + timeoutMs;
	let v = await fn();
	while (!v && Date.now() < until) {
		await new Promise((r) => setTimeout(r, everyMs));
		v = await fn();
	}
	return v;
}
