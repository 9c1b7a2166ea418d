// Jest global teardown: stops the stack global-setup.ts started and removes its folder (kept
// with TB_KEEP_STACK=1). A stack handed in from outside (TB_TEST_STACK_FILE preset) is left alone.
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const stack = globalThis.__TB_STACK__;
  if (!stack) return;
  try {
    await stack.stop();
  } finally {
    const file = process.env.TB_TEST_STACK_FILE;
    if (file) rmSync(file, { force: true });
    delete process.env.TB_TEST_STACK_FILE;
    globalThis.__TB_STACK__ = undefined;
  }
}
