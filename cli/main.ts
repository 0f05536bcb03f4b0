// Entry point of the `ringlab` command (bundled into dist/ringlab.js, started by bin/ringlab).

import { main } from './dispatch';

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; },
  (e: unknown) => {
    process.stderr.write(`ringlab: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 70;
  },
);
