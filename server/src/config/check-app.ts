/**
 * Checks the config against the running app (content types and fields exist). Runs in bootstrap,
 * where the app's schemas are known; a mistake stops startup with a message that names it.
 */
import type { Core } from '@strapi/strapi';
import type { CrosspostConfig } from './schema';

export function checkConfigAgainstApp(strapi: Core.Strapi, config: CrosspostConfig): void {
  const problems: string[] = [];
  for (const [uid, ct] of Object.entries(config.contentTypes)) {
    const model = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as { attributes: Record<string, { type: string }> } | undefined;
    if (!model) {
      problems.push(`contentTypes["${uid}"]: no such content type in this app (known: ${Object.keys(strapi.contentTypes).filter((u) => u.startsWith('api::')).join(', ') || 'none'})`);
      continue;
    }
    const f = ct.fields;
    const named: Array<[string, string | undefined]> = [
      ['title', f.title],
      ...(Array.isArray(f.body) ? f.body : [f.body]).map((b) => ['body', b] as [string, string]),
      ['description', f.description],
      ['tags', f.tags?.field],
      ['cover', f.cover],
      ['slug', f.slug],
    ];
    for (const [role, attr] of named) {
      if (attr && !model.attributes[attr]) {
        problems.push(`contentTypes["${uid}"].fields.${role}: "${attr}" is not an attribute of ${uid} (attributes: ${Object.keys(model.attributes).join(', ')})`);
      }
    }
  }
  if (problems.length) {
    throw new Error(`Invalid crosspost plugin config (config/plugins, key "crosspost"):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
