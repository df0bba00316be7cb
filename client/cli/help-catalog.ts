import { Command, Option } from 'commander';
import type { AdminCommands } from './main.ts';

/**
 * The operator commands as `tandem --help` lists them: per registering function, each command's
 * name with its arguments and its description. The build writes it from the real commands
 * (dist/node/admin-commands.json), so the top-level help can list them without loading the server.
 */
export type HelpCatalog = Record<
  keyof AdminCommands,
  { usage: string; options: boolean; description: string }[]
>;

/** What `register` adds to a program, as catalog entries. */
export function catalogEntries(register: (program: Command) => void) {
  const scratch = new Command();
  register(scratch);
  return scratch.commands.map((c) => ({
    usage: [
      c.name(),
      ...c.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)),
    ].join(' '),
    options: c.options.length > 0,
    description: c.description(),
  }));
}

/** Stand-ins that register the catalog's commands for help only: running one is never needed. */
export function helpStandIns(catalog: HelpCatalog): AdminCommands {
  const standIn = (entries: HelpCatalog[keyof HelpCatalog]) => (program: Command) => {
    for (const e of entries) {
      const command = program.command(e.usage).description(e.description);
      // Only so the listing says `[options]` where the real command takes some.
      if (e.options) command.addOption(new Option('--stand-in').hideHelp());
    }
  };
  return Object.fromEntries(
    Object.entries(catalog).map(([name, entries]) => [name, standIn(entries)]),
  ) as unknown as AdminCommands;
}
