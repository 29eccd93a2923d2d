// Corrective actions (CP-3): owner and deadline; the scheduler stamps reminders and escalations;
// planActionUpdate (complaints/lifecycle.ts) stamps done and decides the moves. A verified action
// is evidence: Quality checked it, and the complaint's closing relied on it.
import type { CollectionPolicy } from './types';

export const actions: CollectionPolicy = {
	collection: 'cp_actions',
	state: 'status',
	frozen: ['verified'],
	fields: {
		// The complaint picker (issue #12) fills source_collection/source_id; the link is fixed once made.
		complaint: { once: true },
		source_collection: { once: true },
		source_id: { once: true },
		done_at: { by: 'engine' },
		reminded_at: { by: 'engine' },
		escalated_at: { by: 'engine' },
		status: { in: ['open', 'done', 'overdue'] },
	},
	// A new deadline is each action's own outcome (its reminders restart, an overdue one reopens):
	// one at a time. Who carries it out may be assigned to several at once.
	batch: ['owner', 'department'],
};
