import { useState, type ReactElement } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Outputs } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, Busy, ProblemNote } from '../ui/bits.tsx';
import { date, label, majorMoney } from '../ui/format.ts';
import { Link } from '../ui/router.tsx';
import { useQuery } from '../ui/use-query.ts';

type Health = Outputs['programHealth']['get'];
type Scored = Outputs['partnerProfiles']['score'][number];

const palette = ['#2456c7', '#e08a1e', '#2ca02c', '#9467bd', '#d62728', '#17becf'];
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

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
const days = (x: number | null) => (x === null ? '—' : `${Math.round(x)} days`);

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
 * and their debriefs; and the partner profile buckets (`partnerProfiles.score`).
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
          <Buckets defined={profiles.data.defined.length} scored={profiles.data.scored} />
        ) : profiles.problem ? (
          <ProblemNote problem={profiles.problem} />
        ) : (
          <Busy>Scoring partners…</Busy>
        )}
      </section>
    </section>
  );
}

function HealthView({ h, titles }: { h: Health; titles: Map<string, string> }) {
  const currency = h.window.currency;
  const activation = [
    { name: 'Activated', value: h.partners.activated },
    { name: 'Paper', value: h.partners.paper },
  ];
  const paper = h.partners.list.filter((p) => !p.activated).map((p) => p.partner.name);
  const names = new Map(h.partners.list.map((p) => [p.partner.id, p.partner.name]));
  const compare = (pick: (s: Health['coSold']) => number | null) => [
    { group: 'Co-sold', value: pick(h.coSold) },
    { group: 'Not co-sold', value: pick(h.notCoSold) },
  ];
  return (
    <>
      <p className="sub">
        {date(h.window.from)} to {date(h.window.to)}; money in {currency}
        {h.otherCurrencyDeals > 0 &&
          ` (${h.otherCurrencyDeals} closed deals in other currencies are left out of the money figures)`}
        .
      </p>
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
        <Chart title="Activated vs paper partners" id="chart-activity">
          <PieChart>
            <Pie
              data={activation}
              dataKey="value"
              nameKey="name"
              outerRadius={90}
              label
              isAnimationActive={false}
            >
              {activation.map((a, i) => (
                <Cell key={a.name} fill={palette[i === 0 ? 2 : 1]} />
              ))}
            </Pie>
            <Tooltip />
            <Legend />
          </PieChart>
        </Chart>
        <Chart title="Concentration: revenue of the top ten partners" id="chart-concentration">
          <BarChart
            data={h.concentration.top.map((t) => ({ name: t.partner.name, amount: t.amount }))}
            layout="vertical"
            margin={{ left: 40 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" tickFormatter={(v: number) => majorMoney(v, currency)} />
            <YAxis type="category" dataKey="name" width={120} fontSize={11} />
            <Tooltip formatter={(v) => majorMoney(Number(v), currency)} />
            <Bar dataKey="amount" name="Revenue" fill={palette[0]} isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title="Win rate, co-sold vs not" id="chart-winrate">
          <BarChart
            data={compare((s) => (s.winRate === null ? null : Math.round(s.winRate * 100)))}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="group" />
            <YAxis unit="%" domain={[0, 100]} />
            <Tooltip />
            <Bar dataKey="value" name="Win rate %" fill={palette[3]} isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title="Average won deal size, co-sold vs not" id="chart-size">
          <BarChart data={compare((s) => s.avgDealSize)}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="group" />
            <YAxis tickFormatter={(v: number) => majorMoney(v, currency)} width={90} />
            <Tooltip formatter={(v) => majorMoney(Number(v), currency)} />
            <Bar dataKey="value" name="Average size" fill={palette[0]} isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title="Cycle time of won deals, co-sold vs not" id="chart-cycle">
          <BarChart
            data={compare((s) => (s.avgCycleDays === null ? null : Math.round(s.avgCycleDays)))}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="group" />
            <YAxis unit=" d" allowDecimals={false} />
            <Tooltip formatter={(v) => days(Number(v))} />
            <Bar dataKey="value" name="Cycle time" fill={palette[5]} isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title="Sourced vs influenced pipeline by quarter" id="chart-pipeline">
          <QuarterBars h={h} sourced="sourcedPipeline" influenced="influencedPipeline" />
        </Chart>
        <Chart title="Sourced vs influenced revenue by quarter" id="chart-revenue">
          <QuarterBars h={h} sourced="sourcedRevenue" influenced="influencedRevenue" />
        </Chart>
      </div>
      <p className="sub">
        Sourced: a partner created the deal. Influenced: you created it and a partner joined.
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

function QuarterBars({
  h,
  sourced,
  influenced,
}: {
  h: Health;
  sourced: keyof Health['byQuarter'][number];
  influenced: keyof Health['byQuarter'][number];
}) {
  const currency = h.window.currency;
  return (
    <BarChart data={h.byQuarter}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="quarter" fontSize={11} />
      <YAxis tickFormatter={(v: number) => majorMoney(v, currency)} width={90} />
      <Tooltip formatter={(v) => majorMoney(Number(v), currency)} />
      <Legend />
      <Bar dataKey={sourced} name="Sourced" fill={palette[0]} isAnimationActive={false} />
      <Bar dataKey={influenced} name="Influenced" fill={palette[1]} isAnimationActive={false} />
    </BarChart>
  );
}

function Buckets({ defined, scored }: { defined: number; scored: Scored[] }) {
  if (defined === 0)
    return (
      <p className="empty">
        No partner profiles yet. An admin defines one per partner type (weighted dimensions and
        recruit / nurture thresholds) with <code>partnerProfiles.set</code>; partners are then
        scored here.
      </p>
    );
  return (
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
  );
}

function Chart({ title, id, children }: { title: string; id: string; children: ReactElement }) {
  return (
    <figure className="card" aria-labelledby={`${id}-title`} data-testid="chart">
      <figcaption id={`${id}-title`}>
        <h2>{title}</h2>
      </figcaption>
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
