// Subcommands that later issues bring. They are listed in --help so scripts can discover them,
// and answer with exit status 2 until they exist.

import type { Command } from './command';

export function later(name: string, synopsis: string, summary: string): Command {
  return {
    name,
    synopsis,
    summary,
    available: false,
    help: `Usage: ringlab ${synopsis}\n\n${summary}.\nNot yet available in this version of RingLab.`,
    run() {
      process.stderr.write(`ringlab ${name}: not yet available in this version of RingLab\n`);
      return 2;
    },
  };
}

export const laterCommands: readonly Command[] = [];
