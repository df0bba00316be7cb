import type { Command } from 'commander';

/** The command `args` (argv after the script) names: the first operand past the program options. */
export function commandWord(program: Command, args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return args[i + 1];
    if (!arg.startsWith('-')) return arg;
    // `--data-dir <dir>` takes the next argument as its value; `--data-dir=<dir>` does not.
    if (program.options.find((o) => o.long === arg || o.short === arg)?.required) i++;
  }
  return undefined;
}

/** Whether `args` runs one of the commands already registered on `program`. */
export function runsRegisteredCommand(program: Command, args: readonly string[]): boolean {
  const word = commandWord(program, args);
  return program.commands.some((c) => c.name() === word || c.aliases().includes(word ?? ''));
}
