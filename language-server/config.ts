// The one reader of the server's settings (`ringlab.lint.mode`): pulled with
// workspace/configuration when the client supports it, else taken from
// didChangeConfiguration's payload or the initialization options. A change re-lints every document.

import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver';
import { DEFAULT_LINT_MODE } from '../core/lint';
import { parseMode, type Mode } from '../core/run/modes';

interface RingLabSettings { lint?: { mode?: unknown } }

export class Config {
  private lintMode: Mode = DEFAULT_LINT_MODE;
  private pull = false;
  /** Settles when the first settings are known: diagnostics wait for it (never for long). */
  private readyPromise: Promise<void> = Promise.resolve();

  constructor(private readonly connection: Connection) {}

  /** The default target mode; a file's `; ringlab: mode=M` still wins over it. */
  get mode(): Mode { return this.lintMode; }

  get ready(): Promise<void> { return this.readyPromise; }

  /** From `initialize`: whether to pull settings, and any given as initialization options. */
  initialize(canPull: boolean, initializationOptions: unknown): void {
    this.pull = canPull;
    this.apply((initializationOptions as { ringlab?: RingLabSettings } | undefined)?.ringlab ?? initializationOptions);
  }

  /** Re-reads the settings (after `initialized` and on every didChangeConfiguration). */
  refresh(pushed?: unknown): Promise<void> {
    this.readyPromise = (async () => {
      if (this.pull) {
        try {
          this.apply(await this.connection.workspace.getConfiguration('ringlab'));
        } catch {
          // A client that fails the request keeps the last settings.
        }
      } else if (pushed !== undefined) {
        this.apply((pushed as { ringlab?: unknown } | null)?.ringlab);
      }
    })();
    return this.readyPromise;
  }

  /**
   * window/showMessage, a notification: `window.showWarningMessage` sends showMessageRequest, a
   * request that a client may fail (one without it answers MethodNotFound), and nothing here needs
   * an answer.
   */
  private warn(message: string): void {
    this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }).catch(() => undefined);
  }

  private apply(settings: unknown): void {
    const mode = (settings as RingLabSettings | null | undefined)?.lint?.mode;
    if (typeof mode === 'string') {
      const parsed = parseMode(mode);
      if (parsed) this.lintMode = parsed;
      else this.warn(`ringlab.lint.mode: unknown mode '${mode}'; linting for ${this.lintMode}`);
    } else if (settings !== undefined && settings !== null) {
      this.lintMode = DEFAULT_LINT_MODE;
    }
  }
}
