/** Start, read, list and cancel backfills (the routes' side; runner.ts does the work). */
import type { Runtime } from '../runtime';
import type { PlatformId } from '../config/schema';
import { badRequest, conflict, notFound } from '../http/errors';
import { platformsFor } from '../planner/entry';
import { backfillStore, backfillView } from './store';
import { estimateBackfill } from './estimate';
import { getBackfillRunner } from './runner';
import { cancelWaiting } from './cancel-rows';

export interface BackfillInput {
  contentType: string;
  platforms?: PlatformId[];
  since?: string;
}

/** The platforms a backfill of `uid` goes to; a requested platform that cannot be used is a 400. */
export function backfillPlatforms(rt: Runtime, uid: string, requested?: PlatformId[]): PlatformId[] {
  if (!rt.config.contentTypes[uid]) {
    throw badRequest(`contentType: "${uid}" is not a content type the plugin watches (config/plugins → crosspost.config.contentTypes).`);
  }
  const available = platformsFor(rt, uid);
  const bad = (requested ?? []).filter((p) => !available.includes(p));
  if (bad.length) throw badRequest(`platforms: ${bad.join(', ')} not available for ${uid} (not configured, or not in the type's platforms); available: ${available.join(', ') || 'none'}.`);
  const platforms = requested?.length ? [...new Set(requested)] : available;
  if (!platforms.length) throw badRequest('No platform is configured: add credentials for DEV, Hashnode or Medium first.');
  return platforms;
}

export async function estimate(rt: Runtime, input: BackfillInput) {
  const platforms = backfillPlatforms(rt, input.contentType, input.platforms);
  return estimateBackfill(rt, input.contentType, platforms, input.since ? new Date(input.since) : null);
}

export async function startBackfill(rt: Runtime, input: BackfillInput) {
  const platforms = backfillPlatforms(rt, input.contentType, input.platforms);
  const running = (await backfillStore.running(rt)).find((b) => b.contentType === input.contentType);
  if (running) throw conflict(`A backfill of ${input.contentType} is already running (id ${running.id}); cancel it or wait for it to finish.`);
  const since = input.since ? new Date(input.since) : null;
  const est = await estimateBackfill(rt, input.contentType, platforms, since);
  const row = await backfillStore.create(rt, {
    contentType: input.contentType, platforms, since, status: 'running', found: est.found, planned: 0, skipped: 0, cursor: 0,
    planningDone: false, publicationIds: [], estimatedSeconds: est.estimatedSeconds, startedAt: new Date(),
  });
  getBackfillRunner(rt.strapi)?.kick(row.id);
  return backfillView(rt, row);
}

async function load(rt: Runtime, id: number) {
  const row = await backfillStore.get(rt, id);
  if (!row) throw notFound(`No backfill with id ${id}.`);
  return row;
}

export async function getBackfill(rt: Runtime, id: number) {
  return backfillView(rt, await load(rt, id));
}

export async function listBackfills(rt: Runtime) {
  return Promise.all((await backfillStore.list(rt)).map((b) => backfillView(rt, b)));
}

/** Stops planning further entries and cancels the rows it planned that are still waiting (not one being sent). */
export async function cancelBackfill(rt: Runtime, id: number) {
  const row = await load(rt, id);
  if (row.status !== 'running') throw conflict(`Only a running backfill can be canceled; this one is ${row.status}.`);
  await backfillStore.updateRunning(rt, id, { status: 'canceled', finishedAt: new Date() });
  await cancelWaiting(rt, row.publicationIds ?? []);
  // The runner (here or in another process) sweeps rows that were being sent at this moment once they wait again.
  getBackfillRunner(rt.strapi)?.kick(id);
  return backfillView(rt, (await backfillStore.get(rt, id))!);
}
