// A field's name as the screens show it, for messages: "书面答复内容 Written response".
import { FIELD_LABELS } from './labels.generated';

export function fieldLabel(collection: string, field: string): string {
	const l = FIELD_LABELS[collection]?.[field];
	return l ? `${l[1]} ${l[0]}` : field;
}
