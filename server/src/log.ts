// Structured JSON logs (pino), one logger per node, tagged with the node id.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(nodeId: string, level: string): Logger {
  return pino({ level, base: { node: nodeId }, timestamp: pino.stdTimeFunctions.isoTime });
}
