// The evidence pack as a background export (issue 14), the way Directus's own exports work
// (api/src/services/import-export.ts exportToFile): the zip goes into Directus's file library
// through FilesService.uploadOne with the requester's accountability, and a Directus
// notification linking the file tells the requester when it is done. Here the zip is streamed
// straight into the storage location (no temporary file), rows and forms written as they are
// read, so memory stays flat whatever the period.
//
// The job runs on the instance that took the request. Its state is in the audit trail only (the
// bundle keeps to its 15 collections): a started entry, a progress entry every heartbeat, a done
// or failed entry (domain/forms/evidence.ts exportState). Any instance answers the state; an
// export whose heartbeat stopped (its instance died) is answered and recorded as failed.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import { DomainError } from '../domain/errors';
import { EXPORT_ACTIONS, EXPORT_COLLECTION, exportState, packFileName, type ExportEntry, type ExportState, type Period } from '../domain/forms/evidence';
import { hiddenKinds } from '../domain/property/register';
import { appendAudit } from './audit';
import type { ActorInfo } from './context';
import { countEvidencePack, newArchive, writeEvidencePack } from './evidence';
import { formReader } from './forms';

export interface ExportDeps {
	database: Knex;
	services: any;
	getSchema: () => Promise<any>;
	env: Record<string, any>;
	logger: { warn: (...a: any[]) => void; error: (...a: any[]) => void };
}

/** Exports one instance runs at the same time; more are refused with CP_EXPORT_BUSY. */
const MAX_HERE = 2;
const running = new Set<string>();

/** After this long without a heartbeat a running export counts as failed (CP_EVIDENCE_EXPORT_STALE_SECONDS, default 120). */
export const staleMs = (env: Record<string, any>) => Math.max(5, Number(env.CP_EVIDENCE_EXPORT_STALE_SECONDS ?? 120) || 120) * 1000;
const heartbeatMs = (env: Record<string, any>) => Math.max(1000, Math.floor(staleMs(env) / 4));

/**
 * The file is in the file library, which every staff member may read (Directus Core tier: no
 * item filters): the register leaves out the kinds hidden from a member of no department (PR-1).
 */
const FILE_READER = { isAdmin: false, system: false, departments: [] as string[] };
const REGISTER_NOTE =
	'顾客财产登记表不含受限类别(个人信息等):本文件存放在文件库,所有员工可读。Restricted kinds (personal data) are left out of the property register: this file is in the file library, which all staff can read; download the pack directly (GET) for the full register.';

export interface StartInput {
	accountability: any;
	actor: ActorInfo;
	actorName: string;
	period: Period;
	sample: number | null;
}

export async function startEvidenceExport(deps: ExportDeps, input: StartInput): Promise<{ id: string; state: ExportState }> {
	if (running.size >= MAX_HERE) {
		throw new DomainError('CP_EXPORT_BUSY', `This server already runs ${MAX_HERE} evidence exports; try again when one is done`);
	}
	const { database, env } = deps;
	const id = randomUUID();
	const hidden = hiddenKinds(FILE_READER);
	const total = await countEvidencePack(database, input.period, hidden, input.sample);
	const data = { from: input.period.from, to: input.period.to, sample: input.sample, total, instance: `${hostname()}:${process.pid}` };
	await appendAudit(database, input.actor, [{ collection: EXPORT_COLLECTION, item: id, action: EXPORT_ACTIONS.started, data }]);
	running.add(id);
	void run(deps, id, input, hidden, total)
		.catch((e) => deps.logger.error(e, '[customer-processes] evidence export failed'))
		.finally(() => running.delete(id));
	const state = exportState([{ action: EXPORT_ACTIONS.started, at: new Date(), user: input.actor.userId, data }], new Date(), staleMs(env))!;
	return { id, state };
}

async function run(deps: ExportDeps, id: string, input: StartInput, hidden: string[], total: number): Promise<void> {
	const { database, services, getSchema, env, logger } = deps;
	const { period, sample, actor } = input;
	const audit = (action: string, data: Record<string, unknown>) => appendAudit(database, actor, [{ collection: EXPORT_COLLECTION, item: id, action, data }]);
	let done = 0;
	// The heartbeat: progress from a timer, so that a slow step still shows the instance alive.
	const beat = setInterval(() => {
		audit(EXPORT_ACTIONS.progress, { done, total }).catch((e) => logger.warn(e, '[customer-processes] evidence export progress'));
	}, heartbeatMs(env));
	beat.unref?.();
	const archive = newArchive(logger);
	const filename = packFileName(period, sample);
	try {
		const schema = await getSchema();
		const reader = formReader({ database, services, getSchema }, input.accountability);
		const files = new services.FilesService({ schema, accountability: input.accountability });
		const writing = writeEvidencePack(archive, {
			database,
			reader,
			actor,
			actorName: input.actorName,
			period,
			env,
			logger,
			sample,
			hidden,
			registerNote: hidden.length ? REGISTER_NOTE : undefined,
			onProgress: (n) => {
				done = n;
			},
		});
		writing.catch(() => {});
		const uploading: Promise<string> = files.uploadOne(archive, {
			title: `审核证据包 Evidence pack ${period.from} .. ${period.to}${sample ? ` (样本 sample ${sample})` : ''}`,
			filename_download: filename,
			type: 'application/zip',
			description: `export ${id}`,
		});
		uploading.catch(() => {});
		let fileId: string;
		try {
			[, fileId] = await Promise.all([writing, uploading]);
		} catch (e) {
			archive.abort();
			throw e;
		}
		const file = await database('directus_files').where('id', fileId).first('filesize');
		clearInterval(beat);
		await audit(EXPORT_ACTIONS.done, { done, total, file: fileId, bytes: file?.filesize === undefined ? null : Number(file.filesize), filename });
		await notify(deps, schema, input.actor.userId, {
			subject: `审核证据包已生成 Your evidence pack ${period.from} .. ${period.to} is ready`,
			message: `审核证据包(${period.from} .. ${period.to}${sample ? `,样本 ${sample}` : ''})已存入文件库。\n\nYour evidence pack for ${period.from} .. ${period.to}${sample ? ` (a sample of ${sample} per kind)` : ''} is in the file library: ${fileLink(env, fileId)}`,
			collection: 'directus_files',
			item: fileId,
		});
	} catch (e) {
		clearInterval(beat);
		logger.error(e, '[customer-processes] evidence export failed');
		await audit(EXPORT_ACTIONS.failed, { done, total, error: String((e as Error)?.message ?? e).slice(0, 500) }).catch(() => {});
		await notify(deps, await getSchema(), input.actor.userId, {
			subject: `审核证据包生成失败 Your evidence pack ${period.from} .. ${period.to} failed`,
			message: `审核证据包未能生成,请重试。\n\nThe evidence pack for ${period.from} .. ${period.to} could not be made; please try again.`,
		}).catch(() => {});
		throw e;
	} finally {
		clearInterval(beat);
	}
}

const fileLink = (env: Record<string, any>, fileId: string) => `${String(env.PUBLIC_URL ?? '').replace(/\/+$/, '')}/admin/files/${fileId}`;

async function notify(
	deps: ExportDeps,
	schema: any,
	recipient: string | null,
	note: { subject: string; message: string; collection?: string; item?: string },
): Promise<void> {
	if (!recipient) return;
	// Directus's NotificationsService: the inbox entry, and an e-mail to users who keep them on.
	await new deps.services.NotificationsService({ schema, knex: deps.database }).createOne({
		recipient,
		sender: recipient,
		subject: note.subject.slice(0, 255),
		message: note.message,
		...(note.collection ? { collection: note.collection, item: note.item } : {}),
	});
}

async function entries(database: Knex, ids: string[]): Promise<Map<string, ExportEntry[]>> {
	const rows = ids.length
		? await database('cp_audit').where('collection', EXPORT_COLLECTION).whereIn('item', ids).orderBy('id').select('item', 'action', 'at', 'user', 'data')
		: [];
	const out = new Map<string, ExportEntry[]>();
	for (const r of rows) {
		const data = typeof r.data === 'string' ? JSON.parse(r.data) : r.data;
		const list = out.get(String(r.item)) ?? [];
		list.push({ action: r.action, at: r.at, user: r.user, data });
		out.set(String(r.item), list);
	}
	return out;
}

export interface ExportView extends ExportState {
	id: string;
	file_info: { id: string; title: string | null; filename_download: string | null; filesize: number | null } | null;
}

/** The state of the caller's exports (an admin: anyone's). A stale running export is recorded as failed here. */
export async function readExports(deps: ExportDeps, actor: ActorInfo, ids: string[]): Promise<ExportView[]> {
	const { database, env } = deps;
	const byId = await entries(database, ids);
	const now = new Date();
	const out: ExportView[] = [];
	for (const id of ids) {
		const state = exportState(byId.get(id) ?? [], now, staleMs(env));
		if (!state || (!actor.isAdmin && state.requestedBy !== actor.userId)) continue;
		if (state.stale) {
			await appendAudit(database, actor, [
				{ collection: EXPORT_COLLECTION, item: id, action: EXPORT_ACTIONS.failed, data: { error: state.error, stale: true } },
			]);
			// The dead instance may have left the file's row behind, without its content.
			const orphan = await database('directus_files').where('description', `export ${id}`).whereNull('uploaded_on').first('id');
			if (orphan) await new deps.services.FilesService({ schema: await deps.getSchema() }).deleteOne(orphan.id).catch(() => {});
		}
		const file = state.file ? await database('directus_files').where('id', state.file).first('id', 'title', 'filename_download', 'filesize') : null;
		out.push({
			id,
			...state,
			file_info: file
				? { id: file.id, title: file.title, filename_download: file.filename_download, filesize: file.filesize === null ? null : Number(file.filesize) }
				: null,
		});
	}
	return out;
}

/** The caller's latest exports, newest first. */
export async function myExports(deps: ExportDeps, actor: ActorInfo, limit = 10): Promise<ExportView[]> {
	const rows = await deps
		.database('cp_audit')
		.where({ collection: EXPORT_COLLECTION, action: EXPORT_ACTIONS.started, user: actor.userId })
		.orderBy('id', 'desc')
		.limit(limit)
		.select('item');
	return readExports(
		deps,
		actor,
		rows.map((r: { item: string }) => String(r.item)),
	);
}
