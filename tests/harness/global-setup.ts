import type { TestProject } from 'vitest/node';
import { startHarness } from './harness.mjs';

export default async function setup(project: TestProject) {
	const h = await startHarness();
	project.provide('cp', h.info);
	return async () => h.teardown();
}

declare module 'vitest' {
	export interface ProvidedContext {
		cp: Awaited<ReturnType<typeof startHarness>>['info'];
	}
}
