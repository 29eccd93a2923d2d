// Discrepancies (CR-5): the raising department writes the problem; Sales resolves it with evidence
// of the customer contact; the raiser closes it; a closed item is evidence.
import type { CollectionPolicy } from './types';

const RAISER = { owner: 'raised_by_department', in: ['open'] } as const;
const SALES = { by: ['sales'], in: ['open'] } as const;

export const discrepancies: CollectionPolicy = {
	collection: 'cp_discrepancies',
	state: 'status',
	frozen: ['closed'],
	fields: {
		contract: { once: true },
		raised_by_department: { once: true },
		round: { by: 'engine' },
		clause: RAISER,
		problem: RAISER,
		suggestion: RAISER,
		resolution: SALES,
		customer_contact: SALES,
		evidence: SALES,
		customer_clarified_in_writing: SALES,
		// The transition table (contract-review/review.ts) decides who moves it where.
		status: { in: ['open', 'resolved'] },
		resolved_by: { by: 'engine' },
		resolved_at: { by: 'engine' },
		closed_by: { by: 'engine' },
		closed_at: { by: 'engine' },
	},
	batch: [],
};
