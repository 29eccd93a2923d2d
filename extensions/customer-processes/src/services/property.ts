// Property adapter: hooks and scheduled jobs. Thin: load facts, ask src/domain, write in one transaction.
import type { HookApi } from './contract-review';

export function registerProperty(_api: HookApi): void {}
