// Entry point of the `ringlab` command (bundled into dist/ringlab.js, started by bin/ringlab).

import { main } from './dispatch';

// A reader that goes away (`ringlab lint big.gasm | head`) is not an error of ours: end quietly
// with the status a shell gives a command killed by SIGPIPE, instead of an EPIPE stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(141);
  throw e;
});

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; },
  (e: unknown) => {
    process.stderr.write(`ringlab: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
