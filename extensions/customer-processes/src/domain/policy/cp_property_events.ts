// Property events (PR-3..PR-6): append-only; planEvent decides what each does.
import type { CollectionPolicy } from './types';

export const propertyEvents: CollectionPolicy = {
	collection: 'cp_property_events',
	fields: {},
	batch: [],
};
