/**
 * Issue 13: the simulators are as strict as the platforms where the platforms' rule is known, take the
 * strict side (configurable) where it is not, and never switch their spec validation off silently.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHashnodeSimulator, HASHNODE_DEFAULT_PUBLICATION_ID, HASHNODE_TEST_TOKEN, type HashnodeSimulator } from '../../simulators/hashnode';
import { createMediumSimulator, MEDIUM_DEFAULT_USER, MEDIUM_TEST_TOKEN } from '../../simulators/medium';
import { sharedSpecsDir, specCheckSkipped } from '../../simulators/base';

async function publish(sim: HashnodeSimulator, tags: Array<{ slug: string; name?: string }>) {
  const res = await fetch(sim.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${HASHNODE_TEST_TOKEN}` },
    body: JSON.stringify({
      query: 'mutation P($input: PublishPostInput!){ publishPost(input:$input){ post { id tags { slug name } } } }',
      variables: { input: { publicationId: HASHNODE_DEFAULT_PUBLICATION_ID, title: 'T', contentMarkdown: 'x', tags } },
    }),
  });
  return (await res.json()) as { data: { publishPost: { post: { tags: Array<{ slug: string }> } } } | null; errors?: Array<{ extensions: { code: string }; message: string }> };
}

describe('Hashnode simulator: tag slugs outside ASCII (#7)', () => {
  test.each(['日本語', 'программирование'])('refuses the slug %s with BAD_USER_INPUT by default (no silent "untitled")', async (slug) => {
    const sim = createHashnodeSimulator();
    await sim.listen();
    try {
      const out = await publish(sim, [{ slug, name: slug }]);
      expect(out.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(out.errors?.[0].message).toContain(slug);
      expect(sim.posts.size).toBe(0);
    } finally {
      await sim.close();
    }
  });

  test('refuseNonAsciiTagSlugs: false reproduces the renaming seen in the wild', async () => {
    const sim = createHashnodeSimulator({ refuseNonAsciiTagSlugs: false });
    await sim.listen();
    try {
      const out = await publish(sim, [{ slug: '日本語' }, { slug: 'café' }]);
      expect(out.data?.publishPost.post.tags.map((t) => t.slug)).toEqual(['untitled', 'cafe']);
    } finally {
      await sim.close();
    }
  });
});

describe('Medium simulator: titles counted in characters (#11)', () => {
  test('a 70-emoji title is kept, not replaced by one made from the text', async () => {
    const sim = createMediumSimulator();
    await sim.listen();
    try {
      const res = await fetch(`${sim.url}/users/${MEDIUM_DEFAULT_USER.id}/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${MEDIUM_TEST_TOKEN}` },
        body: JSON.stringify({ title: '🚀'.repeat(70), contentFormat: 'markdown', content: '# Other\n\nText' }),
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { data: { title: string } }).data.title).toBe('🚀'.repeat(70));
    } finally {
      await sim.close();
    }
  });
});

describe('spec validation is never switched off silently', () => {
  const saved = { dir: process.env.CROSSPOST_SPECS_DIR, req: process.env.CROSSPOST_REQUIRE_SPECS };
  afterEach(() => {
    for (const [k, v] of [['CROSSPOST_SPECS_DIR', saved.dir], ['CROSSPOST_REQUIRE_SPECS', saved.req]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    jest.restoreAllMocks();
  });

  test('CROSSPOST_SPECS_DIR names the folder; a folder that does not exist means none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'specs-'));
    process.env.CROSSPOST_SPECS_DIR = dir;
    expect(sharedSpecsDir()).toBe(dir);
    process.env.CROSSPOST_SPECS_DIR = path.join(dir, 'missing');
    expect(sharedSpecsDir()).toBeUndefined();
  });

  test('without CROSSPOST_REQUIRE_SPECS a skipped check is printed once, naming it', () => {
    delete process.env.CROSSPOST_REQUIRE_SPECS;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    specCheckSkipped('test check A', 'no specs folder');
    specCheckSkipped('test check A', 'no specs folder');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/test check A skipped \(no specs folder\).*CROSSPOST_SPECS_DIR/);
  });

  test('with CROSSPOST_REQUIRE_SPECS=1 a simulator without specs fails instead of skipping', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'specs-'));
    process.env.CROSSPOST_SPECS_DIR = empty;
    process.env.CROSSPOST_REQUIRE_SPECS = '1';
    expect(() => createHashnodeSimulator()).toThrow(/Hashnode operation validation .* is required \(CROSSPOST_REQUIRE_SPECS=1\) but is off: hashnode-gql-beta.schema.graphql not found/);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { createDevtoSimulator } = require('../../simulators/devto') as typeof import('../../simulators/devto');
    expect(() => createDevtoSimulator()).toThrow(/DEV request validation .* is required/);
    // An explicit opt-out in a test is not "switched off silently".
    expect(() => createHashnodeSimulator({ schema: false })).not.toThrow();
  });
});
