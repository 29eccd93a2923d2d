// Corrective actions (CP-3): owner and deadline; the scheduler stamps reminders; a verified action is evidence.
import type { CollectionPolicy } from './types';

export const actions: CollectionPolicy = {
	collection: 'cp_actions',
	state: 'status',
	frozen: ['verified'],
	fields: {
		source_collection: { once: true },
		source_id: { once: true },
		done_at: { by: 'engine' },
		reminded_at: { by: 'engine' },
		escalated_at: { by: 'engine' },
		status: { in: ['open', 'done', 'overdue'] },
	},
	batch: ['owner', 'department', 'due_at'],
};
