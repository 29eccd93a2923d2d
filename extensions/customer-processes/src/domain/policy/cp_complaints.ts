// The customer feedback handling form (CP-1..CP-6, Doc 2 4.6.4): the engine numbers it, fixes the
// receipt time and keeps the clock; Quality records the investigation; the transition table says who
// moves it where. A closed form is evidence: every field stays as closed, the status moves
// only to 'reopened' when the customer comes back (the table allows nothing else), and the texts
// are corrected by Quality through a recorded correction that keeps the original.
import type { CollectionPolicy } from './types';

const QUALITY = ['quality'] as const;
const OPEN = ['received', 'investigating', 'action', 'responded', 'verifying', 'reopened'] as const;

export const complaints: CollectionPolicy = {
	collection: 'cp_complaints',
	state: 'status',
	frozen: ['closed'],
	fields: {
		// The number and the receipt time are fixed at intake (the 72-hour clock counts from it, CP-4).
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
		// CP-2: internal traceability, root cause and the responsible department are Quality's.
		root_cause_category: { by: QUALITY },
		root_cause: { by: QUALITY },
		responsible_department: { by: QUALITY },
		traceability: { by: QUALITY },
		eight_d: { by: QUALITY },
		// The transition table (complaints/complaint-status.ts) decides who moves it where.
		status: { in: [...OPEN, 'closed'] },
	},
	batch: [],
	correctable: [
		'summary',
		'description',
		'product',
		'batch',
		'traceability',
		'root_cause',
		'eight_d',
		'response_content',
		'verification_note',
		'no_verification_reason',
		'no_action_reason',
	],
	correctors: QUALITY,
};
