// What the DebugClient spawns (it passes one script to node): `ringlab dap` from the bundle,
// exactly as a user's DAP client runs it.
import * as path from 'node:path';

process.argv.splice(2, process.argv.length - 2, 'dap');
// out/test/dap/dapEntry.js -> repository root -> dist/ringlab.js
require(path.resolve(__dirname, '..', '..', '..', 'dist', 'ringlab.js'));
