import { KeyedChain } from '../../../server/src/planner/keyed-chain';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('KeyedChain', () => {
  test('tasks of one key run one after the other, in order', async () => {
    const chain = new KeyedChain();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([chain.run('a', task('1', 20)), chain.run('a', task('2', 1)), chain.run('a', task('3', 1))]);
    await tick(0);
    expect(chain.busyKeys).toBe(0);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  test('different keys run side by side', async () => {
    const chain = new KeyedChain();
    const log: string[] = [];
    const slow = chain.run('a', async () => {
      log.push('start a');
      await tick(30);
      log.push('end a');
    });
    const fast = chain.run('b', async () => {
      log.push('start b');
      log.push('end b');
    });
    await Promise.all([slow, fast]);
    expect(log.indexOf('end b')).toBeLessThan(log.indexOf('end a'));
  });

  test('a failed task rejects its own promise but does not stop the next one of its key', async () => {
    const chain = new KeyedChain();
    const failed = chain.run('a', async () => {
      throw new Error('boom');
    });
    let ran = false;
    const next = chain.run('a', async () => {
      ran = true;
    });
    await expect(failed).rejects.toThrow('boom');
    await next;
    expect(ran).toBe(true);
  });

  test('idle() resolves once everything has settled, also after failures, and waits for tasks added meanwhile', async () => {
    const chain = new KeyedChain();
    let done = 0;
    chain.run('a', async () => {
      await tick(10);
      done++;
      // Added while idle() is already waiting.
      void chain.run('b', async () => {
        await tick(10);
        done++;
      });
    });
    chain.run('c', async () => {
      throw new Error('ignored');
    }).catch(() => undefined);
    await chain.idle();
    expect(done).toBe(2);
    // Nothing left behind (a key that stayed would make idle() spin for ever).
    expect(chain.busyKeys).toBe(0);
  });
});
