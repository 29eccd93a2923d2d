/**
 * 顾客财产登记表 (customer property register, PR-1, PR-5, X-1): every item the caller may see,
 * with status, location and the next check. Pure; the adapter reads through the permissions,
 * so personal data stays out of the list for departments that may not see it.
 */
import { choice, figure, formatDay, formatTime, renderHtml, table, yesNo, type FormDoc } from './layout';
import { PROPERTY_STATUS } from './labels';
import { KIND_LABELS } from '../property/forms';

type Row = Record<string, any>;

export interface RegisterInput {
	company: string;
	zone: string;
	/** The customer the register is printed for; null = all customers. */
	customer: Row | null;
	/** customer and contract expanded. */
	items: Row[];
	printedAt: Date | string;
}

export function propertyRegisterDoc(input: RegisterInput): FormDoc {
	const { zone } = input;
	const who = input.customer ? [input.customer.code, input.customer.name].filter(Boolean).join(' ') : '全部顾客 All customers';
	return {
		company: input.company,
		title: { zh: '顾客财产登记表', en: 'Customer Property Register' },
		subtitle: `${who} · 打印时间 Printed: ${formatTime(input.printedAt, zone)}`,
		sections: [
			table(
				`登记 Register (PR-1) — ${input.items.length} 项 items`,
				[
					'编号 Code',
					'名称 Name',
					'类别 Kind',
					'顾客 Customer',
					'合同 Contract',
					'数量 Qty',
					'状态 Status',
					'存放位置 Location',
					'专区 Segregated',
					'上次检查 Last check',
					'下次检查 Next check',
				],
				input.items.map((it) => [
					it.code,
					it.name,
					choice(KIND_LABELS, it.kind),
					it.customer && typeof it.customer === 'object' ? [it.customer.code, it.customer.name].filter(Boolean).join(' ') : '',
					it.contract && typeof it.contract === 'object' ? (it.contract.code ?? '') : '',
					[figure(it.quantity), it.unit ?? ''].filter((x) => x !== '').join(' '),
					choice(PROPERTY_STATUS, it.status),
					it.location ?? '',
					it.location_segregated === null || it.location_segregated === undefined ? '' : yesNo(it.location_segregated),
					formatTime(it.last_check_at, zone),
					formatDay(it.next_check_due),
				]),
				'无登记 No items',
			),
		],
	};
}

export const renderPropertyRegister = (input: RegisterInput): string => renderHtml(propertyRegisterDoc(input));
