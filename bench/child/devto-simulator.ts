/**
 * Bench child: the DEV simulator in a process of its own. With the simulator in the parent, its handling
 * of the plugin's posts shares an event loop with the client timing the publishes, and would be counted as
 * publish latency.
 *
 *   setup            starts it (limits off); returns its apiUrl. {all: true} also starts Hashnode and Medium
 *                    simulators (limits off) and returns the plugin variables that point at the three
 *   clear            forgets the requests received so far (it keeps every one); returns how many there were
 */
import { serve } from './rpc';
import { createDevtoSimulator, type DevtoSimulator } from '../../tests/simulators/devto';
import { createHashnodeSimulator, HASHNODE_DEFAULT_PUBLICATION_ID, HASHNODE_TEST_TOKEN, type HashnodeSimulator } from '../../tests/simulators/hashnode';
import { createMediumSimulator, MEDIUM_TEST_TOKEN, type MediumSimulator } from '../../tests/simulators/medium';

let sim: DevtoSimulator | undefined;
let hashnode: HashnodeSimulator | undefined;
let medium: MediumSimulator | undefined;

serve(
  {
    async setup({ all = false }: { all?: boolean } = {}) {
      // Limits off: bench 1 measures publish latency, not rate limiting.
      sim = createDevtoSimulator({ limits: false, validateSpec: false });
      await sim.listen();
      if (!all) return { apiUrl: sim.apiUrl };
      hashnode = createHashnodeSimulator();
      medium = createMediumSimulator({ dailyLimit: { max: 1000000, windowMs: 1000 } });
      await Promise.all([hashnode.listen(), medium.listen()]);
      const env = {
        CROSSPOST_HASHNODE_TOKEN: HASHNODE_TEST_TOKEN,
        CROSSPOST_HASHNODE_PUBLICATION_ID: HASHNODE_DEFAULT_PUBLICATION_ID,
        CROSSPOST_HASHNODE_BASE_URL: hashnode.url,
        CROSSPOST_MEDIUM_TOKEN: MEDIUM_TEST_TOKEN,
        CROSSPOST_MEDIUM_BASE_URL: medium.url,
        // Medium's 10 posts a day would stop the benchmark after ten articles.
        CROSSPOST_MEDIUM_LIMIT_POSTS: '1000000/1000',
      };
      return { apiUrl: sim.apiUrl, env };
    },
    clear() {
      const n = sim?.server.requests.splice(0).length ?? 0;
      hashnode?.server.requests.splice(0);
      medium?.server.requests.splice(0);
      return n;
    },
  },
  async () => {
    await Promise.all([sim?.close(), hashnode?.close(), medium?.close()]);
  },
);
