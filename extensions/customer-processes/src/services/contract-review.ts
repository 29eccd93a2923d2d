// Contract review adapter (CR-*). Filled in by the contract review issue.
import type { Knex } from 'knex';

export interface HookApi {
	filter: (event: string, handler: (...args: any[]) => any) => void;
	action: (event: string, handler: (...args: any[]) => any) => void;
	database: Knex;
	logger: { error: (...a: any[]) => void; info: (...a: any[]) => void; warn: (...a: any[]) => void };
}

export function registerContractReview(_api: HookApi): void {}
