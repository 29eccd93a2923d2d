// The server's "now" for the complaint clock and the scheduled jobs. In production it is the
// real time, always. Tests that need time to pass (a pause that lasts hours, a deadline that
// falls due) move a test-only offset through /cp/test/clock instead of sleeping; the offset
// exists only after that endpoint was registered, which needs CP_TEST_CLOCK=true.
let offsetMs: number | null = null;

/** The current instant: the real time plus the test offset, if a test clock is enabled. */
export function now(): Date {
	return offsetMs === null ? new Date() : new Date(Date.now() + offsetMs);
}

/** Test-only controls; used by endpoints/cp/test-clock.ts and nothing else. */
export const testClock = {
	enable(): void {
		offsetMs ??= 0;
	},
	enabled(): boolean {
		return offsetMs !== null;
	},
	/** Moves the clock by ms (negative moves it back). */
	advance(ms: number): void {
		if (offsetMs === null) throw new Error('test clock is not enabled');
		offsetMs += ms;
	},
	/** Sets the clock to the instant `at` (it keeps running from there). */
	set(at: Date): void {
		if (offsetMs === null) throw new Error('test clock is not enabled');
		offsetMs = at.getTime() - Date.now();
	},
	reset(): void {
		if (offsetMs !== null) offsetMs = 0;
	},
	offset(): number {
		return offsetMs ?? 0;
	},
};
