// Issue 13: the installer adds the work-queue module to the instance's module bar once, after
// Insights, and never replaces the bar: Directus 12's Flows module and the company's own links stay.
import { describe, expect, it } from 'vitest';
import { mergeModuleBar } from '../../seeds/dashboard.mjs';

const m = (id: string, enabled = true) => ({ type: 'module', id, enabled });

describe('module bar merge (issue 13)', () => {
	it("keeps the company's bar and adds ours once after Insights", () => {
		const company = [
			m('content'),
			m('insights'),
			m('flows'),
			{ type: 'link', id: 'wiki', enabled: true, name: 'Wiki', icon: 'link', url: 'https://wiki.example.com' },
			m('settings'),
		];
		const next = mergeModuleBar(company, 'customer-processes', '12.4.0');
		expect(next).toEqual([company[0], company[1], m('customer-processes'), ...company.slice(2)]);
		expect(mergeModuleBar(next, 'customer-processes', '12.4.0')).toBeNull();
	});

	it("writes the host's own default (with Flows on Directus 12) when the bar was never changed", () => {
		const ids12 = mergeModuleBar(null, 'customer-processes', '12.4.0')!.map((x: any) => x.id);
		expect(ids12).toEqual(['content', 'visual', 'users', 'files', 'insights', 'customer-processes', 'flows', 'deployments', 'docs', 'settings']);
		const ids11 = mergeModuleBar(null, 'customer-processes', '11.17.4')!.map((x: any) => x.id);
		expect(ids11).toEqual(['content', 'visual', 'users', 'files', 'insights', 'customer-processes', 'deployments', 'docs', 'settings']);
		// An unknown host: nothing is written (the administrator enables the module).
		expect(mergeModuleBar(null, 'customer-processes', '13.0.0')).toBeUndefined();
	});

	it('puts ours at the end when the bar has no Insights', () => {
		expect(mergeModuleBar([m('content'), m('settings')], 'customer-processes', '11.0.0')).toEqual([m('content'), m('settings'), m('customer-processes')]);
	});
});
