/**
 * Who may act on which entry, and which locale names an entry.
 *
 * A plugin RBAC action (crosspost.read / publish) says what a role may do with cross-posting in general;
 * it does not say which entries. Admin callers are checked again with the Content Manager's permission
 * checker, so a role cannot push, read or change settings for entries of types or locales it cannot see
 * or edit there (including "is creator" conditions). Content-API callers (API tokens, users-permissions)
 * have no per-entry rules in Strapi: the route's scope is their gate.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { badRequest, forbidden } from '../http/errors';

interface ContentTypeInfo {
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
}

function contentTypeOf(strapi: Core.Strapi, uid: string): ContentTypeInfo | undefined {
  return strapi.contentType(uid as never) as unknown as ContentTypeInfo | undefined;
}

/** i18n is on for the type only when the i18n plugin is loaded and the type is marked localized. */
export function isLocalized(strapi: Core.Strapi, uid: string): boolean {
  return Boolean(contentTypeOf(strapi, uid)?.pluginOptions?.i18n?.localized) && Boolean(strapi.plugin('i18n'));
}

/** Locale codes the app has (i18n plugin), [] without i18n. */
export async function appLocales(strapi: Core.Strapi): Promise<string[]> {
  const service = strapi.plugin('i18n')?.service('locales') as { find(): Promise<Array<{ code: string }>> } | undefined;
  const locales = service ? await service.find() : [];
  return locales.map((l) => l.code);
}

/**
 * The locale that names a row of (uid, documentId). Strapi ignores the locale for a type without i18n,
 * so accepting one there would key a second row (and a second post) for the same entry.
 */
export async function resolveTargetLocale(strapi: Core.Strapi, uid: string, locale: string | undefined): Promise<string> {
  if (!contentTypeOf(strapi, uid)) throw badRequest(`contentType: "${uid}" is not a content type of this app.`, { errors: [{ path: 'contentType', message: 'unknown content type' }] });
  if (!isLocalized(strapi, uid)) {
    if (locale === undefined || locale === '') return '';
    throw badRequest(`locale: "${uid}" is not localized; leave "locale" out.`, { errors: [{ path: 'locale', message: 'the content type is not localized' }] });
  }
  const locales = await appLocales(strapi);
  if (locale && locales.includes(locale)) return locale;
  const message = locale ? `"${locale}" is not a locale of this app` : 'required: the content type is localized';
  throw badRequest(`locale: ${message}; use one of: ${locales.join(', ')}.`, { errors: [{ path: 'locale', message }] });
}

type Ability = { can(...args: unknown[]): boolean; cannot(...args: unknown[]): boolean };
interface PermissionChecker {
  can: ((action: string, entity?: unknown) => boolean) & Record<'read' | 'update' | 'publish', (entity?: unknown) => boolean>;
}

/** One version of the entry (any status), with what CM conditions look at (creator, locale). */
async function loadForCheck(strapi: Core.Strapi, target: { uid: string; documentId: string; locale: string }) {
  if (!contentTypeOf(strapi, target.uid)) return null; // a type removed from the app since the row was made
  return strapi.db.query(target.uid as never).findOne({
    where: { documentId: target.documentId, ...(target.locale ? { locale: target.locale } : {}) },
    populate: ['createdBy'],
  }) as Promise<Record<string, unknown> | null>;
}

/**
 * Forbidden unless the admin caller could do the same in the Content Manager: read the entry to look
 * at its cross-posts, publish it (or, without Draft & Publish, update it) to push or change them.
 */
export async function assertCanActOnEntry(
  strapi: Core.Strapi,
  ctx: Context,
  target: { uid: string; documentId: string; locale: string },
  kind: 'read' | 'publish',
): Promise<void> {
  const userAbility = (ctx.state as { userAbility?: Ability } | undefined)?.userAbility;
  if (!userAbility) return; // content API: the route scope is the gate
  const checker = (strapi.plugin('content-manager').service('permission-checker') as {
    create(args: { userAbility: Ability; model: string }): PermissionChecker;
  }).create({ userAbility, model: target.uid });

  const entry = await loadForCheck(strapi, target);
  // A deleted entry (its rows can still be unpublished) is checked against a version naming only its locale:
  // unconditional rights on the type and locale pass, "is creator" ones cannot be proven and do not.
  const subject = entry ?? { documentId: target.documentId, ...(target.locale ? { locale: target.locale } : {}) };
  const draftAndPublish = Boolean(contentTypeOf(strapi, target.uid)?.options?.draftAndPublish);
  const ok =
    kind === 'read'
      ? checker.can.read(subject)
      : draftAndPublish
        ? checker.can.publish(subject)
        : checker.can.update(subject);
  if (!ok) throw forbidden('You cannot act on this entry: your role lacks the Content Manager rights on its type, locale or author.');
}
