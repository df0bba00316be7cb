import type { Inputs, Outputs } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Busy, ProblemNote } from '../ui/bits.tsx';
import { label, money } from '../ui/format.ts';
import { useQuery } from '../ui/use-query.ts';
import '../ui/figures.css';

type Totals = Outputs['pipeline']['stageTotals'];
type Tally = Totals['total'];
type ListInput = Partial<Inputs['opportunities']['list']>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The pipeline's filters as `pipeline.stageTotals` takes them: no sort, page or cursor. */
function filtersOf(list: ListInput | undefined): NonNullable<Inputs['pipeline']['stageTotals']> {
  const { stage, status, partner, closeFrom, closeTo, amountMin, amountMax, q } = list ?? {};
  return {
    ...(stage ? { stage } : {}),
    ...(status ? { status } : {}),
    ...(partner ? { partner } : {}),
    ...(closeFrom ? { closeFrom } : {}),
    ...(closeTo ? { closeTo } : {}),
    ...(amountMin !== undefined ? { amountMin } : {}),
    ...(amountMax !== undefined ? { amountMax } : {}),
    ...(q ? { q } : {}),
  };
}

/** `EUR: 1 deal, €400.00; USD: 1 deal, $300.00`. */
const perCurrency = (xs: { currency: string; count: number; amountMinor: number }[]) =>
  xs.map((x) => `${plural(x.count, 'deal')} ${money(x.amountMinor, x.currency)}`).join(' · ');

/**
 * Counts and totals of the deals by stage, in one reporting currency (`pipeline.stageTotals`),
 * following the pipeline's filters; each stage's sums in their own currencies beside, and the rule
 * that converted them said on the page.
 */
export function StageTotals({ filters }: { filters?: ListInput }) {
  const { api } = useApp();
  const input = filtersOf(filters);
  const totals = useQuery(() => api.pipeline.stageTotals.query(input), JSON.stringify(input));
  const t = totals.data;
  return (
    <section
      className="card stage-totals"
      aria-labelledby="stage-totals-title"
      data-testid="stage-totals"
    >
      <h2 id="stage-totals-title">Totals by stage{t ? ` in ${t.currency}` : ''}</h2>
      {t ? (
        <StageTable t={t} />
      ) : totals.problem ? (
        <ProblemNote problem={totals.problem} />
      ) : (
        <Busy>Adding up the pipeline…</Busy>
      )}
      {t && <ProblemNote problem={totals.problem} />}
    </section>
  );
}

function StageTable({ t }: { t: Totals }) {
  const rows = t.stages.filter((s) => s.count > 0);
  const converted = (x: Tally) => x.byBasis.frozen + x.byBasis.nearest + x.byBasis.latest;
  return (
    <>
      {rows.length === 0 ? (
        <p className="empty">No deals of yours match these filters.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  Deals
                </th>
                <th scope="col" className="num">
                  Total ({t.currency})
                </th>
                <th scope="col">In their own currencies</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.stage} data-stage={s.stage}>
                  <th scope="row">{label(s.stage)}</th>
                  <td className="num">{s.count}</td>
                  <td className="num">
                    {money(s.totalMinor, t.currency)}
                    {s.byBasis.none > 0 && (
                      <div className="sub">
                        {s.byBasis.none} left out (no rate): {perCurrency(s.leftOut)}
                      </div>
                    )}
                  </td>
                  <td className="sub">
                    {perCurrency(s.byCurrency)}
                    {converted(s) > 0 && ` (${converted(s)} converted)`}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-stage="total">
                <th scope="row">All stages</th>
                <td className="num">{t.total.count}</td>
                <td className="num">{money(t.total.totalMinor, t.currency)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <p className="sub rule" data-testid="stage-totals-rule">
        Totals in {t.currency}
        {t.currencySource === 'most_used' ? ', your most used currency' : ''}. A closed deal in
        another currency counts at the rate frozen at its close (its attribution’s), or, with none
        of its own, at the rate frozen at the nearest close; an open deal at the latest rate your
        attributions froze for its currency.{' '}
        {t.total.byBasis.none > 0
          ? `Left out of the totals, with no rate into ${t.currency}: ${perCurrency(t.total.leftOut)}.`
          : `No deal was left out.`}{' '}
        Deals you were invited to count once you accept them.
      </p>
    </>
  );
}
