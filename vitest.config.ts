import { defineConfig } from 'vitest/config';

// On PostgreSQL and MariaDB the suite proves what depends on the database. The browser tests (the
// app and the customer pages do not change with the database) and the package, upgrade and removal tests
// (each starts its own company Directus on SQLite, whatever CP_TEST_DB says) run in the SQLite
// combinations (Directus 11 and 12), so a CI run does not repeat them four times.
const serverDb = ['postgres', 'mysql'].includes(process.env.CP_TEST_DB ?? '');
const SQLITE_ONLY = ['tests/browser/**', 'tests/integration/package.test.ts', 'tests/integration/upgrade.test.ts', 'tests/integration/removal.test.ts'];

// Unit tests (tests/unit) need nothing; integration tests (tests/integration) share one real
// Directus started by the global setup. `npm run test:unit` runs the units alone.
export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		// The scale suite has its own config and setup (npm run test:scale).
		exclude: ['tests/scale/**', '**/node_modules/**', ...(serverDb ? SQLITE_ONLY : [])],
		globalSetup: process.env.CP_UNIT_ONLY ? [] : ['tests/harness/global-setup.ts'],
		testTimeout: 60_000,
		hookTimeout: 180_000,
		fileParallelism: false,
		reporters: ['default'],
	},
});
