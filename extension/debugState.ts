// What the views know about the running RingLab debug session: its mode and hypervisor type
// (from the launch configuration), the state the adapter answers to `ringlab/state` at every
// stop, and the VMM events it sends. One instance; the views and the status bar listen to it.

import * as vscode from 'vscode';
import { stateFromEvaluate } from './stateFromEvaluate';
import {
  PAGE_TABLES_REQUEST, STATE_REQUEST, TRANSLATION_CACHE_REQUEST, VMM_EVENT,
  type ModeName, type PageTablesResponse, type RingLabState, type TranslationCacheResponse, type VmmEvent,
} from './protocol';

const MAX_EVENTS = 500;

export interface SessionInfo {
  readonly session: vscode.DebugSession;
  readonly mode: ModeName;
  readonly hypervisor: 'type1' | 'type2' | null;
}

export class DebugState implements vscode.Disposable {
  private info: SessionInfo | undefined;
  private current: RingLabState | undefined;
  private stopped = false;
  private stateError: string | undefined;
  private readonly log: VmmEvent[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires after the session, its state or its event log changed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.disposables.push(
      vscode.debug.onDidStartDebugSession((s) => { if (s.type === 'ringlab') this.start(s); }),
      vscode.debug.onDidTerminateDebugSession((s) => { if (s.id === this.info?.session.id) this.end(); }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.id === this.info?.session.id && e.event === VMM_EVENT) this.addEvent(e.body as VmmEvent);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('ringlab', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type?: string; event?: string }) => {
            if (m.type !== 'event' || session.id !== this.info?.session.id) return;
            if (m.event === 'stopped') void this.refresh();
            else if (m.event === 'continued') { this.stopped = false; this.changed.fire(); }
          },
        }),
      }),
    );
  }

  get session(): SessionInfo | undefined { return this.info; }
  get state(): RingLabState | undefined { return this.current; }
  get isStopped(): boolean { return this.stopped; }
  /** Why there is no state although the session is stopped (an adapter without `ringlab/state`). */
  get missingState(): string | undefined { return this.stateError; }
  get events(): readonly VmmEvent[] { return this.log; }

  async translationCache(): Promise<TranslationCacheResponse | string> {
    return this.ask<TranslationCacheResponse>(TRANSLATION_CACHE_REQUEST, {});
  }

  async pageTables(): Promise<PageTablesResponse | string> {
    return this.ask<PageTablesResponse>(PAGE_TABLES_REQUEST, {});
  }

  private start(session: vscode.DebugSession): void {
    const c = session.configuration;
    const mode = (typeof c['mode'] === 'string' ? c['mode'] : 'trap-and-emulate') as ModeName;
    const hypervisor = mode === 'native' ? null : c['hypervisor'] === 'type2' ? 'type2' : 'type1';
    this.info = { session, mode, hypervisor };
    this.current = undefined;
    this.stateError = undefined;
    this.stopped = false;
    this.log.length = 0;
    void vscode.commands.executeCommand('setContext', 'ringlab.mode', mode);
    void vscode.commands.executeCommand('setContext', 'ringlab.debugging', true);
    this.changed.fire();
  }

  private end(): void {
    this.info = undefined;
    this.current = undefined;
    this.stopped = false;
    void vscode.commands.executeCommand('setContext', 'ringlab.debugging', false);
    this.changed.fire();
  }

  private addEvent(e: VmmEvent): void {
    this.log.push(e);
    if (this.log.length > MAX_EVENTS) this.log.splice(0, this.log.length - MAX_EVENTS);
    this.changed.fire();
  }

  /** Asks the adapter for the state at a stop. */
  async refresh(): Promise<void> {
    this.stopped = true;
    let answer = await this.ask<RingLabState>(STATE_REQUEST, {});
    if (typeof answer === 'string' && this.info !== undefined) {
      // An adapter without ringlab/state: the same facts through standard requests.
      try {
        answer = await stateFromEvaluate(this.info);
      } catch (e) {
        answer = `${answer}; ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    if (typeof answer === 'string') {
      this.stateError = answer;
    } else {
      this.stateError = undefined;
      const previous = this.current?.lastEvent;
      this.current = answer;
      // An adapter that sends no ringlab/vmmEvent still feeds the log through lastEvent.
      const last = answer.lastEvent;
      if (last !== undefined && (previous === undefined || last.instructions !== previous.instructions || last.eip !== previous.eip)
        && !this.log.some((e) => e.eip === last.eip && e.instructions !== undefined && e.instructions === last.instructions)) {
        this.addEvent(last);
      }
    }
    this.changed.fire();
  }

  private async ask<T>(command: string, args: unknown): Promise<T | string> {
    const info = this.info;
    if (info === undefined) return 'no RingLab debug session';
    try {
      return (await info.session.customRequest(command, args)) as T;
    } catch (e) {
      return `the debug adapter did not answer ${command}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
