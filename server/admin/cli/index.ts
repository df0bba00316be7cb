/**
 * The operator commands of the `tandem` bin. They open the data directory and so load the server,
 * which is why the bin imports this module only when one of them is about to run.
 */
export { backupCommands } from './backup.command.ts';
export { clientCommand } from './client.command.ts';
export { companyCommand } from './company.command.ts';
export { dbCommand } from './db.command.ts';
export { exportCommand } from './export.command.ts';
export { ledgerCommand } from './ledger.command.ts';
export { memberCommand } from './member.command.ts';
export { serverCommands } from './server.command.ts';
export { tokenCommand } from './token.command.ts';
