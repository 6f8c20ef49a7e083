/**
 * Strapi's own encryption service (admin::encryption: AES-256-GCM, key = sha256 of
 * `admin.secrets.encryptionKey`, set from ENCRYPTION_KEY in config/admin). The plugin never stores a
 * credential when that key is missing rather than falling back to something weaker.
 */
import type { Core } from '@strapi/strapi';

interface EncryptionService {
  encrypt(value: string): string | null;
  decrypt(value: string): string | null;
}

export const NO_ENCRYPTION_KEY_MESSAGE =
  'Credentials cannot be stored: Strapi has no encryption key. Set ENCRYPTION_KEY in the environment and `secrets: { encryptionKey: env("ENCRYPTION_KEY") }` in config/admin (a long random string, e.g. `openssl rand -base64 32`), restart Strapi, then enter the credential again. Or set the credential as an environment variable instead.';

export function createCredentialCipher(strapi: Core.Strapi) {
  const service = () => strapi.service('admin::encryption') as unknown as EncryptionService | undefined;
  return {
    available(): boolean {
      const key = (strapi.config.get('admin.secrets') as { encryptionKey?: unknown } | undefined)?.encryptionKey;
      return typeof key === 'string' && key.length > 0 && typeof service()?.encrypt === 'function';
    },
    encrypt(value: string): string | null {
      return this.available() ? service()!.encrypt(value) : null;
    },
    /** null when it cannot be read back (no key, another key, damaged). */
    decrypt(value: string): string | null {
      if (!this.available()) return null;
      try {
        return service()!.decrypt(value);
      } catch {
        return null;
      }
    },
  };
}
