/**
 * Loads data through `load`, reloads on demand, and polls every `pollMs` while `shouldPoll(data)` is true
 * and the tab is visible (the admin has no socket; EventSource cannot send the admin's Bearer token).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage, isAbort } from '../api/errors';

export interface Remote<T> {
  data: T | undefined;
  error: string | null;
  rawError: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useRemote<T>(
  load: () => Promise<T>,
  deps: unknown[],
  opts: { pollMs?: number; shouldPoll?: (data: T | undefined) => boolean; enabled?: boolean } = {},
): Remote<T> {
  const { pollMs = 3000, shouldPoll, enabled = true } = opts;
  const [data, setData] = useState<T | undefined>(undefined);
  const [rawError, setRawError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const next = await loadRef.current();
      if (mine !== seq.current) return; // a newer request answered (or will)
      setData(next);
      setRawError(null);
    } catch (err) {
      if (isAbort(err) || mine !== seq.current) return;
      setRawError(err);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!enabled) return;
    setLoading(true);
    void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, reload, ...deps]);

  const polling = enabled && !!shouldPoll && shouldPoll(data);
  useEffect(() => {
    if (!polling) return undefined;
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || document.visibilityState === 'visible') void reload();
    }, pollMs);
    const onVisible = () => document.visibilityState === 'visible' && void reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [polling, pollMs, reload]);

  return { data, error: rawError ? errorMessage(rawError) : null, rawError, loading, reload };
}
