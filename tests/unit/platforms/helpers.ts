/** Shared bits of the connector unit tests: an Article factory and assertions on PlatformErrors. */
import { PlatformError, type ErrorKind } from '../../../server/src/platforms/types';
import type { Article } from '../../../server/src/content/types';

export function article(overrides: Partial<Article> = {}): Article {
  return {
    title: 'Shipping a GraphQL API',
    description: 'What we learned',
    markdown: '## Intro\n\nSome **bold** text.\n\n```ts\nconst x = 1;\n```\n',
    tags: ['GraphQL', 'TypeScript'],
    coverUrl: 'https://cms.example.com/uploads/cover.png',
    canonicalUrl: 'https://blog.example.com/posts/shipping-graphql',
    slug: 'shipping-graphql',
    warnings: [],
    ...overrides,
  };
}

/** Awaits a rejection and checks it is a PlatformError of `kind`; returns it for further checks. */
export async function rejection(promise: Promise<unknown>, kind: ErrorKind, secrets: string[] = []): Promise<PlatformError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  if (!(caught instanceof PlatformError)) {
    throw new Error(`expected a PlatformError(${kind}), got ${caught === undefined ? 'a success' : String((caught as Error)?.stack ?? caught)}`);
  }
  expect({ kind: caught.kind, message: caught.message }).toEqual({ kind, message: caught.message });
  for (const s of secrets) expect(caught.message).not.toContain(s);
  return caught;
}
