// Process settings: the administrator's (validated in settings.ts).
import type { CollectionPolicy } from './types';

export const settings: CollectionPolicy = {
	collection: 'cp_settings',
	fields: {},
	batch: [],
};
