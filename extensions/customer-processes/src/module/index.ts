import { defineModule } from '@directus/extensions-sdk';
import ModuleComponent from './module.vue';
import SetupComponent from './setup.vue';
import EvidenceComponent from './evidence.vue';

export default defineModule({
	id: 'customer-processes',
	name: 'Customer processes / 与顾客有关过程',
	icon: 'handshake',
	routes: [
		{ path: '', component: ModuleComponent },
		{ path: 'setup', component: SetupComponent },
		{ path: 'evidence', component: EvidenceComponent },
	],
});
