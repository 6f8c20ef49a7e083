/** Cancels the rows among `ids` that are still waiting; a row a worker already holds is left to finish. */
import type { Runtime } from '../runtime';

const WAITING = ['pending', 'queued', 'retrying'];

export async function cancelWaiting(rt: Runtime, ids: number[]): Promise<number> {
  let canceled = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await rt.store.findMany({ where: { id: { $in: ids.slice(i, i + 500) }, status: { $in: WAITING } } });
    for (const r of rows) {
      // Bumping jobSeq voids the queued job; conditional, so a row claimed meanwhile is not touched.
      if (await rt.store.updateWhere({ id: r.id, jobSeq: r.jobSeq, status: { $in: WAITING } }, { status: 'canceled', jobSeq: r.jobSeq + 1, nextAttemptAt: null })) canceled += 1;
    }
  }
  return canceled;
}
