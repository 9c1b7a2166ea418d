// Structured JSON logs (pino), one logger per node, tagged with the node id. An error from the
// database is logged without the values of its statement: mysql2 puts the interpolated SQL on the
// error (`sql`), and a ballot's statement holds voter keys and choices.
import pino from 'pino';

export type Logger = pino.Logger;

/** Longest statement shape kept in a log line. */
const MAX_SQL = 1000;

/**
 * The statement without its values: string, hex and number literals become `?`, and a long
 * VALUES list keeps its first row. Identifiers (also in backquotes) stay, so the line still says
 * which statement failed.
 */
export function sqlShape(sql: string): string {
  const shape = sql
    .replace(
      /`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|\b0x[0-9a-f]+\b|\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi,
      (m) => (m.startsWith('`') ? m : '?'),
    )
    .replace(/[xb]'\?'|[xb]\?/gi, '?')
    .replace(/(\([^()]*\))(?:\s*,\s*\([^()]*\))+/g, '$1, …')
    .replace(/\s+/g, ' ')
    .trim();
  return shape.length > MAX_SQL ? `${shape.slice(0, MAX_SQL)}…` : shape;
}

// Quoted names a message may keep: `db.table` and upper-case key names such as PRIMARY.
const QUOTED_NAME = /^'(?:[A-Za-z_]\w*\.[A-Za-z_]\w*|[A-Z][A-Z_]*)'$/;

/** A database message without the values it quotes ("Duplicate entry '?' for key 'PRIMARY'"). */
const withoutQuoted = (text: string): string =>
  text.replace(/'(?:[^'\\]|\\.|'')*'/g, (m) => (QUOTED_NAME.test(m) ? m : "'?'"));

type SerializedError = ReturnType<typeof pino.stdSerializers.err> & Record<string, unknown>;

/**
 * pino's error serializer, then: an error carrying a statement (`sql`, mysql2's) keeps its shape
 * as `sql` without values; its message, `sqlMessage` and stack lose the values they quote.
 */
export function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = pino.stdSerializers.err(err) as SerializedError;
  if (typeof out.sql !== 'string' && typeof out.sqlMessage !== 'string') return out;
  if (typeof out.sql === 'string') out.sql = sqlShape(out.sql);
  if (typeof out.sqlMessage === 'string') out.sqlMessage = withoutQuoted(out.sqlMessage);
  const message = out.message;
  out.message = withoutQuoted(message);
  if (typeof out.stack === 'string') out.stack = out.stack.split(message).join(out.message);
  return out;
}

export function createLogger(nodeId: string, level: string): Logger {
  return pino({
    level,
    base: { node: nodeId },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError },
  });
}
