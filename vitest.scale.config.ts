import { defineConfig } from 'vitest/config';

// Proof at scale (issue 7): several instances on PostgreSQL with Redis, killed processes,
// hostile input and the permission matrix. `npm run test:scale` builds and runs tests/scale.
// The global setup starts one shared Directus (permissions, fuzz); the multi-instance and
// fault files start their own, since they stop and restart processes.
export default defineConfig({
	test: {
		include: ['tests/scale/**/*.test.ts'],
		globalSetup: ['tests/scale/global-setup.ts'],
		env: { CP_SCALE: '1' },
		testTimeout: 240_000,
		hookTimeout: 240_000,
		fileParallelism: false,
		reporters: ['default'],
	},
});
