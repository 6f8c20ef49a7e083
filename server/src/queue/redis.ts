/**
 * Redis connectivity helpers. Startup checks Redis once, with a bounded timeout, so a missing Redis
 * is a clear error instead of a hang.
 */
import Redis from 'ioredis';

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://<unparseable URL>';
  }
}

export async function assertRedisReachable(url: string, timeoutMs: number): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects connect() with "Connection is closed."; the socket error that explains it comes as an event.
  let socketError: { code?: string; message?: string } | undefined;
  client.on('error', (err) => {
    socketError = err as { code?: string };
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
      }),
    ]);
  } catch (err) {
    const code = socketError?.code ?? (err as { code?: string }).code ?? socketError?.message ?? (err as Error).message;
    throw new Error(
      `crosspost: cannot reach Redis at ${redactRedisUrl(url)} (${code}). ` +
        'Start Redis (for example `redis-server --daemonize yes`) or point CROSSPOST_REDIS_URL at a running one.',
    );
  } finally {
    if (timer) clearTimeout(timer);
    client.disconnect();
  }
}
