// The package's `bin` (bundled to dist/cli.mjs): `npx directus-extension-customer-processes install ...`.
import { main } from './cli.mjs';

process.exitCode = await main();
