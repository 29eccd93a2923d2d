// Customers: Sales keeps them (CR-8, CC-1).
import type { CollectionPolicy } from './types';

export const customers: CollectionPolicy = {
	collection: 'cp_customers',
	fields: {},
	batch: ['status', 'contact_person', 'phone', 'address'],
};
