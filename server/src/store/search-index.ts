/**
 * Title search ($containsi → lower(title) LIKE '%q%') cannot use a b-tree index. On PostgreSQL a
 * trigram GIN index makes it fast (measured: p95 146 ms → 50 ms on 100,000 rows). It needs the pg_trgm
 * extension, which not every database user may create: best effort, with a hint when it fails.
 */
import type { Core } from '@strapi/strapi';

export async function ensureTitleSearchIndex(strapi: Core.Strapi, log: { info(m: string): void; warn(m: string): void }): Promise<void> {
  const client = String((strapi.db as unknown as { dialect?: { client?: string } }).dialect?.client ?? strapi.config.get('database.connection.client'));
  if (!client.startsWith('postgres') && client !== 'pg') return;
  const knex = strapi.db.connection;
  try {
    await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await knex.raw('CREATE INDEX IF NOT EXISTS crosspost_publications_title_trgm ON crosspost_publications USING gin (lower(title::text) gin_trgm_ops)');
  } catch (err) {
    log.warn(
      `crosspost: could not create the trigram index for title search (${(err as Error).message}). Searching publications by title still works, ` +
        'only slower on large tables; a database owner can run: CREATE EXTENSION pg_trgm; CREATE INDEX crosspost_publications_title_trgm ON crosspost_publications USING gin (lower(title::text) gin_trgm_ops);',
    );
  }
}
