// The values of the fields the screens fill in through a structured input (issue #12): what a
// write must hold there, refused naming the field and its part by their labels. Asked by the
// generic write guard (services/policy.ts) on every write path, and by a recorded correction.
// Fields whose check needs stored facts (a contract's requirements, a survey's answers against
// the company's questionnaire) are checked by their area's plan instead.
import { parseEightD } from '../complaints/eight-d';

export const FIELD_VALUES: Readonly<Record<string, Readonly<Record<string, (value: unknown) => unknown>>>> = {
	cp_complaints: { eight_d: parseEightD },
};

/** Throws the refusal of the first structured field of `payload` whose value is not what its input gives. */
export function assertFieldValues(collection: string, payload: Readonly<Record<string, unknown>>): void {
	const checks = FIELD_VALUES[collection];
	if (!checks) return;
	for (const [field, check] of Object.entries(checks)) if (Object.hasOwn(payload, field)) check(payload[field]);
}
