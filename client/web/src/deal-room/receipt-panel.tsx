import { leafHash, verifyInclusion } from '../../../../shared/ledger/merkle.ts';
import { companiesOfOrigin } from '../../../../shared/ledger/log-origin.ts';
import { fromBase64, parseCheckpoint, parseNote } from '../../../../shared/ledger/signed-note.ts';
import { useApp } from '../app-context.tsx';
import { Badge } from '../ui/bits.tsx';
import { dateTime } from '../ui/format.ts';
import { Link } from '../ui/router.tsx';
import { useQuery } from '../ui/use-query.ts';

type Receipt = Awaited<
  ReturnType<ReturnType<typeof useApp>['api']['transparency']['receipt']['query']>
>['receipts'][number];

/**
 * Checks here, in the browser, that the receipt's entry is in the tree the checkpoint names
 * (its inclusion proof leads to that root); the checkpoint's signatures are checked by the
 * witnesses and by `tandem verify`. Answers the registration time the entry records.
 */
function check(r: Receipt): { proven: boolean; at?: string } {
  const entry = JSON.parse(r.entry) as { at?: string };
  if (!r.checkpoint || !r.proof) return { proven: false, at: entry.at };
  try {
    const cp = parseCheckpoint(parseNote(r.checkpoint.note).body);
    const proven = verifyInclusion(
      leafHash(r.entry),
      r.leafIndex,
      cp.size,
      r.proof.map(fromBase64),
      cp.rootHash,
    );
    return { proven, at: entry.at };
  } catch {
    return { proven: false, at: entry.at };
  }
}

/** Who was first, settled by the partnership logs: the deal's receipt in each. */
export function ReceiptPanel({ dealId }: { dealId: string }) {
  const { api } = useApp();
  const receipts = useQuery(() => api.transparency.receipt.query({ dealId }), dealId);
  const list = receipts.data?.receipts ?? [];
  const duplicates = receipts.data?.duplicates ?? [];
  if (list.length === 0) return null;
  return (
    <section className="card receipt" aria-labelledby="receipt-title">
      <h2 id="receipt-title">Registration receipt</h2>
      <ul className="plain">
        {list.map((r) => {
          const { proven, at } = check(r);
          const both =
            r.checkpoint &&
            (companiesOfOrigin(r.origin) ?? []).every((c) => r.checkpoint!.cosigned[c]);
          return (
            <li key={r.origin} data-testid="receipt">
              <p>
                Entry #{r.leafIndex} of the log shared with this partner
                {at ? `, recorded ${dateTime(at)}` : ''}.
              </p>
              {r.checkpoint && both && proven ? (
                <p>
                  <Badge tone="ok">Verified by both companies</Badge> at checkpoint{' '}
                  {r.checkpoint.size} (cosigned{' '}
                  {Object.values(r.checkpoint.cosigned).map(dateTime).join(' and ')})
                </p>
              ) : r.checkpoint && !proven ? (
                <p role="alert">
                  <Badge tone="warn">Does not verify</Badge> the entry is not in the checkpoint it
                  cites
                </p>
              ) : (
                <p className="sub">
                  Waiting for both companies’ witnesses to cosign a checkpoint that covers it.
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {duplicates.map((d) => {
        const mine = list[0]!;
        const theirs = d.receipts.find((r) => r.origin === mine.origin) ?? d.receipts[0];
        // One log: its order says. Two logs: when both companies had vouched for each entry.
        const earlier = !theirs
          ? undefined
          : theirs.origin === mine.origin
            ? theirs.leafIndex < mine.leafIndex
            : theirs.vouchedAt && mine.vouchedAt
              ? theirs.vouchedAt < mine.vouchedAt
              : undefined;
        return (
          <p key={d.dealId} data-testid="duplicate-receipt">
            Possible duplicate <Link to={`/deals/${d.dealId}`}>{d.dealId}</Link>:{' '}
            {earlier === undefined
              ? 'which was registered first is not settled until both witnesses cosign.'
              : earlier
                ? `registered before this deal (entry #${theirs!.leafIndex}).`
                : `registered after this deal (entry #${theirs!.leafIndex}).`}
          </p>
        );
      })}
    </section>
  );
}
