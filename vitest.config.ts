import { defineConfig } from 'vitest/config';

// Unit tests (tests/unit) need nothing; integration tests (tests/integration) share one real
// Directus started by the global setup. `npm run test:unit` runs the units alone.
export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		// The scale suite has its own config and setup (npm run test:scale).
		exclude: ['tests/scale/**', '**/node_modules/**'],
		globalSetup: process.env.CP_UNIT_ONLY ? [] : ['tests/harness/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 180_000,
		fileParallelism: false,
		reporters: ['default'],
	},
});
