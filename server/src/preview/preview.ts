/**
 * What each platform would receive for an entry, computed exactly as the planner does (same article,
 * same connector render, same pre-flight), without sending anything or writing a row. The version
 * previewed is the latest one (the draft of a Draft & Publish type): what a publish would send.
 */
import type { Runtime } from '../runtime';
import { PLATFORM_IDS, type PlatformId } from '../config/schema';
import type { Target } from '../store/publications';
import { notFound, badRequest } from '../http/errors';
import { ArticleError } from '../content';
import type { Article } from '../content/types';
import { articleFor, platformsFor, populateFor, type Entry } from '../planner/entry';
import { preflightWarnings } from '../planner/planner';
import { settingFor } from '../store/entry-settings';
import { effectiveSetting } from '../planner/defaults';
import type { Connector } from '../platforms/types';

const NAMES: Record<PlatformId, string> = { devto: 'DEV', hashnode: 'Hashnode', medium: 'Medium' };

/** The Markdown body inside each platform's payload. */
function markdownOf(platform: PlatformId, payload: unknown): string | null {
  const p = payload as Record<string, any>;
  if (platform === 'devto') return p?.article?.body_markdown ?? null;
  if (platform === 'hashnode') return p?.post?.contentMarkdown ?? null;
  return p?.content ?? null;
}

async function loadLatest(rt: Runtime, t: Target): Promise<Entry | null> {
  const ct = rt.strapi.contentType(t.uid as never) as unknown as { options?: { draftAndPublish?: boolean } };
  const populate = populateFor(rt, t.uid);
  const docs = rt.strapi.documents(t.uid as never) as unknown as { findOne(p: Record<string, unknown>): Promise<Entry | null> };
  return docs.findOne({
    documentId: t.documentId,
    ...(t.locale ? { locale: t.locale } : {}),
    status: ct?.options?.draftAndPublish === false ? 'published' : 'draft',
    ...(populate.length ? { populate } : {}),
  });
}

export async function previewEntry(rt: Runtime, t: Target, only?: PlatformId) {
  if (!rt.config.contentTypes[t.uid]) {
    throw badRequest(`contentType: "${t.uid}" is not a content type the plugin watches (config/plugins → crosspost.config.contentTypes).`);
  }
  const entry = await loadLatest(rt, t);
  if (!entry) throw notFound(`No entry ${t.documentId}${t.locale ? ` (${t.locale})` : ''} of ${t.uid}.`);
  let article: Article | null = null;
  let articleProblem: string | null = null;
  try {
    article = articleFor(rt, t, entry);
  } catch (err) {
    if (!(err instanceof ArticleError)) throw err;
    articleProblem = err.message;
  }
  const preflight = article ? await preflightWarnings(rt, article) : [];
  const settings = await rt.entrySettings.get(t);
  const forType = platformsFor(rt, t.uid);
  const wanted = rt.config.contentTypes[t.uid].platforms;

  await rt.settings.ensureFresh();
  const defaults = rt.settings.current().defaults;
  return Promise.all((only ? [only] : [...PLATFORM_IDS]).map(async (platform) => {
    const connector = rt.connectors.get(platform) as Connector | undefined;
    // What the planner will use: the entry's choices, with the admin's defaults (Settings → Cross-posting) for the rest.
    const own = settingFor(settings, platform);
    const setting = await effectiveSetting(rt, t, platform, own, defaults);
    const mode = setting.draft ? 'draft' : 'publish';
    const base = {
      platform,
      configured: Boolean(connector),
      mode,
      delayMs: setting.delayMs ?? 0,
      fields: article
        ? { title: article.title, tags: article.tags, canonicalUrl: article.canonicalUrl ?? null, coverImage: article.coverUrl ?? null, description: article.description ?? null, slug: article.slug }
        : null,
    };
    const blocking: string[] = [];
    if (articleProblem) blocking.push(articleProblem);
    if (!connector) blocking.push(rt.settings.whyOff(platform) ?? `${NAMES[platform]} is not configured (no credentials), so nothing is sent there.`);
    else if (wanted && !wanted.includes(platform)) blocking.push(`${t.uid} is not cross-posted to ${NAMES[platform]} (the content type's platforms in the plugin config).`);
    if (!connector || !article) {
      return { ...base, willPost: false, markdown: null, payload: null, warnings: article ? [...article.warnings, ...preflight] : [], blocking };
    }
    const rendered = connector.render(article, { draft: setting.draft ?? false });
    blocking.push(...rendered.blocking);
    const enabled = setting.enabled !== false && forType.includes(platform);
    const warnings = [...rendered.warnings, ...preflight];
    if (own.enabled === false) warnings.push(`Switched off for this entry (entry settings): ${NAMES[platform]} gets nothing.`);
    else if (setting.enabled === false) warnings.push(`${NAMES[platform]} is not one of the platforms new entries go to (Settings → Cross-posting); switch it on in this entry's options to post it there.`);
    return {
      ...base,
      willPost: enabled && blocking.length === 0,
      // Exactly what is sent: the connector's payload holds no credentials.
      payload: rendered.payload,
      markdown: markdownOf(platform, rendered.payload),
      warnings,
      blocking,
    };
  }));
}
