// The domain API under /api: cross-site changes refused, who calls (auth), then one router per
// resource. Transport only: parse, call the domain, answer; errors go to the app's one error
// mapper.
import type { Express, RequestHandler } from 'express';
import type { Deps } from '../deps';
import { authenticate, refuseCrossSite } from './auth';
import { authRoutes } from './routes/auth';
import { ballotRoutes, castBallot } from './routes/ballots';
import { electionRoutes } from './routes/elections';
import { resultRoutes } from './routes/results';
import { rollRoutes } from './routes/roll';
import { userRoutes } from './routes/users';
import { voterRoutes } from './routes/voters';

/**
 * Casting a ballot, the hot path, ahead of everything it does not need (createApp's `early`):
 * the same body parser, cross-site refusal and authentication as under /api, and nothing else.
 */
export function registerBallotRoute(app: Express, json: RequestHandler, deps: Deps): void {
  app.post(
    '/api/elections/:id/ballots',
    json,
    refuseCrossSite(deps),
    authenticate(deps),
    castBallot(deps),
  );
}

export function registerRoutes(app: Express, deps: Deps): void {
  app.use('/api', refuseCrossSite(deps), authenticate(deps));
  app.use('/api/auth', authRoutes(deps));
  app.use('/api/voters', voterRoutes(deps));
  app.use('/api/users', userRoutes(deps));
  app.use(
    '/api/elections',
    ballotRoutes(deps),
    resultRoutes(deps),
    rollRoutes(deps),
    electionRoutes(deps),
  );
}
