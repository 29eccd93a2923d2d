// Contact log and satisfaction surveys (CC-1..CC-4): an answered survey is evidence (its score is a KPI).
import type { CollectionPolicy } from './types';

export const communications: CollectionPolicy = {
	collection: 'cp_communications',
	state: 'survey_status',
	frozen: ['answered'],
	fields: {
		type: { once: true },
		period_key: { once: true },
		token_hash: { by: 'engine' },
		token_expires_at: { by: 'engine' },
		dedupe_key: { by: 'engine' },
	},
	batch: ['follow_up'],
	correctable: ['answers', 'score', 'findings', 'follow_up'],
	correctors: ['sales', 'quality'],
};
