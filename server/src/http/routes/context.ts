// What every route module receives: the node's dependencies plus the domain objects built in main.
import type { Request } from 'express';
import type { Deps } from '../../deps';
import type { BallotWriter } from '../../ballots/writer';
import type { RateLimits } from '../rate-limits';
import { DomainError } from '../../errors';

export type RouteDeps = Deps & { ballots: BallotWriter };
export interface RouteContext {
  deps: RouteDeps;
  limits: RateLimits;
}

/** Ids are opaque strings; anything that cannot be one is simply not found. */
export function idParam(req: Request, name = 'id'): string {
  const v = req.params[name];
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) {
    throw new DomainError('not_found', 'not found');
  }
  return v;
}

export const clientAddress = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? '?';
