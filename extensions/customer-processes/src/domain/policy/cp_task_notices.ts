// Task notices (CR-13): issued by signing the contract; the receiving department acknowledges its own.
import type { CollectionPolicy } from './types';

export const taskNotices: CollectionPolicy = {
	collection: 'cp_task_notices',
	fields: {
		contract: { by: 'engine' },
		department: { by: 'engine' },
		issued_at: { by: 'engine' },
		due_at: { by: 'engine' },
		content: { by: 'engine' },
		// CR-14: the change a re-issued notice was issued for.
		change: { by: 'engine' },
		// Once, by its own department (contract-review/task-notices.ts#planAcknowledgement).
		acknowledged_at: { owner: 'department' },
		// Stamped by the adapter with the acknowledging user, whatever the request says.
		acknowledged_by: { owner: 'department' },
	},
	batch: [],
};
