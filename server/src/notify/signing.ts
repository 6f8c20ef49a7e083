/**
 * Standard Webhooks v1 signing (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `${id}.${timestamp}.${body}` with the base64 key after "whsec_", sent as `v1,<base64>`. Several
 * signatures are space-separated, which is how a rotated secret keeps working during its overlap.
 */
import crypto from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';

/** A new secret: 32 random bytes, shown once to the user. */
export function generateSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(32).toString('base64');
}

export function isSecret(s: string): boolean {
  return /^whsec_[A-Za-z0-9+/=]{32,}$/.test(s);
}

export function signOne(secret: string, msgId: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const mac = crypto.createHmac('sha256', key).update(`${msgId}.${timestampSec}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The webhook-signature header value for every active secret. */
export function signatureHeader(secrets: string[], msgId: string, timestampSec: number, body: string): string {
  return secrets.map((s) => signOne(s, msgId, timestampSec, body)).join(' ');
}
