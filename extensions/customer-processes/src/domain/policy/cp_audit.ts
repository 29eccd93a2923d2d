// The audit trail: written by the engine alone.
import type { CollectionPolicy } from './types';

export const audit: CollectionPolicy = {
	collection: 'cp_audit',
	fields: {},
	batch: [],
};
