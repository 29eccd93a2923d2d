// Samples and tooling cost estimates (CR-15, CR-16, Doc 2 4.4.3-4.4.6): the transition table
// (contract-review/samples.ts) decides each step; this says in which step each record field is
// written, so a later step never rewrites what an earlier one relied on: the parameters the sample
// was made with, Quality's inspection, the sealed reference, the estimate Sales checked and the
// plan the GM approved. The GM's approval is stamped by the engine; a closed record is evidence.
import type { CollectionPolicy } from './types';

const BEFORE_INSPECTION = ['requested', 'in_progress', 'rejected'] as const;
const BEFORE_APPROVAL = ['requested', 'in_progress'] as const;

export const samples: CollectionPolicy = {
	collection: 'cp_samples',
	state: 'status',
	frozen: ['closed'],
	fields: {
		kind: { once: true },
		approved_by: { by: 'engine' },
		// Made with recorded parameters; a rejected sample is remade, possibly with new ones.
		parameters: { in: BEFORE_INSPECTION },
		// Quality inspects while the sample is being made, and records it with the move to 'inspected'.
		inspection_result: { by: ['quality'], in: ['in_progress'] },
		inspection_report: { by: ['quality'], in: ['in_progress'] },
		// Sales brings back the customer-approved sample as the sealed reference (4.4.4).
		sealed_reference: { by: ['sales'], in: ['sent'] },
		// Technical estimates, Sales checks it (4.4.6): fixed once checked.
		tooling_estimate: { in: ['requested'] },
		cost_sharing_plan: { by: ['sales', 'gm'], in: BEFORE_APPROVAL },
		customer_consent_at: { by: ['sales'], in: BEFORE_APPROVAL },
		status: { in: ['requested', 'in_progress', 'inspected', 'sent', 'approved', 'rejected'] },
	},
	batch: [],
};
