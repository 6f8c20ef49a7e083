/**
 * Bench child: the DEV simulator in a process of its own. With the simulator in the parent, its handling
 * of the plugin's posts shares an event loop with the client timing the publishes, and would be counted as
 * publish latency.
 *
 *   setup            starts it (limits off); returns its apiUrl
 *   clear            forgets the requests received so far (it keeps every one); returns how many there were
 */
import { serve } from './rpc';
import { createDevtoSimulator, type DevtoSimulator } from '../../tests/simulators/devto';

let sim: DevtoSimulator | undefined;

serve(
  {
    async setup() {
      // Limits off: bench 1 measures publish latency, not rate limiting.
      sim = createDevtoSimulator({ limits: false, validateSpec: false });
      await sim.listen();
      return { apiUrl: sim.apiUrl };
    },
    clear() {
      return sim?.server.requests.splice(0).length ?? 0;
    },
  },
  async () => {
    await sim?.close();
  },
);
