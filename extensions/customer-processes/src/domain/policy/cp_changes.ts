// Contract changes (CR-14, Doc 1 4.6): recorded by Sales with the customer's written consent; the
// engine decides the consequence; a done or rejected change is evidence.
import type { CollectionPolicy } from './types';

export const changes: CollectionPolicy = {
	collection: 'cp_changes',
	state: 'status',
	frozen: ['done', 'rejected'],
	fields: {
		contract: { by: ['sales'], once: true },
		kind: { by: ['sales'], once: true },
		description: { by: ['sales'], in: ['requested'] },
		customer_consent_at: { by: ['sales'], in: ['requested'] },
		consent_file: { by: ['sales'], in: ['requested'] },
		signed_by_customer: { by: ['sales'], in: ['requested'] },
		signed_by_company: { by: ['sales'], in: ['requested'] },
		consequence: { by: 'engine' },
		affected_departments: { by: 'engine' },
		// Who moves it where is the step table (contract-review/changes.ts#CHANGE_TRANSITIONS).
		status: { in: ['requested', 'approved'] },
	},
	batch: [],
};
