/**
 * Default plugin config, built from the environment variables that are part of the contract
 * (DESIGN.md §1). The host app's `config/plugins.ts` is merged over this with lodash.defaultsDeep,
 * so no array defaults here: defaultsDeep would merge arrays index by index.
 */
type Env = ((key: string, fallback?: string) => string | undefined) & Record<string, unknown>;

const read = (env: Env | undefined, key: string): string | undefined => {
  const v = env ? env(key) : process.env[key];
  return v === undefined || v === '' ? undefined : String(v);
};

export const buildDefaultConfig = ({ env }: { env?: Env } = {}) => ({
  redis: {
    url: read(env, 'CROSSPOST_REDIS_URL') ?? read(env, 'REDIS_URL') ?? 'redis://127.0.0.1:6379',
    prefix: 'bull',
    connectTimeoutMs: 5000,
  },
  // Kept as the raw string so the validator can name the variable when it is not a boolean.
  worker: read(env, 'CROSSPOST_WORKER') ?? 'true',
  publicUrl: read(env, 'CROSSPOST_PUBLIC_URL'),
  contentTypes: {},
  // Raw string, like `worker`, so a bad value is reported with the variable's name.
  settings: { editableCredentials: read(env, 'CROSSPOST_ADMIN_CREDENTIALS') ?? 'true' },
  platforms: {
    devto: {
      apiKey: read(env, 'CROSSPOST_DEVTO_API_KEY'),
      baseUrl: read(env, 'CROSSPOST_DEVTO_BASE_URL') ?? 'https://dev.to/api',
    },
    hashnode: {
      token: read(env, 'CROSSPOST_HASHNODE_TOKEN'),
      publicationId: read(env, 'CROSSPOST_HASHNODE_PUBLICATION_ID'),
      baseUrl: read(env, 'CROSSPOST_HASHNODE_BASE_URL') ?? 'https://gql-beta.hashnode.com',
    },
    medium: {
      token: read(env, 'CROSSPOST_MEDIUM_TOKEN'),
      baseUrl: read(env, 'CROSSPOST_MEDIUM_BASE_URL') ?? 'https://api.medium.com/v1',
    },
  },
});
