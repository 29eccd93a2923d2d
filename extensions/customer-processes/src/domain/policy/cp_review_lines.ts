// Review lines (CR-3, CR-4): opened by the review engine, one per department; only that department
// writes its opinion, checklist and decision; a signed line is evidence.
import type { CollectionPolicy } from './types';

const DEPARTMENT = { owner: 'department', in: ['pending'] } as const;

export const reviewLines: CollectionPolicy = {
	collection: 'cp_review_lines',
	state: 'decision',
	frozen: ['approved', 'rejected'],
	frozenCode: 'CP_LINE_ALREADY_SIGNED',
	fields: {
		contract: { by: 'engine' },
		round: { by: 'engine' },
		stage: { by: 'engine' },
		department: { by: 'engine' },
		signed_by: { by: 'engine' },
		signed_at: { by: 'engine' },
		signed_as_admin: { by: 'engine' },
		opinion: DEPARTMENT,
		checklist: DEPARTMENT,
		decision: DEPARTMENT,
	},
	batch: [],
};
