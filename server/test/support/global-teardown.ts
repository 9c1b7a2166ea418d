// Jest global teardown: stops the stack global-setup.ts started and removes its folder (kept
// with TB_KEEP_STACK=1). A stack handed in from outside (TB_TEST_STACK_FILE preset) is left alone.
// Then fails the run if any node logged an unhandled rejection or an uncaught exception while
// the suites ran or while it shut down: those are bugs even when every test passed.
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const stack = globalThis.__TB_STACK__;
  if (!stack) return;
  let faults: string[];
  try {
    faults = await stack.stop();
  } finally {
    const file = process.env.TB_TEST_STACK_FILE;
    if (file) rmSync(file, { force: true });
    delete process.env.TB_TEST_STACK_FILE;
    globalThis.__TB_STACK__ = undefined;
  }
  if (faults.length > 0) {
    throw new Error(
      `server nodes logged ${faults.length} unhandled error(s):\n  ${faults.slice(0, 10).join('\n  ')}`,
    );
  }
}
