import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import type { Outputs } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, Busy, ProblemNote } from '../ui/bits.tsx';
import { compactMoney, date, label, majorMoney, money } from '../ui/format.ts';
import { Link } from '../ui/router.tsx';
import { useQuery } from '../ui/use-query.ts';
import '../ui/figures.css';
import { Chart, palette, QuarterChart, topPartnersChart } from './program-charts.tsx';
import { ProfileForm } from './partner-profile-form.tsx';

type Health = Outputs['programHealth']['get'];
type Scored = Outputs['partnerProfiles']['score'][number];
type Tally = Health['conversion']['closed'];

const windows = [
  { months: 3, text: 'Last 3 months' },
  { months: 6, text: 'Last 6 months' },
  { months: 12, text: 'Last 12 months' },
  { months: 24, text: 'Last 24 months' },
];
const buckets = [
  { key: 'recruit', text: 'Recruit', tone: 'ok' },
  { key: 'nurture', text: 'Nurture', tone: 'info' },
  { key: 'pass', text: 'Pass', tone: 'warn' },
] as const;

/** A value axis that always shows zero (a bar's length is its value), its top rounded. */
const fromZero: [(min: number) => number, 'auto'] = [(min) => Math.min(0, min), 'auto'];
const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const days = (x: number | null) => (x === null ? '—' : `${Math.round(x)} days`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** `a, b and c`, leaving out the parts that are false. */
const andList = (parts: (string | false)[]) => {
  const xs = parts.filter((p): p is string => p !== false);
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
};

/** The first day of a window of `months` months ending today (UTC), as YYYY-MM-DD. */
function windowStart(months: number): string {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() - months);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Partner-program health, as the server computes it (`programHealth.get`): activated vs paper
 * partners, top-ten concentration, co-sold vs not, sourced vs influenced by quarter, first deals
 * and their debriefs, money in one reporting currency; and the partner profile buckets
 * (`partnerProfiles.score`), or a form to define the first profile.
 */
export function ProgramPage() {
  const { api } = useApp();
  const [months, setMonths] = useState(12);
  const health = useQuery(async () => {
    const h = await api.programHealth.get.query({ from: windowStart(months) });
    // The first deals' titles (a handful: one per partnership at most).
    const titles = new Map<string, string>();
    const got = await Promise.allSettled(
      h.firstDeals.slice(0, 20).map((f) => api.opportunities.get.query({ id: f.dealId })),
    );
    for (const r of got)
      if (r.status === 'fulfilled')
        titles.set(r.value.id, r.value.fields?.title ?? r.value.summary.title);
    return { h, titles };
  }, `health:${months}`);
  const profiles = useQuery(
    async () => ({
      defined: await api.partnerProfiles.list.query(),
      scored: await api.partnerProfiles.score.query(),
    }),
    'profiles',
  );

  return (
    <section aria-labelledby="program-title">
      <div className="page-head">
        <h1 id="program-title">Program</h1>
        <label className="inline">
          Window
          <select value={months} onChange={(e) => setMonths(Number(e.target.value))}>
            {windows.map((w) => (
              <option key={w.months} value={w.months}>
                {w.text}
              </option>
            ))}
          </select>
        </label>
      </div>
      {health.data ? (
        <HealthView h={health.data.h} titles={health.data.titles} />
      ) : health.problem ? (
        <ProblemNote problem={health.problem} />
      ) : (
        <Busy>Gathering the program…</Busy>
      )}
      {health.data && health.loading && <Busy>Updating…</Busy>}
      {health.data && <ProblemNote problem={health.problem} />}
      <section aria-labelledby="profiles-title" data-testid="profile-buckets">
        <h2 id="profiles-title">Partner profiles: recruit, nurture, pass</h2>
        {profiles.data ? (
          <Buckets
            defined={profiles.data.defined.length}
            scored={profiles.data.scored}
            onSaved={profiles.reload}
          />
        ) : profiles.problem ? (
          <ProblemNote problem={profiles.problem} />
        ) : (
          <Busy>Scoring partners…</Busy>
        )}
      </section>
    </section>
  );
}

/** What the reporting currency is, how other currencies were brought into it, what was left out. */
function CurrencyNote({ h }: { h: Health }) {
  const currency = h.window.currency;
  const c = h.conversion.closed;
  const o = h.conversion.openCreated;
  const other = c.byBasis.frozen + c.byBasis.nearest + c.byBasis.none;
  const leftOut = (t: Tally) =>
    t.leftOut
      .map((l) => `${l.currency}: ${plural(l.count, 'deal')}, ${money(l.amountMinor, l.currency)}`)
      .join('; ');
  return (
    <div className="currency-note" data-testid="currency-note">
      <p>
        <strong>Money in {currency}</strong>
        {h.window.currencySource === 'most_used' ? ', your most used currency' : ''}.{' '}
        {date(h.window.from)} to {date(h.window.to)}.
      </p>
      <p>
        {other === 0
          ? c.count === 0
            ? 'No deal closed in this window.'
            : c.count === 1
              ? `The one deal closed in this window is in ${currency}.`
              : `All ${c.count} deals closed in this window are in ${currency}.`
          : `Of ${plural(c.count, 'deal')} closed in this window, ${other} ${other === 1 ? 'was' : 'were'} in another currency: ${andList(
              [
                c.byBasis.frozen > 0 &&
                  `${c.byBasis.frozen} converted at the rate frozen at ${c.byBasis.frozen === 1 ? 'its' : 'their'} close`,
                c.byBasis.nearest > 0 &&
                  `${c.byBasis.nearest} with no rate of ${c.byBasis.nearest === 1 ? 'its' : 'their'} own converted at the rate frozen at the nearest close`,
                c.byBasis.none > 0 &&
                  `${c.byBasis.none} left out of the money figures, with no rate into ${currency} (${leftOut(c)})`,
              ],
            )}.`}
        {o.byBasis.latest + o.byBasis.none > 0 &&
          ` Open deals created in the window in other currencies: ${andList([
            o.byBasis.latest > 0 && `${o.byBasis.latest} converted at the latest frozen rate`,
            o.byBasis.none > 0 && `${o.byBasis.none} left out (${leftOut(o)})`,
          ])}.`}
      </p>
      <details>
        <summary>How amounts are converted</summary>
        <p className="sub">{h.conversion.rule}</p>
      </details>
    </div>
  );
}

function HealthView({ h, titles }: { h: Health; titles: Map<string, string> }) {
  const currency = h.window.currency;
  const paper = h.partners.list.filter((p) => !p.activated).map((p) => p.partner.name);
  const names = new Map(h.partners.list.map((p) => [p.partner.id, p.partner.name]));
  const compare = (pick: (s: Health['coSold']) => number | null) => [
    { group: 'Co-sold', value: pick(h.coSold) },
    { group: 'Not co-sold', value: pick(h.notCoSold) },
  ];
  /** The bars of a comparison, each labelled; a group with no won deal says so on its axis. */
  const bars = (pick: (s: Health['coSold']) => number | null, text: (v: number) => string) =>
    compare(pick).map((r) => ({
      group: r.value === null ? `${r.group} (none won)` : r.group,
      value: r.value,
      text: r.value === null ? '' : text(r.value),
    }));
  const top = h.concentration.top.map((t) => ({ name: t.partner.name, amount: t.amount }));
  const cash = (v: number | null) => (v === null ? '—' : majorMoney(v, currency));
  return (
    <>
      <CurrencyNote h={h} />
      <div className="stats">
        <div className="stat">
          <strong>{h.partners.activated}</strong>activated partners
        </div>
        <div className="stat">
          <strong>{h.partners.paper}</strong>paper partners
          {paper.length > 0 && <div className="sub">{paper.join(', ')}</div>}
        </div>
        <div className="stat">
          <strong>{pct(h.concentration.topTenShare)}</strong>of partner revenue from the top ten
          <div className="sub">{majorMoney(h.concentration.partnerRevenue, currency)} in all</div>
        </div>
        <div className="stat">
          <strong>{pct(h.coSold.winRate)}</strong>win rate co-sold ({h.coSold.closed} closed)
        </div>
        <div className="stat">
          <strong>{pct(h.notCoSold.winRate)}</strong>win rate not co-sold ({h.notCoSold.closed}{' '}
          closed)
        </div>
      </div>
      <div className="charts">
        <Chart
          title="Concentration: revenue of the top ten partners"
          id="chart-concentration"
          table={{
            head: ['Partner', `Revenue (${currency})`],
            rows: top.map((t) => [t.name, cash(t.amount)]),
          }}
          empty={top.length === 0 ? 'No partner revenue won in this window.' : undefined}
        >
          {topPartnersChart(top, currency)}
        </Chart>
        <Chart
          title="Average won deal size, co-sold vs not"
          id="chart-size"
          table={{
            head: ['', `Average won size (${currency})`],
            rows: compare((s) => s.avgDealSize).map((r) => [r.group, cash(r.value)]),
          }}
        >
          <BarChart
            data={bars(
              (s) => s.avgDealSize,
              (v) => compactMoney(v, currency),
            )}
            margin={{ top: 22, right: 12 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="group" />
            <YAxis
              tickFormatter={(v: number) => compactMoney(v, currency)}
              width={64}
              domain={fromZero}
            />
            <Tooltip formatter={(v) => majorMoney(Number(v), currency)} />
            <Bar dataKey="value" name="Average size" fill={palette[0]} isAnimationActive={false}>
              <LabelList dataKey="text" position="top" />
            </Bar>
          </BarChart>
        </Chart>
        <Chart
          title="Cycle time of won deals, co-sold vs not"
          id="chart-cycle"
          table={{
            head: ['', 'Average cycle'],
            rows: compare((s) => s.avgCycleDays).map((r) => [r.group, days(r.value)]),
          }}
        >
          <BarChart
            data={bars(
              (s) => (s.avgCycleDays === null ? null : Math.round(s.avgCycleDays)),
              (v) => `${v} days`,
            )}
            margin={{ top: 22, right: 12 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="group" />
            <YAxis unit=" d" allowDecimals={false} width={56} domain={fromZero} />
            <Tooltip formatter={(v) => days(Number(v))} />
            <Bar dataKey="value" name="Cycle time" fill={palette[5]} isAnimationActive={false}>
              <LabelList dataKey="text" position="top" />
            </Bar>
          </BarChart>
        </Chart>
        <QuarterChart
          h={h}
          title="Sourced vs influenced pipeline by quarter"
          id="chart-pipeline"
          what="pipeline"
          sourced="sourcedPipeline"
          influenced="influencedPipeline"
        />
        <QuarterChart
          h={h}
          title="Sourced vs influenced revenue by quarter"
          id="chart-revenue"
          what="revenue"
          sourced="sourcedRevenue"
          influenced="influencedRevenue"
        />
      </div>
      <p className="sub">
        Sourced: the deal’s sealed attribution gives a partner the “sourced” split (or, with none
        sealed, a partner created the deal). Influenced: a partner took part otherwise.
      </p>
      <section aria-labelledby="first-deals-title">
        <h2 id="first-deals-title">First deals and their debriefs</h2>
        {h.firstDeals.length === 0 ? (
          <p className="empty">No first deals open or closed in this window.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="first-deals">
              <thead>
                <tr>
                  <th scope="col">Deal</th>
                  <th scope="col">Partner</th>
                  <th scope="col">Status</th>
                  <th scope="col">Debrief</th>
                </tr>
              </thead>
              <tbody>
                {h.firstDeals.map((f) => (
                  <tr key={f.dealId}>
                    <td>
                      <Link to={`/deals/${encodeURIComponent(f.dealId)}`}>
                        {titles.get(f.dealId) ?? 'Open the deal'}
                      </Link>
                    </td>
                    <td>{f.partners.map((id) => names.get(id) ?? id).join(', ')}</td>
                    <td>{f.status === 'open' ? 'In flight' : label(f.status)}</td>
                    <td>
                      {f.debrief === 'done' ? (
                        <Badge tone="ok">Done</Badge>
                      ) : f.debrief === 'missing' ? (
                        <Badge tone="warn">Missing</Badge>
                      ) : (
                        'Due when it closes'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function Buckets({
  defined,
  scored,
  onSaved,
}: {
  defined: number;
  scored: Scored[];
  onSaved: () => void;
}) {
  if (defined === 0)
    return (
      <>
        <p className="empty">
          No partner profiles yet. Define one per partner type: how much each dimension weighs, and
          the scores that make a partner one to recruit or nurture. Partners are then scored here.
        </p>
        <ProfileForm onSaved={onSaved} />
      </>
    );
  return (
    <>
      <div className="buckets">
        {buckets.map((b) => {
          const inBucket = scored.filter((s) => s.bucket === b.key);
          return (
            <section key={b.key} className="card" aria-labelledby={`bucket-${b.key}`}>
              <h3 id={`bucket-${b.key}`}>
                <Badge tone={b.tone}>{b.text}</Badge> {inBucket.length}
              </h3>
              {inBucket.length === 0 ? (
                <p className="sub">None.</p>
              ) : (
                <ul className="bucket-list">
                  {inBucket.map((s) => (
                    <li key={s.company.id}>
                      <strong>{s.company.name}</strong> {Math.round(s.score * 100)} / 100
                      <div className="sub">
                        {label(s.company.type)} ·{' '}
                        {s.company.status === 'partner' ? 'partner' : 'candidate (invited)'}
                        {s.unknown.length > 0 &&
                          ` · unknown: ${s.unknown.map((u) => label(u).toLowerCase()).join(', ')}`}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      <details className="profile-more">
        <summary>Define or change a partner profile</summary>
        <ProfileForm onSaved={onSaved} />
      </details>
    </>
  );
}
