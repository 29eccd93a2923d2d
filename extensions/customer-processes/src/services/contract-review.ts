// Contract review adapter (CR-*). Filled in by the contract review issue.
import type { Knex } from 'knex';

export interface HookApi {
	filter: (event: string, handler: (...args: any[]) => any) => void;
	action: (event: string, handler: (...args: any[]) => any) => void;
	schedule: (cron: string, handler: () => any) => void;
	database: Knex;
	env: Record<string, any>;
	services: any;
	getSchema: () => Promise<any>;
	logger: { error: (...a: any[]) => void; info: (...a: any[]) => void; warn: (...a: any[]) => void };
}

export function registerContractReview(_api: HookApi): void {}
