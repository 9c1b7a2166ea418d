// Everything the server and the client agree on.
export * from './allowlist';
export * from './limits';
export * from './ranking';
export * from './schemas';
export * from './wire';
