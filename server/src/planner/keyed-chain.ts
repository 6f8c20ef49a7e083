/** Runs tasks one after the other per key (an entry's document+locale), different keys side by side. */
export class KeyedChain {
  private readonly chains = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const result = (this.chains.get(key) ?? Promise.resolve()).then(task);
    // The chain itself never rejects, so one failed task does not skip the next one.
    const settled: Promise<void> = result
      .catch(() => undefined)
      .finally(() => {
        if (this.chains.get(key) === settled) this.chains.delete(key);
      });
    this.chains.set(key, settled);
    return result;
  }

  /** Keys with a task running or waiting. */
  get busyKeys(): number {
    return this.chains.size;
  }

  /** Resolves when every task started so far has settled. */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }
}

export const targetKey = (t: { uid: string; documentId: string; locale: string }) => `${t.uid}|${t.documentId}|${t.locale}`;
