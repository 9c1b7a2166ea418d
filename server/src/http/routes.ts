// The domain API under /api: cross-site changes refused, who calls (auth), then one router per
// resource. Transport only: parse, call the domain, answer; errors go to the app's one error
// mapper.
import type { Express } from 'express';
import type { Deps } from '../deps';
import { authenticate, refuseCrossSite } from './auth';
import { authRoutes } from './routes/auth';
import { ballotRoutes } from './routes/ballots';
import { electionRoutes } from './routes/elections';
import { resultRoutes } from './routes/results';
import { rollRoutes } from './routes/roll';
import { userRoutes } from './routes/users';
import { voterRoutes } from './routes/voters';

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
