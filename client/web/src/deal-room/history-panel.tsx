import type { DealDetail } from '../api/types.ts';
import { dateTime, label } from '../ui/format.ts';

type Entry = DealDetail['history'][number];

/** One ledger event in words. */
function describe(e: Entry): string {
  const data = (e.data ?? {}) as Record<string, unknown>;
  const patch = (data.patch ?? data.changes ?? data.fields) as Record<string, unknown> | undefined;
  const keys = patch && typeof patch === 'object' ? Object.keys(patch) : [];
  const what = label(e.type.replace(/[.]/g, ' '));
  return keys.length > 0 ? `${what}: ${keys.map((k) => label(k)).join(', ')}` : what;
}

/** Who made the change: a person, an API client, or someone's agent (a change made over MCP). */
function who(e: Entry): string {
  const name = e.author.name ?? label(e.author.kind);
  const company = e.author.companySlug ? ` · ${e.author.companySlug}` : '';
  return e.author.via === 'mcp' ? `${name}'s agent${company}` : `${name}${company}`;
}

/** The deal's history from the ledger, newest first, with who did what. */
export function HistoryPanel({ history }: { history: DealDetail['history'] }) {
  const entries = [...history].reverse();
  return (
    <section className="card history" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {entries.length === 0 ? (
        <p className="empty">Nothing recorded yet.</p>
      ) : (
        <ol className="timeline">
          {entries.slice(0, 100).map((e) => (
            <li key={e.id}>
              <span className="when">{dateTime(e.at)}</span>
              <span className="what">{describe(e)}</span>
              <span
                className="who"
                title={
                  e.author.via === 'mcp' ? `through the agent tool ${e.author.tool}` : undefined
                }
              >
                {who(e)}
              </span>
            </li>
          ))}
        </ol>
      )}
      {entries.length > 100 && <p className="sub">The 100 latest of {entries.length} events.</p>}
    </section>
  );
}
