import type { ReactElement } from 'react';
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
import type { DealView } from '../../../../shared/opportunities/deal-view.schema.ts';
import { useApp } from '../app-context.tsx';
import { Busy, ProblemNote } from '../ui/bits.tsx';
import { label } from '../ui/format.ts';
import { useQuery } from '../ui/use-query.ts';
import { programData } from './program-data.ts';

const palette = ['#2456c7', '#e08a1e', '#2ca02c', '#9467bd', '#d62728', '#17becf'];

/** Partner-program health as charts: activated vs paper, concentration, co-sold vs not. */
export function ProgramPage() {
  const { api, me } = useApp();
  const data = useQuery(async () => {
    const deals: DealView[] = [];
    let cursor: string | undefined;
    // Every deal, a page at a time (the demo has a few hundred).
    for (let page = 0; page < 25; page++) {
      const r = await api.opportunities.list.query({ limit: 200, ...(cursor ? { cursor } : {}) });
      deals.push(...r.items);
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    const partnerships = await api.partnerships.list.query();
    return programData(deals, partnerships, me.company.id);
  }, 'program');
  if (!data.data)
    return data.problem ? (
      <ProblemNote problem={data.problem} />
    ) : (
      <Busy>Gathering the program…</Busy>
    );
  const d = data.data;
  return (
    <section aria-labelledby="program-title">
      <h1 id="program-title">Program</h1>
      <div className="stats">
        <div className="stat">
          <strong>{d.activated.length}</strong>activated partners
        </div>
        <div className="stat">
          <strong>{d.paper.length}</strong>paper partners
          {d.paper.length > 0 && <div className="sub">{d.paper.join(', ')}</div>}
        </div>
        {d.winRates.map((w) => (
          <div className="stat" key={w.group}>
            <strong>{Math.round(w.winRate * 100)}%</strong>win rate, {w.group.toLowerCase()} (
            {w.deals} closed)
          </div>
        ))}
      </div>
      <div className="charts">
        <Chart title="Open pipeline by stage" id="chart-stage">
          <BarChart data={d.byStage.map((s) => ({ ...s, stage: label(s.stage) }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="stage" fontSize={11} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar
              dataKey="coSold"
              name="Co-sold"
              stackId="a"
              fill={palette[0]}
              isAnimationActive={false}
            />
            <Bar
              dataKey="direct"
              name="Direct"
              stackId="a"
              fill={palette[1]}
              isAnimationActive={false}
            />
          </BarChart>
        </Chart>
        <Chart title="Deals by partner" id="chart-partners">
          <BarChart data={d.byPartner} layout="vertical" margin={{ left: 40 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="partner" width={120} fontSize={11} />
            <Tooltip />
            <Legend />
            <Bar dataKey="won" name="Won" stackId="a" fill={palette[2]} isAnimationActive={false} />
            <Bar
              dataKey="open"
              name="Open"
              stackId="a"
              fill={palette[0]}
              isAnimationActive={false}
            />
            <Bar
              dataKey="lost"
              name="Lost"
              stackId="a"
              fill={palette[4]}
              isAnimationActive={false}
            />
          </BarChart>
        </Chart>
        <Chart title="Activated vs paper partners" id="chart-activity">
          <PieChart>
            <Pie
              data={d.activity}
              dataKey="value"
              nameKey="name"
              outerRadius={90}
              label
              isAnimationActive={false}
            >
              {d.activity.map((a, i) => (
                <Cell key={a.name} fill={palette[i === 0 ? 2 : 1]} />
              ))}
            </Pie>
            <Tooltip />
            <Legend />
          </PieChart>
        </Chart>
        <Chart title="Concentration: won deals by partner" id="chart-concentration">
          <PieChart>
            <Pie
              data={d.concentration}
              dataKey="value"
              nameKey="name"
              outerRadius={90}
              label
              isAnimationActive={false}
            >
              {d.concentration.map((a, i) => (
                <Cell key={a.name} fill={palette[i % palette.length]} />
              ))}
            </Pie>
            <Tooltip />
            <Legend />
          </PieChart>
        </Chart>
        <Chart title="Won deals by quarter, co-sold vs direct" id="chart-quarters">
          <BarChart data={d.wonByQuarter}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="quarter" fontSize={11} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar
              dataKey="coSold"
              name="Co-sold"
              stackId="a"
              fill={palette[0]}
              isAnimationActive={false}
            />
            <Bar
              dataKey="direct"
              name="Direct"
              stackId="a"
              fill={palette[1]}
              isAnimationActive={false}
            />
          </BarChart>
        </Chart>
        <Chart title="Win rate, co-sold vs direct" id="chart-winrate">
          <BarChart data={d.winRates.map((w) => ({ ...w, percent: Math.round(w.winRate * 100) }))}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="group" />
            <YAxis unit="%" domain={[0, 100]} />
            <Tooltip />
            <Bar dataKey="percent" name="Win rate" fill={palette[3]} isAnimationActive={false} />
          </BarChart>
        </Chart>
      </div>
      <p className="sub">Computed from the deals your company takes part in.</p>
    </section>
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
