// Helpers every route module shares: path parameters, the caller's address, and limit middleware.
import type { Request, RequestHandler } from 'express';
import { clientAddress as addressOf } from '../../client-address';
import type { Deps } from '../../deps';
import { DomainError } from '../../errors';
import type { LimitName } from '../../limits/rate-limits';

/** Ids are opaque strings; anything that cannot be one is simply not found. */
export function idParam(req: Request, name = 'id'): string {
  const v = req.params[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) {
    throw new DomainError('not_found', 'not found');
  }
  return v;
}

/** The caller's address under TRUST_PROXY (the same derivation the socket handshake uses). */
export const clientAddress = (deps: Pick<Deps, 'config'>, req: Request): string =>
  addressOf(req, deps.config.http.trustProxy);

/** Middleware spending one point of `name` per request, keyed by the caller's address. */
export function limitPerAddress(
  deps: Pick<Deps, 'config' | 'limits'>,
  name: LimitName,
): RequestHandler {
  return async (req, _res, next) => {
    await deps.limits.consume(name, clientAddress(deps, req)); // the error mapper sets Retry-After
    next();
  };
}

/**
 * Runs a lookup by join code under the caller's address budget of misses (`lookupMissesPerIp`):
 * a code that matches nothing spends a point, and once the budget is gone the address gets 429
 * until the minute passes, so codes cannot be enumerated.
 */
export function guardLookup<T>(
  deps: Pick<Deps, 'config' | 'limits'>,
  req: Request,
  lookup: () => Promise<T>,
): Promise<T> {
  return deps.limits.guardMisses('lookupMissesPerIp', clientAddress(deps, req), lookup);
}
