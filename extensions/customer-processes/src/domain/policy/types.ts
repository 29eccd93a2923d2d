// The shape of a collection's write policy: who writes which field in which status, what the
// engine alone writes, what is fixed once set, when a record is evidence, what may be sent for
// several records at once, and how a frozen record is corrected. Plain data, read by check.ts.
import type { DomainErrorCode } from '../errors';

/** Who is writing: the bundle itself (system), an admin, or a user of some departments. */
export interface Writer {
	departments: readonly string[];
	/** Named signer keys (sales_manager, sales_vp, warehouse_keeper) the writer holds; a rule's `by` may name them. */
	signers?: readonly string[] | undefined;
	isAdmin: boolean;
	system: boolean;
}

/** 'engine': only the bundle's own steps; 'anyone': any role Directus lets write the collection; else department or signer keys. */
export type Who = 'engine' | 'anyone' | readonly string[];

export interface FieldRule {
	/** Who may write it. Default 'anyone'. An admin may act for a department (recorded), never for the engine. */
	by?: Who;
	/** The record field naming the one department that may write this field (e.g. the department that raised it). */
	owner?: string;
	/** Statuses in which it may be written; default: every status that is not frozen. 'always': also on a frozen record (notes, follow-up). */
	in?: readonly string[] | 'always';
	/** Set when the record is created and fixed afterwards. */
	once?: boolean;
}

export interface CollectionPolicy {
	collection: string;
	/** The field holding the record's status, if it has one. */
	state?: string;
	/** Statuses in which the record is evidence: nothing changes except through a recorded correction. */
	frozen?: readonly string[];
	/** Rules of the fields that have one; a field without a rule is open to 'anyone' while not frozen. */
	fields: Readonly<Record<string, FieldRule>>;
	/**
	 * Fields that may be sent for several records in one request (the admin app's multi-select edit,
	 * PATCH with keys or a query). Anything else changes one record at a time, because the outcome
	 * (a transition, a stamp, a per-department check) is each record's own.
	 */
	batch: readonly string[];
	/** The code a write to a frozen record answers, where an older, more specific one is the public contract. */
	frozenCode?: DomainErrorCode;
	/** Fields of a frozen record that a recorded correction may change, and who may correct them. */
	correctable?: readonly string[];
	correctors?: Who;
}

export type Row = Record<string, unknown>;
