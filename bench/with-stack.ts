// Runs one command against a fresh local stack: starts it (the tests' harness, free ports, fresh
// secrets), writes its handle file, runs the command with `{handle}` replaced by that file's path,
// and stops the stack whatever the command did. For measurements that need a stack of their own
// with settings of their own:
//
//   npx tsx bench/with-stack.ts --env TALLY_FRAME_BUDGET=30000 -- \
//     npm run loadtest -- --stack {handle} --connections 30000 --rate 100 --duration 30
//
// Exit status: the command's. Needs the build (npm run build).
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { startStack, writeHandle } from '../server/test/support/stack';

async function main(): Promise<number> {
  const split = process.argv.indexOf('--');
  if (split < 0 || split === process.argv.length - 1) {
    console.error('usage: with-stack.ts [--env K=V]... -- command…');
    return 2;
  }
  const ours = process.argv.slice(2, split);
  const env = Object.fromEntries(
    ours.flatMap((a, i) => (a === '--env' && ours[i + 1] ? [ours[i + 1]!.split(/=(.*)/s, 2)] : [])),
  ) as Record<string, string>;
  const t0 = Date.now();
  const stack = await startStack({ env });
  const handle = path.join(os.tmpdir(), `tb-bench-stack-${process.pid}.json`);
  writeHandle(handle, stack);
  console.log(
    `[with-stack] up in ${Date.now() - t0} ms at ${stack.baseUrl} (${JSON.stringify(env)})`,
  );
  try {
    const [cmd, ...args] = process.argv
      .slice(split + 1)
      .map((a) => a.replaceAll('{handle}', handle));
    return await new Promise<number>((resolve) => {
      const child = spawn(cmd!, args, { stdio: 'inherit' });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      process.once('SIGINT', () => child.kill('SIGINT'));
    });
  } finally {
    const faults = await stack.stop();
    if (faults.length) console.error(`[with-stack] node faults:\n${faults.join('\n')}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
