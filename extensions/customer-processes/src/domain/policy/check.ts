// Asks a collection's policy whether a write may happen. Pure: the adapter (services/policy.ts)
// loads the records, this decides; the collection adapters then run the transition tables.
import { DomainError } from '../errors';
import type { CollectionPolicy, FieldRule, Row, Who, Writer } from './types';
import { fieldLabel } from './labels';
import { CATALOGUE, bilingual } from '../catalogue';
import { departmentName } from '../departments';
import { SIGNERS } from '../catalogue';

const SIGNER_NAMES: Readonly<Record<string, readonly [string, string, string]>> = Object.fromEntries(SIGNERS.map((s) => [s[0], s]));
const whoName = (k: string, lang: 'en' | 'zh') => (SIGNER_NAMES[k] ? SIGNER_NAMES[k]![lang === 'en' ? 1 : 2] : departmentName(k, lang));

const same = (a: unknown, b: unknown): boolean => {
	if (a === b) return true;
	if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
	if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
	return String(a) === String(b);
};

const isEngine = (who: Who | undefined) => who === 'engine';

function mayWrite(who: Who | undefined, writer: Writer): boolean {
	if (who === undefined || who === 'anyone') return true;
	if (who === 'engine') return false;
	return writer.isAdmin || who.some((d) => writer.departments.includes(d) || (writer.signers ?? []).includes(d));
}

export function isFrozen(policy: CollectionPolicy, row: Row | null): boolean {
	if (!row || !policy.state || !policy.frozen) return false;
	return policy.frozen.includes(String(row[policy.state]));
}

const names = (policy: CollectionPolicy, fields: string[]) => fields.map((f) => fieldLabel(policy.collection, f)).join(', ');
/** "市场部 Sales" for a department key, as the screens name it. */
const departments = (keys: readonly string[]) => keys.map((k) => `${whoName(k, 'zh')} ${whoName(k, 'en')}`).join(', ');
/** "已关闭 Closed" for a status value, from the catalogue. */
function statusLabel(policy: CollectionPolicy, value: string): string {
	const choices = policy.state
		? (CATALOGUE as Record<string, Record<string, readonly (readonly [string, string, string])[]>>)[policy.collection]?.[policy.state]
		: undefined;
	return (choices && bilingual(choices)[value]) ?? value;
}

/**
 * The refusal of a write, or null when the policy allows it. `row` is the record as stored (null
 * on create), `records` how many records the request changes with this same payload.
 * Fields whose value does not change are not a write (an import or the app may resend them).
 */
export function writeRefusal(policy: CollectionPolicy, write: { row: Row | null; payload: Row; writer: Writer; records: number }): DomainError | null {
	const { row, payload, writer } = write;
	if (writer.system) return null;
	const changed = Object.keys(payload).filter((f) => !row || !same(payload[f], row[f]));
	if (!changed.length) return null;

	if (write.records > 1) {
		const single = changed.filter((f) => !policy.batch.includes(f));
		if (single.length) {
			return new DomainError(
				'CP_ONE_AT_A_TIME',
				`${names(policy, single)}：请逐条修改，每条记录的步骤单独检查和记录 / change one record at a time; each record's step is checked and recorded on its own`,
				{
					field: single[0],
				},
			);
		}
	}

	const engine = changed.filter((f) => isEngine(policy.fields[f]?.by));
	if (engine.length)
		return new DomainError('CP_SYSTEM_ONLY', `${names(policy, engine)}：由流程自动填写，不能手工修改 / set by the process itself, not by hand`, {
			field: engine[0],
		});

	if (row) {
		const fixed = changed.filter((f) => policy.fields[f]?.once);
		if (fixed.length)
			return new DomainError('CP_CHANGE_NOT_ALLOWED', `${names(policy, fixed)}：创建记录时已确定，不能修改 / fixed when the record was created`, {
				field: fixed[0],
			});
		const status = policy.state ? String(row[policy.state]) : '';
		const frozen = isFrozen(policy, row);
		const closed = changed.filter((f) => {
			const rule: FieldRule | undefined = policy.fields[f];
			if (rule?.in === 'always') return false;
			if (rule?.in) return !rule.in.includes(status);
			return frozen;
		});
		if (closed.length) {
			const how = frozen && policy.correctable?.some((f) => closed.includes(f)) ? '；请改用更正记录 / make a recorded correction instead' : '';
			return new DomainError(
				frozen ? (policy.frozenCode ?? 'CP_RECORD_FROZEN') : 'CP_CHANGE_NOT_ALLOWED',
				`${names(policy, closed)}：状态为「${statusLabel(policy, status)}」时不能修改 / cannot be changed in this status${how}`,
				{
					field: closed[0],
				},
			);
		}
	}

	for (const f of changed) {
		const rule = policy.fields[f];
		if (!rule) continue;
		if (!mayWrite(rule.by, writer)) {
			return new DomainError(
				'CP_NOT_DEPARTMENT_MEMBER',
				`${names(policy, [f])}：由${departments(rule.by as readonly string[])}填写 / written by ${departments(rule.by as readonly string[])}`,
				{ field: f },
			);
		}
		if (rule.owner && row && !writer.isAdmin) {
			const owner = String(row[rule.owner] ?? '');
			if (!writer.departments.includes(owner)) {
				return new DomainError(
					'CP_NOT_DEPARTMENT_MEMBER',
					`${names(policy, [f])}：由所属部门（${departments([owner])}）填写 / written by the department it belongs to (${departments([owner])})`,
					{ field: f },
				);
			}
		}
	}
	return null;
}

export interface CorrectionPlan {
	update: Row;
	audit: { action: 'correction'; data: { field: string; from: unknown; to: unknown; reason: string } };
}

/**
 * A recorded correction of a frozen record (X-5, ISO 9001 7.5.3): the new value replaces the old
 * one, and the audit trail keeps the original, the author and the reason, printed on the form.
 */
export function planCorrection(policy: CollectionPolicy, row: Row, field: string, value: unknown, reason: unknown, writer: Writer): CorrectionPlan {
	if (!policy.correctable?.includes(field)) {
		throw new DomainError('CP_CHANGE_NOT_ALLOWED', `${names(policy, [field])}：不能更正 / cannot be corrected`, { field });
	}
	if (!isFrozen(policy, row)) {
		throw new DomainError('CP_CHANGE_NOT_ALLOWED', `${names(policy, [field])}：记录尚未关闭，请直接修改 / the record is not closed yet; edit it directly`, {
			field,
		});
	}
	if (!writer.system && !mayWrite(policy.correctors ?? 'anyone', writer)) {
		throw new DomainError(
			'CP_NOT_DEPARTMENT_MEMBER',
			`此记录的更正由${departments(policy.correctors as readonly string[])}进行 / corrections of this record are made by ${departments(policy.correctors as readonly string[])}`,
			{
				field,
			},
		);
	}
	if (typeof reason !== 'string' || !reason.trim()) {
		throw new DomainError('CP_REQUIRED_FIELDS_MISSING', '更正须注明原因 / a correction needs its reason', { field: 'reason' });
	}
	if (same(value, row[field]))
		throw new DomainError('CP_INVALID_VALUE', `${names(policy, [field])}：更正值与原记录相同 / the corrected value is the same as the recorded one`, { field });
	return { update: { [field]: value }, audit: { action: 'correction', data: { field, from: row[field] ?? null, to: value ?? null, reason: reason.trim() } } };
}
