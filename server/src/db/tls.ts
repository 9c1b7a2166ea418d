// TLS to the database servers, by configuration (DB_TLS): the `ssl` option of every pool and
// connection the node and the migrate CLI open. `required` encrypts without checking who answers
// (a managed service's certificate may not name the address used); `verify` checks the chain
// against DB_TLS_CA_FILE (or the system's CAs) and that the certificate names the host.
import { readFileSync } from 'node:fs';
import type { SslOptions } from 'mysql2';
import type { Config } from '../config';

export type DbTlsConfig = Config['db']['tls'];

/** mysql2's `ssl` option for the configured mode; undefined when TLS is off. */
export function dbSsl(tls: DbTlsConfig): SslOptions | undefined {
  if (tls.mode === 'off') return undefined;
  const read = (file: string | undefined): string | undefined =>
    file === undefined ? undefined : readFileSync(file, 'utf8');
  return {
    rejectUnauthorized: tls.mode === 'verify',
    verifyIdentity: tls.mode === 'verify',
    ca: read(tls.caFile),
    cert: read(tls.certFile),
    key: read(tls.keyFile),
  };
}
