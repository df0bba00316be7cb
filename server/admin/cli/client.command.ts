import type { Command } from 'commander';
import { scopes, type Scope } from '../../../shared/tenancy/tenancy.ts';
import { withLocalDeps } from '../local-admin.ts';
import { createClient } from '../../tenants/clients/api-client.service.ts';
import { findCompany } from '../../tenants/companies/company.repository.ts';
import { CliError } from '../../../client/cli/exit-codes.ts';
import { printRecord } from '../../../client/cli/output.ts';

export function clientCommand(program: Command): void {
  const client = program
    .command('client')
    .description('manage API clients of a company (operator, on the data directory)');
  client
    .command('create')
    .description('create an API client for an integration; prints its secret once')
    .requiredOption('--company <id|slug>', 'the company')
    .requiredOption('--name <name>', 'what the integration is, e.g. "Salesforce sync"')
    .requiredOption('--scopes <list>', `comma-separated: ${scopes.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (opts: { company: string; name: string; scopes: string; json?: boolean }) => {
      const created = await withLocalDeps(
        program.opts<{ dataDir?: string }>().dataDir,
        async (deps) => {
          const company = await findCompany(deps.db, opts.company);
          if (!company)
            throw new CliError(`no company "${opts.company}"; see \`tandem company list\``);
          const asked = opts.scopes
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean) as Scope[];
          return createClient(deps, { companyId: company.id }, { name: opts.name, scopes: asked });
        },
      );
      printRecord({ ...created.client, secret: created.secret }, Boolean(opts.json));
      if (!opts.json)
        process.stderr.write(
          "The secret is shown only now: store it in your integration's secret store.\n",
        );
    });
}
