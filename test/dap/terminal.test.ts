// console: integratedTerminal: the adapter asks the client to run a terminal (runInTerminal) with
// a bridge to the guest's COM1; what the guest prints arrives there, and what is typed there
// reaches the UART. The test plays the client: it answers runInTerminal and runs the bridge.

import * as assert from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { buildOnce, startClient } from './dapHarness';
import { tempDir } from '../support/tempDir';

const ECHO = `bits 32
org 0x100000
_start:
  mov esi, banner
.say:
  lodsb
  test al, al
  jz .read
  mov dx, 0x3F8
  out dx, al
  jmp .say
.read:
  mov dx, 0x3FD
.wait:
  in al, dx
  test al, 1
  jz .wait
  mov dx, 0x3F8
  in al, dx
  cmp al, 'q'
  je .quit
  out dx, al
  jmp .read
.quit:
  mov al, 0
  out 0xF4, al
banner: db "echo> ", 0
`;

describe('dap: console integratedTerminal', function () {
  let dc: DebugClient;
  let bridge: ChildProcess | undefined;
  before(buildOnce);
  beforeEach(async () => { dc = await startClient(); });
  afterEach(async () => { bridge?.kill(); await dc.stop(); });

  it('runs a terminal bridged to COM1: output arrives there, typed input reaches the guest', async () => {
    const file = path.join(tempDir('dap'), 'echo.gasm');
    fs.writeFileSync(file, ECHO);
    // Play the client's part of runInTerminal (DebugClient itself ignores reverse requests).
    const client = dc as unknown as { dispatch(body: string): void; outputStream: NodeJS.WritableStream };
    const dispatch = client.dispatch.bind(dc);
    let terminalOut = '';
    const asked = new Promise<DebugProtocol.RunInTerminalRequestArguments>((resolve) => {
      client.dispatch = (body: string): void => {
        const msg = JSON.parse(body) as DebugProtocol.ProtocolMessage & { command?: string; arguments?: unknown };
        if (msg.type !== 'request' || msg.command !== 'runInTerminal') { dispatch(body); return; }
        const args = msg.arguments as DebugProtocol.RunInTerminalRequestArguments;
        bridge = spawn(args.args[0]!, args.args.slice(1), { cwd: args.cwd, stdio: ['pipe', 'pipe', 'inherit'] });
        bridge.stdout!.on('data', (d: Buffer) => { terminalOut += d.toString('latin1'); });
        const json = JSON.stringify({ type: 'response', seq: 1000, request_seq: msg.seq, command: 'runInTerminal', success: true, body: { processId: bridge.pid } });
        client.outputStream.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
        resolve(args);
      };
    });
    await dc.initializeRequest({ adapterID: 'ringlab', pathFormat: 'path', supportsRunInTerminalRequest: true });
    const exited = dc.waitForEvent('exited');
    await dc.launchRequest({ program: file, console: 'integratedTerminal' } as DebugProtocol.LaunchRequestArguments);
    await dc.configurationDoneRequest();
    const args = await asked;
    assert.strictEqual(args.kind, 'integrated');
    const deadline = Date.now() + 10000;
    while (!terminalOut.includes('echo> ') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.strictEqual(terminalOut, 'echo> ');
    bridge!.stdin!.write('hi');
    while (!terminalOut.endsWith('hi') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.strictEqual(terminalOut, 'echo> hi');
    bridge!.stdin!.write('q');
    assert.strictEqual((await exited).body.exitCode, 1);
  });

  it('in the Debug Console, `>text` sends a line to COM1', async () => {
    const file = path.join(tempDir('dap'), 'echo.gasm');
    fs.writeFileSync(file, ECHO);
    const printed = dc.assertOutput('stdout', 'echo> hi\n');
    const exited = dc.waitForEvent('exited');
    await dc.launchRequest({ program: file } as DebugProtocol.LaunchRequestArguments);
    await dc.configurationDoneRequest();
    const r = await dc.evaluateRequest({ expression: '>hi', context: 'repl' });
    assert.match(r.body.result, /sent 3 byte\(s\) to COM1/);
    await printed;
    await dc.evaluateRequest({ expression: '>q', context: 'repl' });
    assert.strictEqual((await exited).body.exitCode, 1);
  });
});
