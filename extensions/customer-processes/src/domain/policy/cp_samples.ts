// Samples and tooling cost estimates (CR-15, CR-16): the transition table decides each step; the
// GM's approval is stamped by the engine.
import type { CollectionPolicy } from './types';

export const samples: CollectionPolicy = {
	collection: 'cp_samples',
	state: 'status',
	fields: {
		kind: { once: true },
		approved_by: { by: 'engine' },
	},
	batch: [],
};
