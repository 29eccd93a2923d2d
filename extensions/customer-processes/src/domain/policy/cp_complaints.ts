// The customer feedback handling form (CP-1..CP-6): the engine numbers it, fixes the receipt time and
// keeps the clock; Quality records the investigation; a closed form is evidence, corrected only by a
// recorded correction.
import type { CollectionPolicy } from './types';

const QUALITY = ['quality'] as const;
const OPEN = ['received', 'investigating', 'action', 'responded', 'verifying', 'reopened'] as const;

export const complaints: CollectionPolicy = {
	collection: 'cp_complaints',
	state: 'status',
	frozen: ['closed'],
	fields: {
		code: { once: true },
		received_at: { once: true },
		response_due_at: { by: 'engine' },
		resolution_due_at: { by: 'engine' },
		responded_at: { by: 'engine' },
		response_breached: { by: 'engine' },
		resolution_breached: { by: 'engine' },
		pauses: { by: 'engine' },
		verified_at: { by: 'engine' },
		verify_token_hash: { by: 'engine' },
		verify_token_expires_at: { by: 'engine' },
		dedupe_key: { by: 'engine' },
		root_cause_category: { by: QUALITY },
		root_cause: { by: QUALITY },
		responsible_department: { by: QUALITY },
		traceability: { by: QUALITY },
		eight_d: { by: QUALITY },
		// The transition table (complaints/complaint-status.ts) decides who moves it where.
		status: { in: [...OPEN, 'closed'] },
	},
	batch: [],
	correctable: ['summary', 'description', 'response_content', 'root_cause', 'traceability', 'verification_note', 'product', 'batch'],
	correctors: QUALITY,
};
