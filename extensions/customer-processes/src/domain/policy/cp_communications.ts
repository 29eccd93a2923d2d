// Contact log and satisfaction surveys (CC-1..CC-4). Doc 2 4.6.1/4.6.3: Sales runs customer
// communication and the questionnaire, so Sales enters a survey's answers and score (the customer
// answers through the link, which writes as the engine). An answered survey is evidence: its
// answers and score are a KPI, corrected by Sales or Quality through a recorded correction. The
// analysis and the follow-up go on after the answer (CC-4: results analysed, improvements tracked).
import type { CollectionPolicy } from './types';

const SALES = ['sales'] as const;

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
		// CP-1: what the mailbox poller filed, as it arrived; the triage decision goes through /cp/communications/:id/triage.
		complaint: { by: 'engine' },
		mail_from: { by: 'engine' },
		message_id: { by: 'engine' },
		attachments: { by: 'engine' },
		triage_status: { by: 'engine' },
		triage_note: { by: 'engine' },
		answers: { by: SALES },
		score: { by: SALES },
		survey_status: { by: SALES },
		findings: { in: 'always' },
		follow_up: { in: 'always' },
	},
	batch: ['follow_up'],
	correctable: ['answers', 'score', 'occurred_at', 'channel'],
	correctors: ['sales', 'quality'],
};
