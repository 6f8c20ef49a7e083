/** zod schemas for the settings routes: unknown fields are refused, each error names the field. */
import { z } from 'zod';
import { PLATFORM_IDS } from '../config/schema';
import { MAX_DELAY_MS } from '../settings/effective';

const secret = (what: string) =>
  z
    .string({ invalid_type_error: `must be the ${what} as a string, or null to remove the stored one` })
    .trim()
    .min(1, 'must not be empty (send null to remove the stored one)')
    .max(4096, 'is too long (at most 4096 characters)')
    .refine((v) => !/\s/.test(v), { message: 'must not contain spaces or line breaks (was something else pasted along?)' });

const publicationId = z
  .string({ invalid_type_error: 'must be the publication id as a string, or null to remove the stored one' })
  .trim()
  .regex(/^[0-9a-f]{24}$/i, 'must be the 24-character hex id of the Hashnode publication (in its dashboard URL)');

const credentialSchemas = {
  devto: z.object({ apiKey: secret('DEV API key') }),
  hashnode: z.object({ token: secret('Hashnode personal access token'), publicationId }),
  medium: z.object({ token: secret('Medium integration token') }),
};

const platformDefaults = z
  .object({
    mode: z.enum(['publish', 'draft']).optional(),
    delayMs: z.number().int().min(0).max(MAX_DELAY_MS, 'must be at most 90 days (in ms)').optional(),
  })
  .strict();

const platformUpdate = <T extends z.ZodRawShape>(credentials: z.ZodObject<T>) =>
  z
    .object({
      enabled: z.boolean().optional(),
      // Each field: a new value, or null to remove the stored one.
      credentials: z
        .object(Object.fromEntries(Object.entries(credentials.shape).map(([k, v]) => [k, (v as z.ZodTypeAny).nullable().optional()])))
        .strict()
        .optional(),
      defaults: platformDefaults.optional(),
    })
    .strict();

export const settingsUpdateSchema = z
  .object({
    defaults: z.object({ platforms: z.array(z.enum(PLATFORM_IDS)).optional() }).strict().optional(),
    platforms: z
      .object({ devto: platformUpdate(credentialSchemas.devto).optional(), hashnode: platformUpdate(credentialSchemas.hashnode).optional(), medium: platformUpdate(credentialSchemas.medium).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const testConnectionSchema = z.discriminatedUnion('platform', [
  z.object({ platform: z.literal('devto'), credentials: credentialSchemas.devto.partial().strict().optional() }).strict(),
  z.object({ platform: z.literal('hashnode'), credentials: credentialSchemas.hashnode.partial().strict().optional() }).strict(),
  z.object({ platform: z.literal('medium'), credentials: credentialSchemas.medium.partial().strict().optional() }).strict(),
]);
