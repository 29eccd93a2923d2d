// One Directus for the scale files that only send requests (permission matrix, fuzzing); the
// files that kill or multiply processes start their own harness. Public routes get a large
// per-IP budget here so that fuzzed tokens reach the token checks instead of the rate limit.
import type { TestProject } from 'vitest/node';
import { startHarness } from '../harness/harness.mjs';

export default async function setup(project: TestProject) {
	const h = await startHarness({ extraConfig: { CP_PUBLIC_RATE_LIMIT: '100000' } });
	project.provide('cp', h.info);
	return async () => h.teardown();
}
