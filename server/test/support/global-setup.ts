// Jest global setup for the integration and e2e projects: builds when needed, starts ONE stack
// for the whole run and publishes its handle through TB_TEST_STACK_FILE (see index.ts).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, startStack, writeHandle, type TestStack } from './stack';

declare global {
  var __TB_STACK__: TestStack | undefined;
}

const needed = [
  process.env.TB_NODE_SCRIPT ? '' : 'server/dist/main.js',
  process.env.TB_MIGRATE_SCRIPT ? '' : 'server/dist/cli/migrate.js',
  'client/dist/index.html',
].filter(Boolean);

export default async function globalSetup(): Promise<void> {
  if (process.env.TB_TEST_STACK_FILE && existsSync(process.env.TB_TEST_STACK_FILE)) return;
  if (needed.some((f) => !existsSync(path.join(repoRoot, f)))) {
    console.log('\n[stack] build missing: npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const t0 = Date.now();
  const stack = await startStack();
  const file = path.join(os.tmpdir(), `tb-test-stack-${process.pid}.json`);
  writeHandle(file, stack);
  process.env.TB_TEST_STACK_FILE = file;
  globalThis.__TB_STACK__ = stack;
  console.log(`\n[stack] up in ${Date.now() - t0} ms at ${stack.baseUrl} (dir ${stack.dir})`);
}
