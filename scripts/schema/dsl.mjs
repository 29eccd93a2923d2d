// A compact way to declare the cp_ collections. `npm run snapshot:generate` turns these
// declarations into a real Directus schema snapshot (snapshots/customer-processes.json)
// by creating them on a throwaway Directus and reading the snapshot back, so the file is
// exactly what Directus itself writes.

const tr = (en, zh) => [
	{ language: 'en-US', translation: en },
	{ language: 'zh-CN', translation: zh },
];

/** Bilingual help text: Directus notes are one string per field, so both languages are given. */
const note = (en, zh) => (en || zh ? `${en} / ${zh}` : null);

function base(field, type, label, opts = {}) {
	const [en, zh] = label;
	return {
		field,
		type,
		meta: {
			interface: opts.interface ?? null,
			options: opts.options ?? null,
			display: opts.display ?? null,
			display_options: opts.display_options ?? null,
			special: opts.special ?? null,
			readonly: opts.readonly ?? false,
			hidden: opts.hidden ?? false,
			required: opts.required ?? false,
			width: opts.width ?? 'half',
			note: opts.note ? note(...opts.note) : null,
			translations: tr(en, zh),
		},
		schema: {
			is_nullable: opts.nullable ?? (opts.required && opts.default === undefined ? false : true),
			default_value: opts.default ?? null,
			is_unique: opts.unique ?? false,
			is_indexed: opts.indexed ?? false,
			...(opts.max_length ? { max_length: opts.max_length } : {}),
			...(opts.numeric_precision ? { numeric_precision: opts.numeric_precision, numeric_scale: opts.numeric_scale ?? 0 } : {}),
		},
	};
}

export const f = {
	string: (field, label, opts = {}) => base(field, 'string', label, { interface: 'input', max_length: opts.max_length ?? 255, ...opts }),
	text: (field, label, opts = {}) => base(field, 'text', label, { interface: 'input-multiline', width: 'full', ...opts }),
	int: (field, label, opts = {}) => base(field, 'integer', label, { interface: 'input', ...opts }),
	decimal: (field, label, opts = {}) => base(field, 'decimal', label, { interface: 'input', numeric_precision: 14, numeric_scale: 2, ...opts }),
	bool: (field, label, opts = {}) =>
		base(field, 'boolean', label, {
			interface: 'boolean',
			special: ['cast-boolean'],
			display: 'boolean',
			default: opts.default ?? false,
			...opts,
		}),
	datetime: (field, label, opts = {}) => base(field, 'timestamp', label, { interface: 'datetime', display: 'datetime', ...opts }),
	date: (field, label, opts = {}) => base(field, 'date', label, { interface: 'datetime', display: 'datetime', ...opts }),
	json: (field, label, opts = {}) =>
		base(field, 'json', label, { interface: 'input-code', options: { language: 'json' }, special: ['cast-json'], width: 'full', ...opts }),
	/** A status-like field: choices are [value, en, zh]. */
	choice: (field, label, choices, opts = {}) =>
		base(field, 'string', label, {
			interface: 'select-dropdown',
			options: { choices: choices.map(([value, en, zh]) => ({ value, text: `${en} ${zh}` })) },
			display: 'labels',
			display_options: {
				// Text, not a bare dot: the choices carry no colours.
				showAsDot: false,
				choices: choices.map(([value, en, zh]) => ({ value, text: `${en} ${zh}` })),
			},
			max_length: 64,
			...opts,
		}),
	/** Many-to-one to another collection (cp_ or system). */
	m2o: (field, label, related, opts = {}) => ({
		// Every relation target (our collections, users, files) has a uuid key: uuid columns have
		// the same type on SQLite, PostgreSQL and MariaDB, where integer keys differ in signedness.
		...base(field, 'uuid', label, {
			interface: related === 'directus_files' ? 'file' : related === 'directus_users' ? 'select-dropdown-m2o' : 'select-dropdown-m2o',
			special: related === 'directus_files' ? ['file'] : ['m2o'],
			options: opts.template ? { template: opts.template } : null,
			display: related === 'directus_files' ? 'file' : 'related-values',
			display_options: opts.template ? { template: opts.template } : null,
			indexed: true,
			...opts,
		}),
		related,
		// The list of these records on the related record's page (an o2m alias field there).
		...(opts.one_field ? { one_field: opts.one_field } : {}),
		// A required reference cannot be nulled (MariaDB refuses such a key): block the delete instead.
		on_delete: opts.on_delete ?? (opts.required ? 'NO ACTION' : 'SET NULL'),
	}),
	/**
	 * The list of related records on a parent's page (issue #12): an o2m alias field, filled by the
	 * m2o of the child that names it in `one_field`. `fields` are the columns the list shows.
	 */
	o2m: (field, label, opts = {}) => ({
		...base(field, 'alias', label, {
			interface: 'list-o2m',
			special: ['o2m'],
			width: 'full',
			options: {
				template: opts.template ?? null,
				enableCreate: opts.enableCreate ?? false,
				enableSelect: false,
				...(opts.fields ? { fields: opts.fields, layout: 'table' } : {}),
				...(opts.options ?? {}),
			},
			display: 'related-values',
			display_options: opts.template ? { template: opts.template } : null,
			readonly: opts.readonly ?? false,
			note: opts.note,
		}),
		schema: null,
	}),
	/** The record page's next-steps panel (the bundle's cp-steps interface), first on the form. */
	steps: () => ({
		...base('next_steps', 'alias', ['Next steps', '下一步'], {
			interface: 'cp-steps',
			special: ['alias', 'no-data'],
			width: 'full',
			note: ["The steps you may take now; the record's status changes only through them", '您现在可以办理的步骤;记录的状态只通过这些步骤改变'],
		}),
		schema: null,
	}),
	userStamp: (field, label, opts = {}) => ({
		...base(field, 'uuid', label, {
			interface: 'select-dropdown-m2o',
			special: opts.special ?? ['m2o'],
			display: 'user',
			readonly: true,
			options: { template: '{{first_name}} {{last_name}}' },
			...opts,
		}),
		related: 'directus_users',
		on_delete: 'SET NULL',
	}),
};

export function collection(
	name,
	{ en, zh, icon, note: n, singleton = false, sort, archive, display_template, group = null, color = null, pk = 'uuid' },
	fields,
) {
	return {
		collection: name,
		meta: {
			icon,
			note: n ? note(...n) : null,
			singleton,
			display_template: display_template ?? null,
			sort_field: sort ?? null,
			archive_field: archive?.field ?? null,
			archive_value: archive?.value ?? null,
			unarchive_value: archive?.unarchive ?? null,
			archive_app_filter: Boolean(archive),
			accountability: 'all',
			color,
			group,
			translations: [
				{ language: 'en-US', translation: en[0], singular: en[1] ?? en[0], plural: en[0] },
				{ language: 'zh-CN', translation: zh, singular: zh, plural: zh },
			],
		},
		schema: {},
		fields: [
			// uuid keys: portable foreign keys across vendors (see m2o); the audit trail keeps an
			// auto-increment key because its order is the order of events.
			pk === 'integer'
				? {
						field: 'id',
						type: 'integer',
						meta: { hidden: true, readonly: true, interface: 'input' },
						schema: { is_primary_key: true, has_auto_increment: true },
					}
				: {
						field: 'id',
						type: 'uuid',
						meta: { hidden: true, readonly: true, interface: 'input', special: ['uuid'] },
						schema: { is_primary_key: true, length: 36, has_auto_increment: false },
					},
			// Declaration order is the form's order.
			...fields.map((field, i) => ({ ...field, meta: { ...field.meta, sort: i + 2 } })),
			f.datetime('date_created', ['Created', '创建时间'], { special: ['date-created'], readonly: true, hidden: true, width: 'half' }),
			f.userStamp('user_created', ['Created by', '创建人'], { special: ['user-created'], hidden: true }),
			f.datetime('date_updated', ['Updated', '更新时间'], { special: ['date-updated'], readonly: true, hidden: true }),
			f.userStamp('user_updated', ['Updated by', '更新人'], { special: ['user-updated'], hidden: true }),
		],
	};
}
