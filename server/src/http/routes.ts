// The domain API under /api: who calls (auth), then one router per resource. Transport only:
// parse, call the domain, answer; errors go to the app's one error mapper.
import type { Express } from 'express';
import { authenticate } from './auth';
import { createRateLimits } from './rate-limits';
import { authRoutes } from './routes/auth';
import { ballotRoutes } from './routes/ballots';
import type { RouteDeps } from './routes/context';
import { electionRoutes } from './routes/elections';
import { resultRoutes } from './routes/results';
import { userRoutes } from './routes/users';
import { voterRoutes } from './routes/voters';

export type { RouteDeps };

/** `deps` must carry the node's BallotWriter as `ballots` (the same one realtime uses). */
export function registerRoutes(app: Express, deps: RouteDeps): void {
  const ctx = { deps, limits: createRateLimits(deps.redis, deps.config.rateLimits) };
  app.use('/api', authenticate(deps));
  app.use('/api/auth', authRoutes(ctx));
  app.use('/api/voters', voterRoutes(ctx));
  app.use('/api/users', userRoutes(ctx));
  app.use('/api/elections', ballotRoutes(ctx), resultRoutes(ctx), electionRoutes(ctx));
}
