// What integration and e2e tests import: the run's shared stack, and startStack for tests that
// need one of their own (destructive ones).
import { attachStack, readHandle, type TestStack } from './stack';

export { startStack, attachStack, freePorts, type TestStack, type StackHandle } from './stack';

let cached: TestStack | undefined;

/** The stack global-setup.ts started for this Jest run. */
export function getStack(): TestStack {
  if (cached) return cached;
  const file = process.env.TB_TEST_STACK_FILE;
  if (!file) {
    throw new Error('TB_TEST_STACK_FILE is not set: run through the integration or e2e project');
  }
  cached = attachStack(readHandle(file));
  return cached;
}
