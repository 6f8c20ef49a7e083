/**
 * Bench 2 baseline child: the least a queue-based cross-poster has to do. A Bull queue on the same
 * Redis with the plugin's job options, job data {i} (ids only, like the plugin's), and a processor
 * that POSTs payload i to the DEV simulator with axios. No Strapi, no database, no rendering.
 */
import Bull from 'bull';
import axios from 'axios';
import { REDIS_URL } from '../../tests/helpers/strapi';
import { serve } from './rpc';

let queue: Bull.Queue<{ i: number }> | undefined;
let payloads: unknown[] = [];
let doneAt: number[] = [];
let failures = 0;
let done = 0;
let onDone: (() => void) | undefined;
let expected = 0;

serve(
  {
    async setup({ apiUrl, apiKey, prefix, concurrency }: { apiUrl: string; apiKey: string; prefix: string; concurrency: number }) {
      const client = axios.create({
        baseURL: apiUrl,
        timeout: 30000,
        headers: { 'api-key': apiKey, accept: 'application/vnd.forem.api-v1+json', 'content-type': 'application/json' },
        maxRedirects: 0,
        validateStatus: () => true,
        responseType: 'text',
        transformResponse: [(d) => d],
      });
      queue = new Bull<{ i: number }>('bench:baseline', REDIS_URL, {
        prefix,
        settings: { lockDuration: 30000, lockRenewTime: 15000, stalledInterval: 30000, maxStalledCount: 1 },
        defaultJobOptions: { attempts: 1, removeOnComplete: 1000, removeOnFail: 5000 },
      });
      void queue.process(concurrency, async (job) => {
        const res = await client.post('/articles', payloads[job.data.i]);
        if (res.status !== 201) failures += 1;
        else doneAt[job.data.i] = Date.now();
        done += 1;
        if (done >= expected) onDone?.();
      });
      await queue.isReady();
      return { pid: process.pid };
    },

    /** drain=true: all jobs are added to the paused queue first, then it is resumed (worker capacity only). */
    async run({ payloads: p, timeoutMs = 300000, drain = false }: { payloads: unknown[]; timeoutMs?: number; drain?: boolean }) {
      if (!queue) throw new Error('setup first');
      payloads = p;
      doneAt = new Array(p.length).fill(NaN);
      failures = 0;
      done = 0;
      expected = p.length;
      const finished = new Promise<void>((resolve, reject) => {
        onDone = resolve;
        setTimeout(() => reject(new Error(`baseline did not finish within ${timeoutMs} ms (${done}/${expected})`)), timeoutMs).unref();
      });
      if (drain) await queue.pause();
      const addAt: number[] = [];
      const t0 = Date.now();
      for (let i = 0; i < p.length; i++) {
        addAt.push(Date.now());
        await queue.add({ i }, { jobId: `b-${t0}-${i}` });
      }
      let resumedAt: number | undefined;
      if (drain) {
        resumedAt = Date.now();
        await queue.resume();
      }
      await finished;
      return { t0, resumedAt, addAt, doneAt, failures };
    },
  },
  async () => {
    // The parent deletes this run's Redis keys (it chose the prefix).
    await queue?.close();
  },
);
