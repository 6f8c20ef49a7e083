/**
 * Child side of the benchmark RPC: the parent (bench/lib.ts → spawnChild) sends {type:'call', id, cmd,
 * args}; the child answers {type:'reply', id, ok, result | error}. `stop` runs the cleanup and exits.
 * If the parent goes away, the child cleans up and exits too (no orphaned Strapi or Bull workers).
 */
export type Handler = (args: any) => unknown;

export function serve(handlers: Record<string, Handler>, cleanup: () => Promise<void> = async () => undefined): void {
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= cleanup().catch((err) => console.error(`cleanup failed: ${(err as Error)?.stack ?? err}`)));

  process.on('message', async (msg: { type?: string; id?: number; cmd?: string; args?: unknown }) => {
    if (msg?.type !== 'call' || msg.id === undefined || !msg.cmd) return;
    const reply = (payload: Record<string, unknown>) => process.send?.({ type: 'reply', id: msg.id, ...payload });
    if (msg.cmd === 'stop') {
      await stop();
      reply({ ok: true, result: null });
      setTimeout(() => process.exit(0), 50);
      return;
    }
    const h = handlers[msg.cmd];
    if (!h) {
      reply({ ok: false, error: `unknown command "${msg.cmd}"` });
      return;
    }
    try {
      reply({ ok: true, result: await h(msg.args ?? {}) });
    } catch (err) {
      reply({ ok: false, error: (err as Error)?.stack ?? String(err) });
    }
  });
  // Parent gone, Ctrl-C or kill: clean up (temp database, PostgreSQL database, Redis keys) before leaving.
  process.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      void stop().finally(() => process.exit(130));
    });
  }
  process.send?.({ type: 'ready' });
}

/** Full GC (the children run with --expose-gc), a few times so finalizers and weak refs settle. */
export async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 100));
  }
}
