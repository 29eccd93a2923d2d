// Customers: Sales keeps them (CR-8, CC-1; Doc 2 4.6.1). Contact details may be edited for several
// customers at once; a link to the company's own customer record fills each one's name and code
// from that record, so it goes one at a time. Whether a customer is new is derived from its signed
// contracts (domain/contract-review/customer-history.ts); `is_new` holds only Sales's override,
// written with its reason (`is_new_reason`), one customer at a time.
import type { CollectionPolicy } from './types';

export const customers: CollectionPolicy = {
	collection: 'cp_customers',
	fields: {
		is_new: { by: ['sales'] },
		is_new_reason: { by: ['sales'] },
	},
	batch: ['status', 'contact_person', 'phone', 'address'],
};
