// Every cp_ collection's write policy, by collection: the one place that says who writes which
// field in which status. services/policy.ts asks it on every write path.
import type { CollectionPolicy } from './types';
import { actions } from './cp_actions';
import { audit } from './cp_audit';
import { changes } from './cp_changes';
import { communications } from './cp_communications';
import { complaints } from './cp_complaints';
import { contractLines } from './cp_contract_lines';
import { contracts } from './cp_contracts';
import { customers } from './cp_customers';
import { discrepancies } from './cp_discrepancies';
import { property } from './cp_property';
import { propertyEvents } from './cp_property_events';
import { reviewLines } from './cp_review_lines';
import { samples } from './cp_samples';
import { settings } from './cp_settings';
import { taskNotices } from './cp_task_notices';

export const POLICIES: Readonly<Record<string, CollectionPolicy>> = Object.fromEntries(
	[
		settings,
		customers,
		contracts,
		contractLines,
		reviewLines,
		discrepancies,
		taskNotices,
		changes,
		samples,
		complaints,
		actions,
		communications,
		property,
		propertyEvents,
		audit,
	].map((p) => [p.collection, p]),
);

export { writeRefusal, planCorrection, isFrozen } from './check';
export type { CollectionPolicy, FieldRule, Writer } from './types';
