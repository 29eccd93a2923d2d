// One style for the whole repository: ESLint for mistakes, Prettier for layout (`npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
	{ ignores: ['**/node_modules/**', '**/dist/**', 'hosts/**', '.demo/**', '.tmp/**', 'snapshots/**', 'bench/results/**', '**/*.vue'] },
	js.configs.recommended,
	...tseslint.configs.recommended,
	prettier,
	{
		languageOptions: { globals: { ...globals.node, ...globals.browser } },
		rules: {
			// Directus hands hooks and endpoints loosely typed objects; the adapters say `any` where they meet them.
			'@typescript-eslint/no-explicit-any': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
			'no-empty': ['error', { allowEmptyCatch: true }],
			// Chinese forms use the ideographic space on purpose.
			'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true }],
		},
	},
);
