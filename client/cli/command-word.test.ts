import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandWord, runsRegisteredCommand } from './command-word.ts';

function program(): Command {
  const p = new Command('tandem').option('--data-dir <dir>', 'the data directory');
  p.command('partner').command('list');
  return p;
}

describe('the command word of the tandem bin', () => {
  it('skips the program options and the value of --data-dir', () => {
    expect(commandWord(program(), ['--data-dir', 'partner', 'token'])).toBe('token');
    expect(commandWord(program(), ['--data-dir=x', 'partner', 'list'])).toBe('partner');
    expect(commandWord(program(), ['-h'])).toBeUndefined();
  });

  it('tells a registered (remote) command from an operator command, help or none', () => {
    expect(runsRegisteredCommand(program(), ['partner', 'list', '--json'])).toBe(true);
    expect(runsRegisteredCommand(program(), ['--data-dir', 'x', 'partner', 'list'])).toBe(true);
    expect(runsRegisteredCommand(program(), ['token', '--company', 'acme'])).toBe(false);
    expect(runsRegisteredCommand(program(), ['--help'])).toBe(false);
    expect(runsRegisteredCommand(program(), [])).toBe(false);
    expect(runsRegisteredCommand(program(), ['help', 'partner'])).toBe(false);
  });
});
