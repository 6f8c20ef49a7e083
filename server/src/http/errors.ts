/**
 * Errors a route answers with, and the one place that turns them into a response.
 *
 * The plugin never throws @strapi/utils' error classes at Strapi: its error middleware recognises them
 * with `instanceof` against its own copy of @strapi/utils, so a plugin loaded from a folder (resolve,
 * file: installs, monorepos) with a second copy would see every 400 and 404 turned into a 500. The
 * answer is written on the context instead, in Strapi's error shape.
 */
import type { Context } from 'koa';

export type HttpErrorName = 'ValidationError' | 'ForbiddenError' | 'NotFoundError' | 'ConflictError' | 'PayloadTooLargeError';

const STATUS: Record<HttpErrorName, number> = {
  ValidationError: 400,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  PayloadTooLargeError: 413,
};

export class HttpError extends Error {
  readonly status: number;
  constructor(readonly kind: HttpErrorName, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = kind;
    this.status = STATUS[kind];
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) => new HttpError('ValidationError', message, details);
export const forbidden = (message: string) => new HttpError('ForbiddenError', message);
export const notFound = (message: string) => new HttpError('NotFoundError', message);
export const conflict = (message: string) => new HttpError('ConflictError', message);

/** Writes an HttpError on the context in Strapi's shape; anything else goes on to Strapi (a 500 without details). */
export function answerError(ctx: Context, err: unknown): boolean {
  if (!(err instanceof HttpError)) return false;
  ctx.status = err.status;
  ctx.body = { data: null, error: { status: err.status, name: err.kind, message: err.message, details: err.details } };
  return true;
}

type Handler<C extends Context> = (ctx: C) => Promise<unknown>;

/** Wraps every handler of a controller so that its HttpErrors are answered through the context. */
export function withHttpErrors<C extends Context, T extends Record<string, Handler<C>>>(handlers: T): T {
  const wrapped: Record<string, Handler<C>> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    wrapped[name] = async (ctx: C) => {
      try {
        await fn(ctx);
      } catch (err) {
        if (!answerError(ctx, err)) throw err;
      }
    };
  }
  return wrapped as T;
}
