// The Express floor's stand-in for a server node: Express with the app's layer shape (a header
// stamp, a finish hook like the metrics middleware, a health router, the JSON body parser, an
// /api middleware and three routers mounted before the elections router) answering the ballot
// route with a canned 201. No auth, no Redis, no database: what the framework alone costs per
// request, next to bare node:http (bare-node.mjs). bench/ballots.ts --own-stack --configs
// express-floor runs three behind the stack's own nginx.
import express from 'express';

const port = Number(process.argv[2]);
const app = express();
app.disable('x-powered-by');
app.set('trust proxy', 'loopback');
app.use((_req, res, next) => {
  res.setHeader('X-Served-By', `floor-${port}`);
  next();
});
app.use((_req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => process.hrtime.bigint() - started);
  next();
});
const health = express.Router();
health.get('/api/health', (_req, res) => res.json({ ok: true }));
health.get('/healthz', (_req, res) => res.json({ ok: true }));
app.use(health);
app.use(express.json({ limit: '1mb' }));
app.use('/api', (_req, res, next) => {
  res.locals.principal = null;
  next();
});
for (const mount of ['/api/auth', '/api/voters', '/api/users']) {
  const r = express.Router();
  r.get('/', (_req, res) => res.json({}));
  app.use(mount, r);
}
const ballots = express.Router({ mergeParams: true });
ballots.post('/:id/ballots', (_req, res) => {
  res.status(201).json({ receipt: 'FLOOR-0000-0000' });
});
app.use('/api/elections', ballots);
app.listen(port, '127.0.0.1');
