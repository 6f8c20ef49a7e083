/**
 * Optional separate listener for Prometheus (metrics.listen: { host: '127.0.0.1', port }): GET /metrics
 * without Strapi's authentication, for a sidecar or a scraper on the same host. Bind it to loopback or
 * firewall it: it has no authentication of its own.
 */
import http from 'node:http';
import type { Runtime } from '../runtime';

export async function startMetricsListener(rt: Runtime, listen: { host: string; port: number }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    rt.metrics
      .render()
      .then(({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body))
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const addr = server.address();
  rt.log.info(`crosspost: metrics on http://${listen.host}:${typeof addr === 'object' && addr ? addr.port : listen.port}/metrics`);
  return server;
}
