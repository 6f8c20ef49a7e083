/** The watched content types, fetched once per page load and shared by the panel and the dashboard. */
import { useEffect, useState } from 'react';
import { getFetchClient } from '@strapi/strapi/admin';
import { isMissingRoute } from './errors';
import type { ContentTypeInfo } from './types';

let cached: Promise<ContentTypeInfo[] | null> | null = null;
let known: Set<string> | null = null;

/** The watched uids once loaded (null before): the list-view column hook runs outside React and cannot wait. */
export function watchedUids(): Set<string> | null {
  return known;
}

/** Starts loading the watched types once per page load (again after a transient failure). */
export function loadWatchedTypes(): Promise<ContentTypeInfo[] | null> {
  if (!cached) {
    cached = getFetchClient()
      .get<{ data: ContentTypeInfo[] }>('/crosspost/content-types')
      .then(
        (r) => {
          known = new Set(r.data.data.map((c) => c.uid));
          return r.data.data;
        },
        (err) => {
          if (isMissingRoute(err)) return null;
          cached = null; // a transient failure: ask again next time
          return null;
        },
      );
  }
  return cached;
}

/** null while loading; `'unknown'` when the server has no /content-types route (then assume watched). */
export function useWatchedTypes(): ContentTypeInfo[] | null | 'unknown' {
  const [types, setTypes] = useState<ContentTypeInfo[] | null | 'unknown'>(null);
  useEffect(() => {
    let live = true;
    void loadWatchedTypes().then((v) => live && setTypes(v ?? 'unknown'));
    return () => {
      live = false;
    };
  }, []);
  return types;
}
