/**
 * The Hashnode connector against the Hashnode simulator over real HTTP: what render sends, create /
 * update / draft mode / delist / lookup, and how every failure is classified.
 */
import {
  createHashnodeSimulator,
  HASHNODE_DEFAULT_PUBLICATION_ID,
  HASHNODE_PRO_FORBIDDEN_MESSAGE,
  HASHNODE_TEST_TOKEN,
  hashnodeSdlPath,
  type HashnodeSimulator,
} from '../../simulators/hashnode';
import {
  createHashnodeConnector,
  DELIST_NOTE,
  HASHNODE_MAX_REQUEST_BYTES,
  type HashnodeConfig,
  type HashnodePayload,
  type HashnodeRemoteRef,
} from '../../../server/src/platforms/hashnode';
import { PlatformError, type Connector } from '../../../server/src/platforms/types';
import { article, rejection } from './helpers';

let sim: HashnodeSimulator;
let hn: Connector<HashnodePayload>;

const TIMEOUT_MS = 300;

function connector(overrides: Partial<HashnodeConfig> = {}, timeoutMs = TIMEOUT_MS): Connector<HashnodePayload> {
  return createHashnodeConnector(
    // Reads are waited for before lookups; tests shorten the wait (the simulator hides new posts for less).
    { token: HASHNODE_TEST_TOKEN, publicationId: HASHNODE_DEFAULT_PUBLICATION_ID, baseUrl: sim.url, mode: 'publish', lookupDelayMs: 150, ...overrides },
    { timeoutMs },
  );
}

const requests = () => sim.server.requests;
const operations = () => requests().map((r) => r.operation);
const inputOf = (i: number) => (requests()[i].body as { variables: { input: Record<string, unknown> } }).variables.input;

beforeAll(async () => {
  sim = createHashnodeSimulator();
  await sim.listen();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
  hn = connector();
});

describe('render', () => {
  test('maps the article to publishPost fields: slug, {slug,name} tags, canonical, subtitle, cover', () => {
    const { payload, warnings, blocking } = hn.render(article(), {});
    expect(blocking).toEqual([]);
    expect(warnings).toEqual([]);
    expect(payload).toEqual({
      mode: 'publish',
      publicationId: HASHNODE_DEFAULT_PUBLICATION_ID,
      post: {
        title: 'Shipping a GraphQL API',
        subtitle: 'What we learned',
        contentMarkdown: '## Intro\n\nSome **bold** text.\n\n```ts\nconst x = 1;\n```\n',
        slug: 'shipping-graphql',
        tags: [
          { slug: 'graphql', name: 'GraphQL' },
          { slug: 'typescript', name: 'TypeScript' },
        ],
        coverImage: 'https://cms.example.com/uploads/cover.png',
        originalArticleURL: 'https://blog.example.com/posts/shipping-graphql',
      },
    });
  });

  test('keeps Markdown tables and does not add a title heading (Hashnode renders both itself)', () => {
    const md = '| a | b |\n| - | - |\n| 1 | 2 |\n';
    const { payload, warnings } = hn.render(article({ markdown: md }), {});
    expect(payload.post.contentMarkdown).toContain('| a | b |');
    expect(payload.post.contentMarkdown).not.toMatch(/^# /);
    expect(warnings).toEqual([]);
  });

  test('optional fields are left out when the article has none', () => {
    const { payload } = hn.render(article({ description: undefined, coverUrl: undefined, canonicalUrl: undefined, tags: [] }), {});
    expect(Object.keys(payload.post).sort()).toEqual(['contentMarkdown', 'slug', 'tags', 'title']);
  });

  test('draft mode comes from the entry option or the config', () => {
    expect(hn.render(article(), { draft: true }).payload.mode).toBe('draft');
    expect(connector({ mode: 'draft' }).render(article(), {}).payload.mode).toBe('draft');
    expect(hn.render(article(), { draft: false }).payload.mode).toBe('publish');
  });

  test('slugs are made Hashnode-safe; a slug with no Latin characters is left to Hashnode, with a warning', () => {
    expect(hn.render(article({ slug: 'Über Café 2024' }), {}).payload.post.slug).toBe('uber-cafe-2024');
    const r = hn.render(article({ slug: '日本語' }), {});
    expect(r.payload.post.slug).toBeUndefined();
    expect(r.warnings).toEqual(['Hashnode: the slug "日本語" has no Latin letters or digits, so Hashnode will make one from the title.']);
  });

  test('more than 15 tags: the rest are left out with a warning; article warnings are passed on', () => {
    const tags = Array.from({ length: 17 }, (_, i) => `Tag ${i + 1}`);
    const r = hn.render(article({ tags, warnings: ['Unknown block "x" skipped.'] }), {});
    expect(r.payload.post.tags).toHaveLength(15);
    expect(r.warnings).toEqual(['Unknown block "x" skipped.', 'Hashnode accepts at most 15 tags: "Tag 16", "Tag 17" left out.']);
  });

  test('a request over 100 KB is blocked with its size and the limit; the whole request body counts, not just the Markdown', () => {
    const big = hn.render(article({ markdown: 'word '.repeat(23000) }), {});
    expect(big.blocking).toHaveLength(1);
    expect(big.blocking[0]).toMatch(/^Hashnode accepts requests up to 100\.0 KB; this article makes a 1\d\d\.\d KB request\. Shorten the article \(or split it\) by at least \d+\.\d KB\.$/);

    // Markdown alone under the limit, but the GraphQL request around it is not.
    const nearly = 'x'.repeat(HASHNODE_MAX_REQUEST_BYTES - 200);
    const r = hn.render(article({ markdown: nearly }), {});
    expect(Buffer.byteLength(r.payload.post.contentMarkdown)).toBeLessThan(HASHNODE_MAX_REQUEST_BYTES);
    expect(r.blocking).toHaveLength(1);
    // Draft mode requests are measured too.
    expect(hn.render(article({ markdown: nearly }), { draft: true }).blocking).toHaveLength(1);
  });

  test('an article just under the limit is not blocked and Hashnode (simulated: 100 KB body limit) accepts it', async () => {
    const r = hn.render(article({ markdown: 'y'.repeat(HASHNODE_MAX_REQUEST_BYTES - 3000) }), {});
    expect(r.blocking).toEqual([]);
    const ref = await hn.create(r.payload);
    const stored = sim.posts.get(ref.remoteId)!.contentMarkdown;
    // Compared without printing ~100 KB on failure.
    expect([stored.length, stored === r.payload.post.contentMarkdown]).toEqual([HASHNODE_MAX_REQUEST_BYTES - 3000 + 1, true]);
  });

  test('the create path refuses an oversized payload before sending anything', async () => {
    const { payload } = hn.render(article({ markdown: 'z'.repeat(HASHNODE_MAX_REQUEST_BYTES + 10) }), {});
    const err = await rejection(hn.create(payload), 'permanent');
    expect(err.message).toMatch(/^Hashnode accepts requests up to 100\.0 KB; this one is 100\.\d KB\. Shorten the article\.$/);
    expect(requests()).toHaveLength(0);
  });
});

describe('publish mode', () => {
  test('create = one publishPost with our slug, tags, canonical, subtitle, cover and the publication; Bearer token', async () => {
    const { payload } = hn.render(article(), {});
    const ref = await hn.create(payload);

    expect(operations()).toEqual(['publishPost']);
    expect(requests()[0].headers.authorization).toBe(`Bearer ${HASHNODE_TEST_TOKEN}`);
    expect(inputOf(0)).toEqual({ publicationId: HASHNODE_DEFAULT_PUBLICATION_ID, ...payload.post });

    expect(sim.posts.size).toBe(1);
    const post = [...sim.posts.values()][0];
    expect(ref).toEqual({ remoteId: post.id, remoteUrl: 'https://alice.hashnode.dev/shipping-graphql', remoteState: 'published' });
    expect(post.slug).toBe('shipping-graphql');
    expect(post.canonicalUrl).toBe('https://blog.example.com/posts/shipping-graphql');
    expect(post.subtitle).toBe('What we learned');
    expect(post.coverImage).toBe('https://cms.example.com/uploads/cover.png');
    expect(post.tags.map((t) => [t.slug, t.name])).toEqual([
      ['graphql', 'GraphQL'],
      ['typescript', 'TypeScript'],
    ]);
    expect(post.contentMarkdown).toBe(payload.post.contentMarkdown);
  });

  test('update = one updatePost on the same post: content changed, tags replaced, no nulls, no isDelisted, no new post', async () => {
    const ref = await hn.create(hn.render(article(), {}).payload);
    sim.server.requests.splice(0);

    const edited = hn.render(article({ markdown: 'Version two.', tags: ['Rust'], description: undefined, coverUrl: undefined }), {}).payload;
    const updated = await hn.update(ref.remoteId, edited);

    expect(operations()).toEqual(['updatePost']);
    // What null does to these fields is undocumented: a field the entry no longer has is not sent (issue 13 #14).
    expect(Object.keys(inputOf(0)).sort()).toEqual(['contentMarkdown', 'id', 'originalArticleURL', 'slug', 'tags', 'title']);
    expect(updated).toEqual({ remoteId: ref.remoteId, remoteUrl: ref.remoteUrl, remoteState: 'published' });
    expect(sim.posts.size).toBe(1);
    const post = sim.posts.get(ref.remoteId)!;
    expect(post.contentMarkdown).toBe('Version two.\n');
    expect(post.tags.map((t) => t.slug)).toEqual(['rust']);
    expect(post.subtitle).toBe('What we learned');
  });

  test('unpublish delists the post (the SDL has UpdatePostInput.isDelisted, no removePost) and says so; publishing again relists it', async () => {
    const { payload } = hn.render(article(), {});
    const ref = await hn.create(payload);
    sim.server.requests.splice(0);

    const gone = (await hn.unpublish(ref.remoteId)) as HashnodeRemoteRef;
    expect(gone).toEqual({ remoteId: ref.remoteId, remoteUrl: ref.remoteUrl, remoteState: 'unpublished', note: DELIST_NOTE });
    expect(operations()).toEqual(['updatePost']);
    expect(inputOf(0)).toEqual({ id: ref.remoteId, isDelisted: true });
    expect(sim.posts.get(ref.remoteId)!.isDelisted).toBe(true);
    expect(connector({ lookupDelayMs: undefined }).capabilities).toEqual({ update: true, unpublish: true, lookup: true, lookupDelayMs: 30000 });

    // The worker says the copy was taken down by our own unpublish: list it again.
    const back = await hn.update(ref.remoteId, payload, { relist: true });
    expect(back.remoteState).toBe('published');
    expect(sim.posts.get(ref.remoteId)!.isDelisted).toBe(false);
    expect(sim.posts.size).toBe(1);
  });

  test('issue 13 #14: a post an editor delisted by hand on Hashnode stays delisted after an update', async () => {
    const ref = await hn.create(hn.render(article(), {}).payload);
    sim.posts.get(ref.remoteId)!.isDelisted = true; // by hand, on Hashnode
    sim.server.requests.splice(0);
    await hn.update(ref.remoteId, hn.render(article({ markdown: 'Edited.' }), {}).payload);
    expect(inputOf(0)).not.toHaveProperty('isDelisted');
    expect(inputOf(0)).not.toHaveProperty('subtitle', null);
    expect(sim.posts.get(ref.remoteId)!.isDelisted).toBe(true);
    expect(sim.posts.get(ref.remoteId)!.contentMarkdown).toBe('Edited.\n');
  });

  test('unpublishing a post that no longer exists is not an error', async () => {
    const gone = (await hn.unpublish('65f0c0ffee00000000009999')) as HashnodeRemoteRef;
    expect(gone).toMatchObject({ remoteId: '65f0c0ffee00000000009999', remoteState: 'unpublished' });
  });

  test('update of a post that no longer exists → permanent, explaining the post is gone', async () => {
    const err = await rejection(hn.update('65f0c0ffee00000000009999', hn.render(article(), {}).payload), 'permanent');
    expect(err.message).toBe('The post 65f0c0ffee00000000009999 no longer exists on Hashnode (it was deleted there), so it cannot be changed.');
    expect(err.remoteGone).toBe(true);
    expect(sim.posts.size).toBe(0);
  });

  describe('issue 13 #4: NOT_FOUND for a post the token cannot see is not "deleted"', () => {
    const OTHER_TOKEN = 'other-account-token';
    const OTHER_USER = { id: '65f0c0ffee00000000000002', username: 'bob' };
    /** A post of another account's publication, which our token cannot see. */
    async function foreignPost(): Promise<string> {
      sim.addUser(OTHER_TOKEN, OTHER_USER);
      const pub = sim.addPublication({ ownerId: OTHER_USER.id });
      const theirs = createHashnodeConnector({ token: OTHER_TOKEN, publicationId: pub.id, baseUrl: sim.url, mode: 'publish' }, { timeoutMs: TIMEOUT_MS });
      const ref = await theirs.create(theirs.render(article(), {}).payload);
      sim.server.requests.splice(0);
      return ref.remoteId;
    }

    test('update: permanent, not remoteGone (no repost), and the editor is told the token cannot see it', async () => {
      const id = await foreignPost();
      const err = await rejection(hn.update(id, hn.render(article(), {}).payload), 'permanent');
      expect(err.remoteGone).toBe(false);
      expect(err.message).toMatch(/still exists on Hashnode .*this token cannot change it: it belongs to another account, or the token's account is no longer a member/);
      expect(sim.posts.size).toBe(1);
    });

    test('unpublish: not reported as done while the post stays live', async () => {
      const id = await foreignPost();
      const err = await rejection(hn.unpublish(id), 'permanent');
      expect(err.message).toMatch(/this token cannot change it/);
      expect(sim.posts.get(id)!.isDelisted).toBe(false);
    });
  });
});

describe('draft mode', () => {
  test('create = createDraft only; the draft is tracked as draft:<id> with state draft; no post exists', async () => {
    const { payload } = hn.render(article(), { draft: true });
    const ref = await hn.create(payload);

    expect(operations()).toEqual(['createDraft']);
    expect(sim.posts.size).toBe(0);
    expect(sim.drafts.size).toBe(1);
    const draft = [...sim.drafts.values()][0];
    expect(ref).toEqual({ remoteId: `draft:${draft.id}`, remoteState: 'draft' });
    expect(draft).toMatchObject({
      title: 'Shipping a GraphQL API',
      slug: 'shipping-graphql',
      canonicalUrl: 'https://blog.example.com/posts/shipping-graphql',
      coverImage: 'https://cms.example.com/uploads/cover.png',
      subtitle: 'What we learned',
      active: true,
    });
    expect(draft.tags.map((t) => t.slug)).toEqual(['graphql', 'typescript']);
    expect(inputOf(0)).toMatchObject({ publicationId: HASHNODE_DEFAULT_PUBLICATION_ID, settings: { slugOverridden: true } });
  });

  test('updating a draft uses updateDraft and it stays a draft', async () => {
    const ref = await hn.create(hn.render(article(), { draft: true }).payload);
    sim.server.requests.splice(0);
    const updated = await hn.update(ref.remoteId, hn.render(article({ markdown: 'Draft v2.' }), { draft: true }).payload);
    expect(operations()).toEqual(['updateDraft']);
    expect(updated).toEqual({ remoteId: ref.remoteId, remoteState: 'draft' });
    expect([...sim.drafts.values()][0].contentMarkdown).toBe('Draft v2.\n');
    expect(sim.posts.size).toBe(0);
  });

  test('a draft whose entry is now in publish mode is updated, then published with publishDraft (one post, our slug)', async () => {
    const ref = await hn.create(hn.render(article(), { draft: true }).payload);
    sim.server.requests.splice(0);
    const published = await hn.update(ref.remoteId, hn.render(article({ markdown: 'Final.' }), {}).payload);

    expect(operations()).toEqual(['updateDraft', 'publishDraft']);
    expect(sim.posts.size).toBe(1);
    const post = [...sim.posts.values()][0];
    expect(published).toEqual({ remoteId: post.id, remoteUrl: post.url, remoteState: 'published' });
    expect(post.slug).toBe('shipping-graphql');
    expect(post.contentMarkdown).toBe('Final.\n');
    expect([...sim.drafts.values()][0].active).toBe(false);
  });

  test('a draft published by hand on Hashnode: the update finds the post by slug and updates it', async () => {
    const ref = await hn.create(hn.render(article(), { draft: true }).payload);
    const draftId = ref.remoteId.slice('draft:'.length);
    const byHand = await fetch(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: HASHNODE_TEST_TOKEN },
      body: JSON.stringify({ query: 'mutation($id: ID!){ publishDraft(input:{draftId:$id}){ post { id } } }', variables: { id: draftId } }),
    }).then((r) => r.json() as Promise<{ data: { publishDraft: { post: { id: string } } } }>);
    const postId = byHand.data.publishDraft.post.id;
    sim.server.requests.splice(0);

    const updated = await hn.update(ref.remoteId, hn.render(article({ markdown: 'After hand publish.' }), { draft: true }).payload);
    expect(operations()).toEqual(['updateDraft', 'publication', 'updatePost']);
    expect(updated).toMatchObject({ remoteId: postId, remoteState: 'published' });
    expect(sim.posts.get(postId)!.contentMarkdown).toBe('After hand publish.\n');
    expect(sim.posts.size).toBe(1);
  });

  test('issue 13 #3: a draft published just now is hidden by stale reads; the update waits them out and finds the post', async () => {
    sim.hideNewPostsMs = 400;
    const c = connector({ lookupDelayMs: 600 });
    const ref = await c.create(c.render(article(), { draft: true }).payload);
    const draftId = ref.remoteId.slice('draft:'.length);
    await fetch(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: HASHNODE_TEST_TOKEN },
      body: JSON.stringify({ query: 'mutation($id: ID!){ publishDraft(input:{draftId:$id}){ post { id } } }', variables: { id: draftId } }),
    });
    sim.server.requests.splice(0);

    const updated = await c.update(ref.remoteId, c.render(article({ markdown: 'After hand publish.' }), { draft: true }).payload);
    expect(operations()).toEqual(['updateDraft', 'publication', 'updatePost']);
    expect(updated.remoteState).toBe('published');
    expect(sim.posts.size).toBe(1);
    expect(sim.drafts.size).toBe(1);
  });

  test('issue 13 #3: the simulator hides a new post from every read for hideNewPostsMs', async () => {
    sim.hideNewPostsMs = 60_000;
    const ref = await hn.create(hn.render(article(), {}).payload);
    expect(await hn.findExisting(hn.lookupKeys(hn.render(article(), {}).payload))).toBeNull();
    sim.advanceTime(60_000);
    expect(await hn.findExisting(hn.lookupKeys(hn.render(article(), {}).payload))).toMatchObject({ remoteId: ref.remoteId });
  });

  test('unpublishing a draft makes no call (drafts are not public) and keeps it', async () => {
    const ref = await hn.create(hn.render(article(), { draft: true }).payload);
    sim.server.requests.splice(0);
    const gone = await hn.unpublish(ref.remoteId);
    expect(gone).toMatchObject({ remoteId: ref.remoteId, remoteState: 'unpublished' });
    expect(requests()).toHaveLength(0);
    expect([...sim.drafts.values()][0].active).toBe(true);
  });
});

describe('lookup after an ambiguous create', () => {
  test('lookupKeys are the title, canonical URL and the slug we sent', () => {
    const { payload } = hn.render(article(), {});
    expect(hn.lookupKeys(payload)).toEqual({ title: 'Shipping a GraphQL API', canonicalUrl: 'https://blog.example.com/posts/shipping-graphql', slug: 'shipping-graphql', kind: 'post' });
    expect(hn.lookupKeys(hn.render(article(), { draft: true }).payload)).toMatchObject({ kind: 'draft' });
  });

  test('publishPost committed but the answer timed out → ambiguous; findExisting finds that post by slug', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { operation: 'publishPost' } });
    const { payload } = hn.render(article(), {});
    const err = await rejection(hn.create(payload), 'ambiguous');
    expect(err.message).toBe('Hashnode did not answer in time after the article was sent; it may or may not have been created.');
    expect(sim.posts.size).toBe(1);

    sim.server.requests.splice(0);
    const found = await hn.findExisting(hn.lookupKeys(payload));
    const post = [...sim.posts.values()][0];
    expect(found).toEqual({ remoteId: post.id, remoteUrl: post.url, remoteState: 'published' });
    expect(operations()).toEqual(['publication']);
    expect((requests()[0].body as { variables: unknown }).variables).toEqual({ publicationId: HASHNODE_DEFAULT_PUBLICATION_ID, slug: 'shipping-graphql' });
  });

  test('nothing was created → null', async () => {
    sim.server.inject({ kind: 'timeout-before', match: { operation: 'publishPost' } });
    const { payload } = hn.render(article(), {});
    await rejection(hn.create(payload), 'ambiguous');
    expect(sim.posts.size).toBe(0);
    expect(await hn.findExisting(hn.lookupKeys(payload))).toBeNull();
  });

  test('a different post holding our slug is not adopted; ours (suffixed slug) is found by canonical URL', async () => {
    const other = connector();
    await other.create(other.render(article({ canonicalUrl: 'https://elsewhere.example.com/x' }), {}).payload);
    sim.server.inject({ kind: 'timeout-after', match: { operation: 'publishPost' } });
    const { payload } = hn.render(article(), {});
    await rejection(hn.create(payload), 'ambiguous');
    const ours = [...sim.posts.values()].find((p) => p.canonicalUrl === 'https://blog.example.com/posts/shipping-graphql')!;
    expect(ours.slug).toBe('shipping-graphql-1');

    const found = await hn.findExisting(hn.lookupKeys(payload));
    expect(found).toEqual({ remoteId: ours.id, remoteUrl: ours.url, remoteState: 'published' });
  });

  test('without a canonical URL, a post with our slug but another title is not ours', async () => {
    await hn.create(hn.render(article({ title: 'Something else', canonicalUrl: undefined }), {}).payload);
    const { payload } = hn.render(article({ canonicalUrl: undefined }), {});
    expect(await hn.findExisting(hn.lookupKeys(payload))).toBeNull();
  });

  test('createDraft committed but timed out → findExisting finds the draft', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { operation: 'createDraft' } });
    const { payload } = hn.render(article(), { draft: true });
    await rejection(hn.create(payload), 'ambiguous');
    const draft = [...sim.drafts.values()][0];
    sim.server.requests.splice(0);
    expect(await hn.findExisting(hn.lookupKeys(payload))).toEqual({ remoteId: `draft:${draft.id}`, remoteState: 'draft' });
    expect(operations()).toEqual(['publication']);
  });

  test('lookup is Pro-gated like writes: the Pro error is permanent', async () => {
    const pub = sim.addPublication({ pro: false });
    const free = connector({ publicationId: pub.id });
    const err = await rejection(free.findExisting({ title: 'x', slug: 'x', canonicalUrl: 'https://a.example/x' }), 'permanent');
    expect(err.message).toContain('Hashnode Pro plan');
  });
});

describe('errors', () => {
  const payload = () => hn.render(article(), {}).payload;

  test('Pro gate (FORBIDDEN inside HTTP 200) → permanent, Pro-plan message, not retried', async () => {
    const pub = sim.addPublication({ pro: false });
    const free = connector({ publicationId: pub.id });
    const err = await rejection(free.create(free.render(article(), {}).payload), 'permanent', [HASHNODE_TEST_TOKEN]);
    expect(err.message).toBe(
      `Hashnode's API needs an active Hashnode Pro plan on this publication (CROSSPOST_HASHNODE_PUBLICATION_ID). Upgrade the publication to Pro in Hashnode's dashboard, then retry. Hashnode said: "${HASHNODE_PRO_FORBIDDEN_MESSAGE}"`,
    );
    expect(err.status).toBe(200);
    expect(requests()).toHaveLength(1);
    expect(sim.posts.size).toBe(0);
  });

  test('other FORBIDDEN (not the owner) → permanent with Hashnode\'s words', async () => {
    const pub = sim.addPublication({ ownerId: '65f0c0ffee00000000000bad' });
    const c = connector({ publicationId: pub.id });
    const err = await rejection(c.create(c.render(article(), {}).payload), 'permanent');
    expect(err.message).toBe(
      'Hashnode refused the request: "You do not have permission to write to this publication.". Check that the token\'s account may publish to the publication (CROSSPOST_HASHNODE_PUBLICATION_ID); contributors can only submit drafts.',
    );
  });

  test('UNAUTHENTICATED → permanent naming CROSSPOST_HASHNODE_TOKEN, never the token itself', async () => {
    const secret = 'hn-secret-token-that-must-not-leak';
    const c = connector({ token: secret });
    const err = await rejection(c.create(c.render(article(), {}).payload), 'permanent', [secret]);
    expect(err.message).toBe('Hashnode did not accept the token ("You must be authenticated."): check the token (CROSSPOST_HASHNODE_TOKEN). Tokens of deactivated accounts do not work.');
    expect(requests()[0].headers.authorization).toBe(`Bearer ${secret}`);
  });

  test('BAD_USER_INPUT → permanent with Hashnode\'s message', async () => {
    const err = await rejection(hn.create(hn.render(article({ coverUrl: 'not a url' }), {}).payload), 'permanent');
    expect(err.message).toBe('Hashnode rejected the article: "coverImage" must be a valid http(s) URL.');
  });

  test('GRAPHQL_VALIDATION_FAILED (HTTP 400) → permanent with Hashnode\'s message', async () => {
    sim.server.inject({
      kind: 'status',
      status: 400,
      body: { errors: [{ message: 'Cannot query field "foo" on type "Post".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] },
    });
    const err = await rejection(hn.create(payload()), 'permanent');
    expect(err.message).toBe('Hashnode rejected the article: Cannot query field "foo" on type "Post".');
    expect(err.status).toBe(400);
  });

  test('the connector\'s own operations pass the gql-beta schema validation (no GRAPHQL_VALIDATION_FAILED)', async () => {
    // The simulator validates every operation against the published SDL when it is available.
    const ref = await hn.create(payload());
    await hn.update(ref.remoteId, payload());
    await hn.unpublish(ref.remoteId);
    const d = await hn.create(hn.render(article({ slug: 'd' }), { draft: true }).payload);
    await hn.update(d.remoteId, hn.render(article({ slug: 'd' }), { draft: true }).payload);
    await hn.findExisting({ title: 'nothing', slug: 'nothing', canonicalUrl: 'https://nothing.example/' });
    await hn.findExisting({ title: 'nothing', slug: 'nothing' });
    expect(requests().map((r) => r.status)).toEqual(requests().map(() => 200));
    expect(requests().length).toBeGreaterThanOrEqual(7);
    // With the SDL beside the project every operation above was validated against it (else only parsed).
    expect(sim.schemaLoaded).toBe(Boolean(hashnodeSdlPath()));
  });

  test('INTERNAL_SERVER_ERROR inside 200 → ambiguous on create, retryable on update', async () => {
    const body = { data: null, errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
    sim.server.inject({ kind: 'status', status: 200, body, match: { operation: 'publishPost' } });
    const a = await rejection(hn.create(payload()), 'ambiguous');
    expect(a.message).toBe('Hashnode failed with an internal error after the article was sent ("Internal server error"); it may or may not have been created.');

    const ref = await hn.create(payload());
    sim.server.inject({ kind: 'status', status: 200, body, match: { operation: 'updatePost' } });
    const r = await rejection(hn.update(ref.remoteId, payload()), 'retryable');
    expect(r.message).toBe('Hashnode failed with an internal error ("Internal server error"); will retry.');
  });

  test('301 to an HTML page (retired endpoint) → permanent naming CROSSPOST_HASHNODE_BASE_URL; the redirect is not followed', async () => {
    sim.server.inject({ kind: 'html-redirect' });
    const err = await rejection(hn.create(payload()), 'permanent');
    expect(err.message).toBe(
      'Hashnode answered 301 (moved to https://example.invalid/changelog): this API endpoint has moved or been retired. Set CROSSPOST_HASHNODE_BASE_URL to the current GraphQL endpoint (https://gql-beta.hashnode.com).',
    );
    expect(err.status).toBe(301);
    expect(requests()).toHaveLength(1);
    expect(sim.posts.size).toBe(0);
  });

  test('an HTML page with 200 → permanent (the base URL is not the API)', async () => {
    sim.server.inject({ kind: 'status', status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><html><body>Blog</body></html>' });
    const err = await rejection(hn.create(payload()), 'permanent');
    expect(err.message).toContain('CROSSPOST_HASHNODE_BASE_URL does not point to the GraphQL API');
  });

  test('a base URL that is not the GraphQL endpoint (404) → permanent naming CROSSPOST_HASHNODE_BASE_URL', async () => {
    const c = connector({ baseUrl: `${sim.url}graphql` });
    const err = await rejection(c.create(c.render(article(), {}).payload), 'permanent');
    expect(err.message).toBe('Hashnode answered 404: CROSSPOST_HASHNODE_BASE_URL does not point to the GraphQL API (use https://gql-beta.hashnode.com).');
    expect(sim.posts.size).toBe(0);
  });

  test('malformed JSON → ambiguous on create, retryable on update and on lookup', async () => {
    sim.server.inject({ kind: 'malformed', match: { operation: 'publishPost' } });
    const a = await rejection(hn.create(payload()), 'ambiguous');
    expect(a.message).toBe('Hashnode answered with an unreadable body after the article was sent; it may or may not have been created.');
    expect(sim.posts.size).toBe(0); // 'malformed' does not run the handler; the point is we cannot know

    const ref = await hn.create(payload());
    sim.server.inject({ kind: 'malformed', match: { operation: 'updatePost' } });
    expect((await rejection(hn.update(ref.remoteId, payload()), 'retryable')).message).toBe('Hashnode answered with an unreadable body; will retry.');
    sim.server.inject({ kind: 'malformed', match: { operation: 'publication' } });
    await rejection(hn.findExisting(hn.lookupKeys(payload())), 'retryable');
  });

  test('timeout after the create was committed → ambiguous (the post exists); timeout on update → retryable', async () => {
    sim.server.inject({ kind: 'timeout-after', match: { operation: 'publishPost' } });
    const started = Date.now();
    await rejection(hn.create(payload()), 'ambiguous');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1500);
    expect(sim.posts.size).toBe(1);

    const id = [...sim.posts.keys()][0];
    sim.server.inject({ kind: 'timeout-after', match: { operation: 'updatePost' } });
    const r = await rejection(hn.update(id, payload()), 'retryable');
    expect(r.message).toBe('Hashnode did not answer in time; will retry.');
  });

  test('connection reset → ambiguous on create, retryable on update', async () => {
    sim.server.inject({ kind: 'reset-after', match: { operation: 'publishPost' } });
    const a = await rejection(hn.create(payload()), 'ambiguous');
    expect(a.message).toMatch(/^Hashnode closed the connection \(\w+\) after the article was sent; it may or may not have been created\.$/);
    expect(sim.posts.size).toBe(1);

    const id = [...sim.posts.keys()][0];
    sim.server.inject({ kind: 'reset-before', match: { operation: 'updatePost' } });
    const r = await rejection(hn.update(id, payload()), 'retryable');
    expect(r.message).toMatch(/^Hashnode closed the connection \(\w+\); will retry\.$/);
  });

  test('nothing listening → retryable (nothing was sent)', async () => {
    const down = createHashnodeConnector(
      { token: HASHNODE_TEST_TOKEN, publicationId: HASHNODE_DEFAULT_PUBLICATION_ID, baseUrl: 'http://127.0.0.1:9', mode: 'publish' },
      { timeoutMs: TIMEOUT_MS },
    );
    const err = await rejection(down.create(payload()), 'retryable');
    expect(err.message).toBe('Hashnode could not be reached (ECONNREFUSED); will retry.');
  });

  test.each([500, 502, 503, 504])('HTTP %i → ambiguous on create, retryable on update', async (status) => {
    sim.server.inject({ kind: 'status', status, body: 'upstream error', headers: { 'content-type': 'text/plain' } });
    const a = await rejection(hn.create(payload()), 'ambiguous');
    expect(a.status).toBe(status);
    expect(a.message).toBe(`Hashnode failed with ${status} after the article was sent; it may or may not have been created.`);

    const ref = await hn.create(payload());
    sim.server.inject({ kind: 'status', status, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } });
    const r = await rejection(hn.update(ref.remoteId, payload()), 'retryable');
    expect(r.status).toBe(status);
    expect(r.rateLimited).toBe(false);
  });

  test('429 with Retry-After → retryable, rate-limited, with the wait', async () => {
    sim.server.inject({
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '7' },
      body: { errors: [{ message: 'Too many requests, please try again later.', extensions: { code: 'TOO_MANY_REQUESTS' } }] },
    });
    const err = await rejection(hn.create(payload()), 'retryable');
    expect(err).toMatchObject({ rateLimited: true, retryAfterMs: 7000, status: 429 });
    expect(err.message).toBe('Hashnode rate limit reached ("Too many requests, please try again later."); will retry when it allows.');
  });

  test('429 without Retry-After → retryable, rate-limited, no wait given', async () => {
    sim.server.inject({ kind: 'status', status: 429, body: '' });
    const err = await rejection(hn.create(payload()), 'retryable');
    expect(err).toMatchObject({ rateLimited: true, retryAfterMs: undefined, status: 429 });
  });

  test("the simulator's enforced mutation limit (when switched on) is read as a rate limit", async () => {
    const limited = createHashnodeSimulator({ rateLimit: { mutationsPerWindow: 1, windowMs: 60_000 } });
    await limited.listen();
    try {
      const c = createHashnodeConnector(
        { token: HASHNODE_TEST_TOKEN, publicationId: HASHNODE_DEFAULT_PUBLICATION_ID, baseUrl: limited.url, mode: 'publish' },
        { timeoutMs: 2000 },
      );
      const ref = await c.create(c.render(article(), {}).payload);
      const err = await rejection(c.update(ref.remoteId, c.render(article(), {}).payload), 'retryable');
      expect(err.rateLimited).toBe(true);
      expect(err.retryAfterMs).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  test('errors are PlatformErrors tagged with the platform', async () => {
    sim.server.inject({ kind: 'status', status: 503, body: '' });
    const err = await rejection(hn.update('65f0c0ffee00000000000001', payload()), 'retryable');
    expect(err).toBeInstanceOf(PlatformError);
    expect(err.platform).toBe('hashnode');
  });
});
