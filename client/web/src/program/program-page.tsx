import { useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { builtinDimensions } from '../../../../shared/insights/partner-profile.ts';
import { partnerTypes } from '../../../../shared/tenancy/tenancy.ts';
import type { Outputs } from '../api/types.ts';
import { useApp } from '../app-context.tsx';
import { Badge, Busy, CodeOptions, ProblemNote } from '../ui/bits.tsx';
import { compactMoney, date, label, majorMoney, money } from '../ui/format.ts';
import { rolesWith } from '../ui/no-access.tsx';
import { Link } from '../ui/router.tsx';
import { useAction, useQuery } from '../ui/use-query.ts';
import '../ui/figures.css';

type Health = Outputs['programHealth']['get'];
type Scored = Outputs['partnerProfiles']['score'][number];
type Tally = Health['conversion']['closed'];

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

/** A name cut to fit an axis; the table view and the tooltip give it whole. */
const shorten = (name: string, max = 22) =>
  name.length > max ? `${name.slice(0, max - 1).trimEnd()}…` : name;

/** A bar chart element (not a component: ResponsiveContainer sizes the chart it is handed). */
function topPartnersChart(data: { name: string; amount: number }[], currency: string) {
  // Room for the longest (shortened) name at 11px on one line, so none is clipped or wrapped.
  const longest = Math.max(4, ...data.map((d) => shorten(d.name).length));
  return (
    <BarChart data={data} layout="vertical" margin={{ left: 4, right: 64, top: 4, bottom: 4 }}>
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis type="number" tickFormatter={(v: number) => compactMoney(v, currency)} />
      <YAxis
        type="category"
        dataKey="name"
        width={Math.min(180, 16 + longest * 6.6)}
        interval={0}
        tick={(t: { x: number | string; y: number | string; payload: { value: unknown } }) => (
          <text x={t.x} y={t.y} dx={-4} dy={4} textAnchor="end" fontSize={11} fill="#444">
            <title>{String(t.payload.value)}</title>
            {shorten(String(t.payload.value))}
          </text>
        )}
      />
      <Tooltip formatter={(v) => majorMoney(Number(v), currency)} />
      <Bar dataKey="amount" name="Revenue" fill={palette[0]} isAnimationActive={false}>
        <LabelList
          dataKey="amount"
          position="right"
          fontSize={11}
          formatter={(v) => compactMoney(Number(v), currency)}
        />
      </Bar>
    </BarChart>
  );
}

type QuarterKey = 'sourcedPipeline' | 'influencedPipeline' | 'sourcedRevenue' | 'influencedRevenue';

/**
 * Sourced and influenced amounts by quarter. A series that is zero in every quarter is not drawn
 * (a flat line of zeros says nothing): a sentence under the chart says so, and why it can be.
 */
function QuarterChart({
  h,
  title,
  id,
  what,
  sourced,
  influenced,
}: {
  h: Health;
  title: string;
  id: string;
  what: 'pipeline' | 'revenue';
  sourced: QuarterKey;
  influenced: QuarterKey;
}) {
  const currency = h.window.currency;
  const rows = h.byQuarter;
  const has = (k: QuarterKey) => rows.some((q) => q[k] !== 0);
  const series = [
    { key: sourced, name: 'Sourced', fill: palette[0] },
    { key: influenced, name: 'Influenced', fill: palette[1] },
  ].filter((s) => has(s.key));
  const missing = [
    !has(sourced) &&
      `No partner-sourced ${what} in this window: no deal was credited to a partner as sourced in its sealed attribution, or created by one.`,
    !has(influenced) && `No partner-influenced ${what} in this window.`,
  ].filter((x): x is string => typeof x === 'string');
  return (
    <Chart
      title={title}
      id={id}
      table={{
        head: ['Quarter', `Sourced (${currency})`, `Influenced (${currency})`],
        rows: rows.map((q) => [
          q.quarter,
          majorMoney(q[sourced], currency),
          majorMoney(q[influenced], currency),
        ]),
      }}
      empty={series.length === 0 ? `No partner ${what} in this window.` : undefined}
      note={series.length > 0 && missing.length > 0 ? missing.join(' ') : undefined}
    >
      <BarChart data={rows} margin={{ top: 22, right: 12 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="quarter" fontSize={11} interval={0} />
        <YAxis tickFormatter={(v: number) => compactMoney(v, currency)} width={64} />
        <Tooltip formatter={(v) => majorMoney(Number(v), currency)} />
        <Legend />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.fill} isAnimationActive={false}>
            <LabelList
              dataKey={s.key}
              position="top"
              fontSize={10}
              formatter={(v) => (Number(v) === 0 ? '' : compactMoney(Number(v), currency, 2))}
            />
          </Bar>
        ))}
      </BarChart>
    </Chart>
  );
}

/**
 * A chart with its values written on it, and the same numbers as a table on demand (whole, not
 * compact; for screen readers and touch, where a tooltip needs a hover).
 */
function Chart({
  title,
  id,
  table,
  empty,
  note,
  children,
}: {
  title: string;
  id: string;
  table: { head: string[]; rows: string[][] };
  empty?: string;
  note?: ReactNode;
  children: ReactElement;
}) {
  const [asTable, setAsTable] = useState(false);
  return (
    <figure className="card" aria-labelledby={`${id}-title`} data-testid="chart">
      <figcaption id={`${id}-title`} className="chart-head">
        <h2>{title}</h2>
        {!empty && (
          <button
            type="button"
            className="quiet small"
            aria-pressed={asTable}
            onClick={() => setAsTable((t) => !t)}
          >
            {asTable ? 'Show the chart' : 'Show the numbers'}
          </button>
        )}
      </figcaption>
      {empty ? (
        <p className="empty">{empty}</p>
      ) : asTable ? (
        <div className="table-wrap">
          <table className="chart-table">
            <thead>
              <tr>
                {table.head.map((h, i) => (
                  <th key={i} scope="col" className={i > 0 ? 'num' : undefined}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={j} className="num">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div className="chart">
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      )}
      {note && <p className="sub chart-note">{note}</p>}
    </figure>
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

const dimensionHelp: Record<(typeof builtinDimensions)[number], string> = {
  account_overlap: 'accounts you both hold',
  segment_fit: 'won deals in your target segments',
  motion_fit: 'their type fits how you sell',
  selling_capacity: 'deals a year with you',
};

/** Sets the profile of one partner type through `partnerProfiles.set` (partners:manage). */
function ProfileForm({ onSaved }: { onSaved: () => void }) {
  const { api, can } = useApp();
  const save = useAction();
  const [partnerType, setPartnerType] = useState<(typeof partnerTypes)[number]>('reseller');
  const [weights, setWeights] = useState<Record<string, string>>(
    Object.fromEntries(builtinDimensions.map((d) => [d, '1'])),
  );
  const [recruit, setRecruit] = useState('60');
  const [nurture, setNurture] = useState('30');
  const [saved, setSaved] = useState<string>();

  if (!can('partners:manage'))
    return (
      <p className="sub">
        Partner profiles are defined by {rolesWith('partners:manage').join(' or ')} members of your
        company.
      </p>
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(undefined);
    const done = await save.run(() =>
      api.partnerProfiles.set.mutate({
        partnerType,
        dimensions: builtinDimensions.map((key) => ({ key, weight: Number(weights[key] || 0) })),
        thresholds: { recruit: Number(recruit) / 100, nurture: Number(nurture) / 100 },
      }),
    );
    if (done) {
      setSaved(`Saved the ${label(partnerType).toLowerCase()} profile.`);
      onSaved();
    }
  };

  return (
    <form
      className="card profile-form"
      aria-label="Partner profile"
      onSubmit={(e) => void submit(e)}
    >
      <label>
        Partner type
        <select
          value={partnerType}
          onChange={(e) => setPartnerType(e.target.value as (typeof partnerTypes)[number])}
        >
          <CodeOptions codes={partnerTypes} />
        </select>
      </label>
      <fieldset>
        <legend>Weights (0–100)</legend>
        <div className="profile-weights">
          {builtinDimensions.map((d) => (
            <label key={d}>
              {label(d)}
              <input
                type="number"
                min={0}
                max={100}
                step="any"
                inputMode="decimal"
                value={weights[d]}
                onChange={(e) => setWeights({ ...weights, [d]: e.target.value })}
                aria-describedby={`help-${d}`}
              />
              <span className="sub" id={`help-${d}`}>
                {dimensionHelp[d]}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Buckets by score</legend>
        <div className="profile-weights">
          <label>
            Recruit at (%)
            <input
              type="number"
              min={0}
              max={100}
              value={recruit}
              onChange={(e) => setRecruit(e.target.value)}
            />
          </label>
          <label>
            Nurture at (%)
            <input
              type="number"
              min={0}
              max={100}
              value={nurture}
              onChange={(e) => setNurture(e.target.value)}
            />
          </label>
        </div>
      </fieldset>
      <ProblemNote problem={save.problem} />
      <div className="actions">
        <button type="submit" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save the profile'}
        </button>
        {saved && (
          <span role="status" className="sub">
            {saved}
          </span>
        )}
      </div>
    </form>
  );
}
