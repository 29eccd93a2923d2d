// Interface "cp-eight-d": a complaint's 8D record as its eight sections D1-D8 (issue #12), each
// with its label and a note of what to write, in the viewer's language. The sections are the
// domain's (domain/complaints/eight-d.ts); the server checks what is saved.
import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'cp-eight-d',
	name: '8D 报告 8D record',
	icon: 'checklist',
	description: 'D1-D8 各项 The sections D1 to D8',
	component: InterfaceComponent,
	types: ['json'],
	group: 'other',
	options: null,
});
