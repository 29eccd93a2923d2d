// Contracts, bids and orders (CR-1, CR-2, CR-7, CR-11, CR-14). Content is Sales's while the draft is
// written; the review engine stamps the route and the signature; a signed contract is evidence and
// changes only through a recorded contract change (cp_changes).
import type { CollectionPolicy } from './types';

const SALES = ['sales'] as const;
const BEFORE_SIGNING = ['draft', 'in_review', 'reviewed'] as const;
const CONTENT = { by: SALES, in: ['draft'] } as const;

export const contracts: CollectionPolicy = {
	collection: 'cp_contracts',
	state: 'status',
	frozen: ['signed', 'in_production', 'completed', 'cancelled', 'terminated'],
	fields: {
		code: CONTENT,
		title: CONTENT,
		kind: CONTENT,
		channel: CONTENT,
		class: CONTENT,
		major: CONTENT,
		export: CONTENT,
		customer: CONTENT,
		total_amount: CONTENT,
		currency: CONTENT,
		delivery_date: CONTENT,
		applicable_standard: CONTENT,
		requirements: CONTENT,
		stage: CONTENT,
		review_round: { by: 'engine' },
		review_route: { by: 'engine' },
		route_reason: { by: 'engine' },
		review_submitted_at: { by: 'engine' },
		reviewed_at: { by: 'engine' },
		// CR-6: the sales department manager signs the conclusion (a named signer, cp_settings.signers).
		conclusion: { by: ['sales_manager'], in: ['in_review'] },
		conclusion_signed_by: { by: 'engine' },
		conclusion_signed_at: { by: 'engine' },
		signed_at: { by: 'engine' },
		signed_by: { by: 'engine' },
		// The transition table (contract-review/contract-status.ts) decides which moves are legal; the
		// sales VP signs the contract for the company (CR-11), every other move is Sales's (contract-plan.ts).
		status: { by: ['sales', 'sales_vp'], in: ['draft', 'in_review', 'reviewed', 'signed', 'in_production'] },
		confirmation_record: { by: SALES, in: BEFORE_SIGNING },
		customer_confirmed_at: { by: SALES, in: BEFORE_SIGNING },
		customer_confirmation_method: { by: SALES, in: BEFORE_SIGNING },
		technical_agreement: { by: SALES, in: BEFORE_SIGNING },
		sales_owner: { by: SALES, in: ['draft', 'in_review', 'reviewed', 'signed', 'in_production'] },
		notes: { in: ['draft', 'in_review', 'reviewed', 'signed', 'in_production', 'completed', 'cancelled', 'terminated'] },
	},
	batch: ['sales_owner', 'notes'],
};
