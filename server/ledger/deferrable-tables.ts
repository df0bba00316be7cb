/**
 * The tables a write's ledger append and its projections insert into, and the deal rooms'
 * documents beside them: no caller catches an error from these inserts (a unique key they could
 * break is checked before, under the write lock), so a store may hold them back and send them
 * together (server/store/postgres/deferred-inserts.ts). A test keeps any table whose insert is
 * caught out of this list.
 */
export const deferrableInsertTables: ReadonlySet<string> = new Set([
  'ledger_events',
  'opportunities',
  'opportunity_participants',
  'opportunity_refs',
  'co_sell_steps',
  'duplicate_flags',
  'attribution_parties',
  'attribution_versions',
  'deal_doc_updates',
  'notes_due',
  'webhook_deliveries',
]);
