/**
 * Bench 2 and 3: the editor's side, in a process of its own. Publishes prepared drafts one after the
 * other with the Content Manager's publish action over HTTP, as a browser would, so that neither Strapi's
 * process (where the plugin's worker runs) nor the parent's (where the DEV simulator answers) spends
 * CPU on the client.
 *
 *   publish {baseUrl, jwt, ids}  → { t0, publishAt: ms[], publishLoopMs }
 */
import { serve } from './rpc';
import { expectStatus, http } from './http-client';

serve({
  async publish({ baseUrl, jwt, ids }: { baseUrl: string; jwt: string; ids: string[] }) {
    const publishAt: number[] = [];
    const t0 = Date.now();
    for (const documentId of ids) {
      publishAt.push(Date.now());
      const r = await http(baseUrl, 'POST', `/content-manager/collection-types/api::article.article/${documentId}/actions/publish`, { token: jwt, body: {} });
      expectStatus(r, 200, 'CM publish');
    }
    return { t0, publishAt, publishLoopMs: Date.now() - t0 };
  },
});
