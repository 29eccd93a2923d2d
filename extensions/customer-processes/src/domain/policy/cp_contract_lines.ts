// Contract lines (CR-1): written by Sales while the contract is a draft (the parent's status is
// the contract's: contract-review/contract-plan.ts#assertLinesEditable); one line at a time.
import type { CollectionPolicy } from './types';

const SALES = { by: ['sales'] } as const;

export const contractLines: CollectionPolicy = {
	collection: 'cp_contract_lines',
	fields: {
		contract: { by: ['sales'], once: true },
		line_no: SALES,
		product: SALES,
		specification: SALES,
		material: SALES,
		marks: SALES,
		process: SALES,
		quantity: SALES,
		unit: SALES,
		unit_price: SALES,
		delivery_date: SALES,
	},
	batch: [],
};
