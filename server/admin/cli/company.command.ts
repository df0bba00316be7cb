import type { Command } from 'commander';
import { withLocalDeps } from '../local-admin.ts';
import { listAllCompanies } from '../../tenants/companies/company.repository.ts';
import { createCompany, toCompany } from '../../tenants/companies/company.service.ts';
import { addMember } from '../../tenants/members/member.service.ts';
import { inWrite } from '../../store/write-queue.ts';
import { printRecord, printRows } from '../../../client/cli/output.ts';
import { readSecretFromStdin } from './stdin.ts';

export function companyCommand(program: Command): void {
  const company = program
    .command('company')
    .description('create and list companies (operator, on the data directory)');

  company
    .command('create')
    .description('create a company with its signing keys and, optionally, its first admin')
    .requiredOption('--slug <slug>', 'short unique name: lower-case letters, digits, dashes')
    .requiredOption('--name <name>', 'display name')
    .option('--admin-email <email>', 'create the first admin member with this email')
    .option('--admin-name <name>', "the first admin's name (defaults to the email)")
    .option(
      '--admin-password-stdin',
      "read the first admin's password from stdin (for web sign-in)",
    )
    .option('--json', 'print JSON')
    .action(
      async (opts: {
        slug: string;
        name: string;
        adminEmail?: string;
        adminName?: string;
        adminPasswordStdin?: boolean;
        json?: boolean;
      }) => {
        const password = opts.adminPasswordStdin ? await readSecretFromStdin() : undefined;
        const result = await withLocalDeps(
          program.opts<{ dataDir?: string }>().dataDir,
          async (deps) => {
            // Company and first admin go together: a company nobody can administer is useless.
            return deps.writes.run(async (trx) => {
              const tx = inWrite(deps, trx);
              const created = await createCompany(tx, { slug: opts.slug, name: opts.name });
              const admin = opts.adminEmail
                ? await addMember(
                    tx,
                    { companyId: created.id },
                    {
                      email: opts.adminEmail,
                      name: opts.adminName ?? opts.adminEmail,
                      role: 'admin',
                      password,
                    },
                  )
                : undefined;
              return {
                ...created,
                ...(admin ? { adminId: admin.id, adminEmail: admin.email } : {}),
              };
            });
          },
        );
        printRecord(result, Boolean(opts.json));
      },
    );

  company
    .command('list')
    .description('list every company of the deployment')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await withLocalDeps(program.opts<{ dataDir?: string }>().dataDir, async (deps) =>
        (await listAllCompanies(deps.db)).map(toCompany),
      );
      printRows(rows, ['id', 'slug', 'name', 'createdAt'], Boolean(opts.json));
    });
}
