// The customer property register (PR-1..PR-8). Status, location and the check dates move only
// through events (property/events.ts#planEvent); property/register.ts#assertRegisterEdit names the
// event to record for each of them.
import type { CollectionPolicy } from './types';

export const property: CollectionPolicy = {
	collection: 'cp_property',
	state: 'status',
	fields: {},
	batch: ['scope'],
};
