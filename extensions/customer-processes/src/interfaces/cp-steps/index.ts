// Interface "cp-steps": the next-steps panel of a record page (issue #12). Placed as an alias
// field on each collection with steps; it asks GET /cp/steps/:collection/:id which steps this
// user may take now, with what is missing for the others, and takes them by the request each
// step names. No rule lives here: the server's transition tables and policies decide.
import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'cp-steps',
	name: '下一步 Next steps',
	icon: 'double_arrow',
	description: '本记录现在可以办理的步骤 The steps this record allows you now',
	component: InterfaceComponent,
	types: ['alias'],
	localTypes: ['presentation'],
	group: 'presentation',
	options: null,
});
