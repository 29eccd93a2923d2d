// Interface "cp-survey-answers": a satisfaction survey's answers as the company's questionnaire
// (issue #12): each question with its rating scale, and the customer's comment, for a survey
// answered on paper or by phone and typed in by Sales; an answered survey is shown as read. The
// questions are the server's (GET /cp/surveys/questionnaire), which also checks what is saved.
import { defineInterface } from '@directus/extensions-sdk';
import InterfaceComponent from './interface.vue';

export default defineInterface({
	id: 'cp-survey-answers',
	name: '答卷 Survey answers',
	icon: 'star_rate',
	description: '按满意度调查表填写 The questionnaire’s questions and scales',
	component: InterfaceComponent,
	types: ['json'],
	group: 'other',
	options: null,
});
