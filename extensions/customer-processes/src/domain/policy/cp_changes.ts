// Contract changes (CR-14, Doc 1 4.6): recorded by Sales with the customer's written consent (R&D
// for a design change that does not affect the customer); each step is the step table's
// (contract-review/changes.ts#CHANGE_TRANSITIONS), its stamps the engine's; a done or rejected
// change is evidence.
import type { CollectionPolicy } from './types';

const RECORDERS = ['sales', 'technical'];

export const changes: CollectionPolicy = {
	collection: 'cp_changes',
	state: 'status',
	frozen: ['done', 'rejected'],
	fields: {
		// Which of the two records which kind is the domain's (CHANGE_RECORDERS).
		contract: { by: RECORDERS, once: true },
		kind: { by: RECORDERS, once: true },
		description: { by: RECORDERS, in: ['requested'] },
		amendments: { by: RECORDERS, in: ['requested'] },
		customer_consent_at: { by: ['sales'], in: ['requested'] },
		consent_file: { by: ['sales'], in: ['requested'] },
		consent_by: { by: ['sales'], in: ['requested'] },
		signed_by_customer: { by: ['sales'], in: ['requested'] },
		signed_by_company: { by: ['sales'], in: ['requested'] },
		// The approver's (or the decliner's) opinion travels with the step.
		decision_note: { by: ['deputy_gm', 'gm', 'sales', 'technical'], in: ['requested', 'approved', 'confirmed'] },
		// The customer's confirmation of the change notice, recorded by Sales (Doc 1 4.6 c).
		customer_confirmed_by: { by: ['sales'], in: ['approved'] },
		customer_confirmed_at: { by: ['sales'], in: ['approved'] },
		customer_confirmation_method: { by: ['sales'], in: ['approved'] },
		confirmation_file: { by: ['sales'], in: ['approved'] },
		confirmation_record: { by: ['sales'], in: ['approved'] },
		consequence: { by: 'engine' },
		affected_departments: { by: 'engine' },
		approved_by: { by: 'engine' },
		approved_at: { by: 'engine' },
		approved_as: { by: 'engine' },
		head_signed_by: { by: 'engine' },
		head_signed_at: { by: 'engine' },
		effective_at: { by: 'engine' },
		amended: { by: 'engine' },
		// Who moves it where is the step table.
		status: { in: ['requested', 'approved', 'confirmed'] },
	},
	batch: [],
};
