import { useState, type ReactElement, type ReactNode } from 'react';
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
import type { Outputs } from '../api/types.ts';
import { compactMoney, majorMoney } from '../ui/format.ts';

// The program page's charts: each writes its values on itself and has a table view (touch screens
// have no hover).

type Health = Outputs['programHealth']['get'];

export const palette = ['#2456c7', '#e08a1e', '#2ca02c', '#9467bd', '#d62728', '#17becf'];

/** A name cut to fit an axis; the table view and the tooltip give it whole. */
const shorten = (name: string, max = 22) =>
  name.length > max ? `${name.slice(0, max - 1).trimEnd()}…` : name;

/** A bar chart element (not a component: ResponsiveContainer sizes the chart it is handed). */
export function topPartnersChart(data: { name: string; amount: number }[], currency: string) {
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
export function QuarterChart({
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
export function Chart({
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
