// `ringlab dap --server=PORT`: a session per TCP connection, for clients that connect rather
// than spawn (and a usage error for a port that is not one).

import * as assert from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { buildOnce, HELLO, launchStopped, ROOT, topFrame } from './dapHarness';

describe('dap: --server=PORT', function () {
  let server: ChildProcess | undefined;
  before(buildOnce);
  after(() => { server?.kill(); });

  it('serves a session per connection on the port it prints', async () => {
    server = spawn(process.execPath, [path.join(ROOT, 'dist', 'ringlab.js'), 'dap', '--server=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const port = await new Promise<number>((resolve, reject) => {
      server!.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
        if (m) resolve(Number(m[1]));
      });
      server!.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    for (let i = 0; i < 2; i++) {
      const dc = new DebugClient(process.execPath, 'unused', 'ringlab');
      await dc.start(port);
      try {
        await dc.initializeRequest({ adapterID: 'ringlab', pathFormat: 'path' });
        await launchStopped(dc, { program: HELLO });
        assert.strictEqual((await topFrame(dc)).name, '_start');
      } finally {
        await dc.stop();
      }
    }
  });

  it('a port that is not one is a usage error (status 2)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'ringlab.js'), 'dap', '--server=http'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /--server: 'http' is not a port number/);
  });
});
