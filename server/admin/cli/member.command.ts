import type { Command } from 'commander';
import { memberRoles, type MemberRole } from '../../../shared/tenancy/tenancy.ts';
import { withLocalDeps } from '../local-admin.ts';
import { findCompany } from '../../tenants/companies/company.repository.ts';
import { findMemberByEmail } from '../../tenants/members/member.repository.ts';
import { addMember, setMemberPassword } from '../../tenants/members/member.service.ts';
import { CliError } from '../../../client/cli/exit-codes.ts';
import { printRecord } from '../../../client/cli/output.ts';
import { readSecretFromStdin } from './stdin.ts';

export function memberCommand(program: Command): void {
  const member = program
    .command('member')
    .description('manage members of a company (operator, on the data directory)');
  member
    .command('add')
    .description('add a member to a company')
    .requiredOption('--company <id|slug>', 'the company')
    .requiredOption('--email <email>', "the member's email")
    .requiredOption('--role <role>', `one of ${memberRoles.join(', ')}`)
    .option('--name <name>', 'display name (defaults to the email)')
    .option('--password-stdin', 'read a web sign-in password from stdin')
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        company: string;
        email: string;
        role: string;
        name?: string;
        passwordStdin?: boolean;
        json?: boolean;
      }) => {
        const password = opts.passwordStdin ? await readSecretFromStdin() : undefined;
        const added = await withLocalDeps(
          program.opts<{ dataDir?: string }>().dataDir,
          async (deps) => {
            const company = await findCompany(deps.db, opts.company);
            if (!company)
              throw new CliError(`no company "${opts.company}"; see \`tandem company list\``);
            return addMember(
              deps,
              { companyId: company.id },
              {
                email: opts.email,
                name: opts.name ?? opts.email,
                role: opts.role as MemberRole,
                password,
              },
            );
          },
        );
        printRecord(added, Boolean(opts.json));
      },
    );
  member
    .command('password')
    .description("set a member's web sign-in password (read from stdin, at least 12 characters)")
    .requiredOption('--company <id|slug>', 'the company')
    .requiredOption('--email <email>', "the member's email")
    .option('--json', 'print JSON')
    .action(async (opts: { company: string; email: string; json?: boolean }) => {
      const password = await readSecretFromStdin();
      const updated = await withLocalDeps(
        program.opts<{ dataDir?: string }>().dataDir,
        async (deps) => {
          const company = await findCompany(deps.db, opts.company);
          if (!company)
            throw new CliError(`no company "${opts.company}"; see \`tandem company list\``);
          const scope = { companyId: company.id };
          const found = await findMemberByEmail(deps.db, scope, opts.email.toLowerCase());
          if (!found)
            throw new CliError(
              `no member ${opts.email} in ${company.slug}; add one with \`tandem member add\``,
            );
          return setMemberPassword(deps, scope, { memberId: found.id, password });
        },
      );
      printRecord(updated, Boolean(opts.json));
    });
}
