/** The content types the plugin watches, as the admin needs them (names, kind, i18n locales). */
import type { Runtime } from '../runtime';
import { appLocales, isLocalized } from '../access/entry-access';

interface ContentTypeSchema {
  kind: 'collectionType' | 'singleType';
  info?: { displayName?: string };
  options?: { draftAndPublish?: boolean };
}

export async function watchedContentTypes(rt: Runtime) {
  const locales = await appLocales(rt.strapi);
  return Object.keys(rt.config.contentTypes)
    .map((uid) => ({ uid, ct: rt.strapi.contentType(uid as never) as unknown as ContentTypeSchema | undefined }))
    .filter((x): x is { uid: string; ct: ContentTypeSchema } => Boolean(x.ct))
    .map(({ uid, ct }) => {
      const localized = isLocalized(rt.strapi, uid);
      return {
        uid,
        displayName: ct.info?.displayName ?? uid,
        kind: ct.kind,
        draftAndPublish: ct.options?.draftAndPublish !== false,
        localized,
        locales: localized ? locales : [],
        platforms: rt.config.contentTypes[uid].platforms ?? null,
      };
    });
}
