/**
 * Runs a `crosspost:plan` job: plans the entry's publish or unpublish (planner.ts). Jobs of the same
 * entry run one after the other in this process, so a quick publish → unpublish is planned in order.
 */
import type { Runtime } from '../runtime';
import type { PlanJobData } from '../queue/plan-queue';
import { planPublish, planUnpublish } from './planner';
import { KeyedChain, targetKey } from './keyed-chain';

export function createPlanJobRunner(rt: Runtime): { run(data: PlanJobData): Promise<void> } {
  const chain = new KeyedChain();
  return {
    run: (data) => {
      const t = { uid: data.uid, documentId: data.documentId, locale: data.locale };
      return chain.run(targetKey(t), async () => {
        await (data.action === 'publish' ? planPublish(rt, t) : planUnpublish(rt, t));
      });
    },
  };
}
