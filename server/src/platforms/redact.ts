/**
 * Platform answers end up in `lastError`, which the admin and API readers see. A platform (or a proxy
 * in front of it) that echoes the request headers would put the credential there: anything that looks
 * like a header carrying a credential, a bearer token or a long opaque token is cut out first.
 */
const HEADER = /\b(authorization|proxy-authorization|api[-_]?key|x-api-key|token|access[-_]?token|cookie|set-cookie|secret|password)\b(["']?\s*[:=]\s*["']?)([^\s"',;}]+(?:\s+[^\s"',;}]+)?)/gi;
const BEARER = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/**
 * Token shapes: 20+ letters and digits mixing upper case, lower case and digits (API keys; lower-case hex
 * ids such as Hashnode post ids stay readable), a UUID, a JWT. Slugs (short words and dashes) pass.
 */
const OPAQUE = /\b(?:(?=[A-Za-z0-9_]*\d)(?=[A-Za-z0-9_]*[a-z])(?=[A-Za-z0-9_]*[A-Z])[A-Za-z0-9_]{20,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\b/g;
const MAX_LENGTH = 1000;

export function redactSecrets(text: string, known: Array<string | undefined> = []): string {
  let out = text;
  for (const secret of known) if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  out = out
    .replace(HEADER, (_m, name: string, sep: string) => `${name}${sep}[redacted]`)
    .replace(BEARER, (_m, scheme: string) => `${scheme} [redacted]`)
    .replace(OPAQUE, '[redacted]');
  return out.length > MAX_LENGTH ? `${out.slice(0, MAX_LENGTH)}…` : out;
}

/** Every credential in the plugin config, for exact-match redaction. */
export function knownCredentials(platforms: Record<string, Record<string, unknown>>): string[] {
  const fields = ['apiKey', 'token', 'publicationId'];
  return Object.values(platforms).flatMap((p) => fields.map((f) => p?.[f]).filter((v): v is string => typeof v === 'string' && v.length >= 4));
}
