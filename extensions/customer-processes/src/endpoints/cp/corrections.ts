// POST /cp/corrections {collection, item, field, value, reason}: the recorded correction of a
// closed, signed or answered record. Directus's own permission to update the collection is
// required first; the collection's policy says which fields may be corrected and by whom.
import type { EndpointContext } from './context';
import { requireUser, route } from './context';
import { actorFrom, loadSettings } from '../../services/context';
import { assertPermission } from '../../services/permissions';
import { assertPayloadShape } from '../../services/payload';
import { correctRecord } from '../../services/policy';

export function mountCorrections(router: any, { database, getSchema }: EndpointContext): void {
	router.post(
		'/corrections',
		route(async (req, res) => {
			requireUser(req, 'correct a record');
			const body = req.body ?? {};
			const collection = String(body.collection ?? '');
			await assertPermission(database, req.accountability, collection, 'update');
			const schema = await getSchema();
			const field = String(body.field ?? '');
			assertPayloadShape(schema, collection, { [field]: body.value }, true);
			const actor = actorFrom(req.accountability, await loadSettings(database));
			const json = schema?.collections?.[collection]?.fields?.[field]?.type === 'json';
			res.json({ data: await correctRecord(database, actor, body, undefined, { json }) });
		}),
	);
}
