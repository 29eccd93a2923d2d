// Customers: Sales keeps them (CR-8, CC-1; Doc 2 4.6.1). Contact details may be edited for several
// customers at once; a link to the company's own customer record fills each one's name and code
// from that record, so it goes one at a time.
import type { CollectionPolicy } from './types';

export const customers: CollectionPolicy = {
	collection: 'cp_customers',
	fields: {},
	batch: ['status', 'contact_person', 'phone', 'address'],
};
