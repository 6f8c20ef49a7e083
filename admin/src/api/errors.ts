/** The message of a failed admin request, in the server's own words when it sent some. */
import { isFetchError } from '@strapi/strapi/admin';

export function isAbort(err: unknown): boolean {
  return (err as { name?: string })?.name === 'AbortError' || (err as { name?: string })?.name === 'CanceledError';
}

export function errorMessage(err: unknown): string {
  if (isFetchError(err as Error)) {
    const e = err as { response?: { data?: { error?: { message?: string } } }; message: string };
    return e.response?.data?.error?.message ?? e.message;
  }
  return (err as Error)?.message ?? String(err);
}

/**
 * A route this server does not have (an older plugin version): a JSON 404, or the router's plain-text
 * 405 "Method Not Allowed", which the fetch client surfaces as a SyntaxError (every route of the
 * plugin answers JSON, so a non-JSON error body means no route answered).
 */
export function isMissingRoute(err: unknown): boolean {
  const e = err as { status?: number; name?: string };
  return e?.status === 404 || e?.status === 405 || e?.name === 'SyntaxError';
}
