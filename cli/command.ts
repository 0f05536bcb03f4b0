// The shape every subcommand file exports: its help text and a run function that returns the
// exit status. Commands print through process.stdout/stderr; nothing below cli/ does.

export interface Command {
  readonly name: string;
  /** One line: the command and its arguments, as in `ringlab --help`. */
  readonly synopsis: string;
  readonly summary: string;
  /** Shown by `ringlab CMD --help`. */
  readonly help: string;
  /** False for commands that later issues bring (run, lint...): listed, but exit 2. */
  readonly available: boolean;
  run(args: readonly string[]): number | Promise<number>;
}

export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}
