import { imageWarnings } from '../../../server/src/planner/preflight';

// Nothing listens on port 1: an HTTP check of these images fails.
const publicUrl = 'http://127.0.0.1:1';
const article = (n: number) => ({ markdown: '', coverUrl: `${publicUrl}/uploads/cover-${n}.png` });

test('an image the HTTP check cannot reach gets one warning that says no more than that', async () => {
  const warnings = await imageWarnings(article(1), { timeoutMs: 500, allowPrivateHosts: true });
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('not reachable from the internet');
});

test("the app's own uploads are looked up in the media library, not fetched over HTTP", async () => {
  const asked: string[] = [];
  const uploadExists = async (path: string) => {
    asked.push(path);
    return true;
  };
  expect(await imageWarnings(article(2), { timeoutMs: 500, allowPrivateHosts: true, publicUrl, uploadExists })).toEqual([]);
  expect(asked).toEqual(['/uploads/cover-2.png']);
});

test('an upload the media library does not have gets a warning, without an HTTP request', async () => {
  const warnings = await imageWarnings(article(3), { timeoutMs: 500, allowPrivateHosts: true, publicUrl, uploadExists: async () => false });
  expect(warnings).toEqual([`Image ${publicUrl}/uploads/cover-3.png is not in the media library; it will show up broken on the platforms.`]);
});
