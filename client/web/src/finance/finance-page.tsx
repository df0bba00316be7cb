import { useState, type FormEvent } from 'react';
import type { Outputs } from '../api/types.ts';
import { ApiError, toProblem, type Problem } from '../api/errors.ts';
import { useApp } from '../app-context.tsx';
import { Busy, ProblemNote } from '../ui/bits.tsx';
import { date, label, money } from '../ui/format.ts';
import { useQuery } from '../ui/use-query.ts';
import { verifyInBrowser, type BrowserVerifyReport } from './verify-export.ts';
import '../ui/figures.css';

type Preview = Outputs['attribution']['exportPreview'];

function recentQuarters(count: number): string[] {
  const now = new Date();
  let year = now.getUTCFullYear();
  let q = Math.floor(now.getUTCMonth() / 3) + 1;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`${year}-Q${q}`);
    if (--q === 0) {
      q = 4;
      year--;
    }
  }
  return out;
}

/**
 * Streams a REST download with the session's token, reporting bytes and the text received so far
 * (chunk by chunk) as they arrive.
 */
async function download(
  url: string,
  token: string,
  onChunk: (bytes: number, chunk: string) => void,
): Promise<ArrayBuffer> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as
      { error?: ConstructorParameters<typeof ApiError>[0] } | undefined;
    throw new ApiError(body?.error);
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    onChunk(size, decoder.decode(value, { stream: true }));
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all.buffer;
}

/**
 * Counts the records of an export as its JSON streams in: each record (and the manifest) is a
 * JWS with one `"payload":` member; a member split across two chunks is caught by keeping the
 * previous chunk's tail.
 */
function recordCounter() {
  let tail = '';
  let seen = 0;
  return (chunk: string) => {
    const text = tail + chunk;
    const hits = text.split('"payload":').length - 1;
    const tailHits = tail.split('"payload":').length - 1;
    seen += hits - tailHits;
    tail = text.slice(-16);
    return seen;
  };
}

function save(data: ArrayBuffer, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type Step =
  | { phase: 'idle' }
  | { phase: 'exporting'; records: number; total: number; bytes: number; csv: boolean }
  | { phase: 'verifying'; done: number; total: number }
  | { phase: 'done'; report: BrowserVerifyReport };

/**
 * A period's signed attribution export: a preview of its records and totals first, then the JSON
 * and CSV downloaded and checked here, with progress for both, and the command that checks them
 * again offline.
 */
export function FinancePage() {
  const { api, token, handleProblem } = useApp();
  const quarters = recentQuarters(8);
  const [mode, setMode] = useState<'quarter' | 'range'>('quarter');
  const [period, setPeriod] = useState(quarters[0]!);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [step, setStep] = useState<Step>({ phase: 'idle' });
  const [problem, setProblem] = useState<Problem>();
  const ready = mode === 'quarter' || (from !== '' && to !== '' && from <= to);
  const query = mode === 'quarter' ? `period=${period}` : `from=${from}&to=${to}`;
  const name = mode === 'quarter' ? period : `${from}..${to}`;
  const preview = useQuery(
    async () =>
      ready
        ? api.attribution.exportPreview.query(mode === 'quarter' ? { period } : { from, to })
        : undefined,
    `preview:${ready ? query : ''}`,
  );

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const t = token() ?? '';
    const total = preview.data?.count ?? 0;
    try {
      const count = recordCounter();
      setStep({ phase: 'exporting', records: 0, total, bytes: 0, csv: false });
      const json = await download(`/api/v1/attribution/export.json?${query}`, t, (bytes, chunk) =>
        setStep({
          phase: 'exporting',
          records: Math.min(count(chunk), total),
          total,
          bytes,
          csv: false,
        }),
      );
      setStep({ phase: 'exporting', records: total, total, bytes: 0, csv: true });
      const csv = await download(`/api/v1/attribution/export.csv?${query}`, t, (bytes) =>
        setStep({ phase: 'exporting', records: total, total, bytes, csv: true }),
      );
      save(json, `tandem-attribution-${name}.json`, 'application/json');
      save(csv, `tandem-attribution-${name}.csv`, 'text/csv');
      setStep({ phase: 'verifying', done: 0, total: 0 });
      const report = await verifyInBrowser(new TextDecoder().decode(json), csv, (done, all) =>
        setStep({ phase: 'verifying', done, total: all }),
      );
      setStep({ phase: 'done', report });
    } catch (error) {
      setProblem(handleProblem(toProblem(error)));
      setStep({ phase: 'idle' });
    }
  };

  const busy = step.phase === 'exporting' || step.phase === 'verifying';
  return (
    <section aria-labelledby="finance-title">
      <h1 id="finance-title">Finance</h1>
      <form
        className="card finance-form"
        onSubmit={(e) => void run(e)}
        aria-label="Attribution export"
      >
        <fieldset>
          <legend>Period</legend>
          <label className="check">
            <input
              type="radio"
              name="mode"
              checked={mode === 'quarter'}
              onChange={() => setMode('quarter')}
            />
            A quarter
          </label>
          <label className="check">
            <input
              type="radio"
              name="mode"
              checked={mode === 'range'}
              onChange={() => setMode('range')}
            />
            Dates
          </label>
        </fieldset>
        {mode === 'quarter' ? (
          <label>
            Quarter
            <select value={period} onChange={(e) => setPeriod(e.target.value)}>
              {quarters.map((q) => (
                <option key={q}>{q}</option>
              ))}
            </select>
          </label>
        ) : (
          <>
            <label>
              From
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </label>
            <label>
              To
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
            </label>
          </>
        )}
        <button type="submit" disabled={busy || !ready || preview.loading}>
          Download the signed export and CSV
        </button>
      </form>
      <ProblemNote problem={problem} />
      <Progress step={step} />
      {step.phase === 'done' && (
        <div className="card" role="status" data-testid="verification">
          {step.report.ok ? (
            <p className="verify-ok">
              Verified: {step.report.records} {step.report.records === 1 ? 'record' : 'records'},{' '}
              {step.report.signatures} company signatures, the manifest and the CSV all check out.
            </p>
          ) : (
            <p className="verify-bad">Does not verify: {step.report.problem}.</p>
          )}
        </div>
      )}
      {!ready ? (
        <p className="sub">Choose the first and last day of the period to see what it holds.</p>
      ) : preview.data ? (
        <PreviewView p={preview.data} />
      ) : preview.problem ? (
        <ProblemNote problem={preview.problem} />
      ) : (
        <Busy>Reading the period’s records…</Busy>
      )}
    </section>
  );
}

function Progress({ step }: { step: Step }) {
  if (step.phase === 'exporting')
    return (
      <div className="progress" role="status">
        <label>
          {step.csv
            ? `Exporting: the CSV… ${(step.bytes / 1024).toFixed(0)} KiB`
            : `Exporting: ${step.records} of ${step.total} records (${(step.bytes / 1024).toFixed(0)} KiB)`}
          <progress
            data-testid="export-progress"
            max={step.total + 1}
            value={step.csv ? step.total : step.records}
          />
        </label>
      </div>
    );
  if (step.phase === 'verifying')
    return (
      <div className="progress" role="status">
        <label>
          {`Verifying: ${step.done} of ${step.total || '…'} signatures checked`}
          <progress data-testid="verify-progress" max={step.total || 1} value={step.done} />
        </label>
      </div>
    );
  return null;
}

/** The period's records before export: how many, the first ones, and the manifest's totals. */
function PreviewView({ p }: { p: Preview }) {
  const totals = p.totals;
  return (
    <section className="card preview" aria-labelledby="preview-title" data-testid="export-preview">
      <h2 id="preview-title">
        {p.period.label}: {p.count} {p.count === 1 ? 'record' : 'records'} to export
      </h2>
      <p className="sub">
        Sealed attributions closed {date(p.period.from)} to {date(p.period.to)}, each signed by
        every company in it.
      </p>
      {p.count === 0 ? (
        <p className="empty">No sealed attribution closed in this period.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table data-testid="preview-totals">
              <caption>Totals (the signed manifest carries these)</caption>
              <thead>
                <tr>
                  <th scope="col">Currency</th>
                  <th scope="col" className="num">
                    Records
                  </th>
                  <th scope="col" className="num">
                    Deal amounts
                  </th>
                  <th scope="col" className="num">
                    Your share
                  </th>
                </tr>
              </thead>
              <tbody>
                {totals.byCurrency.map((t) => (
                  <tr key={t.currency}>
                    <th scope="row">{t.currency}</th>
                    <td className="num">{t.records}</td>
                    <td className="num">{money(t.amountMinor, t.currency)}</td>
                    <td className="num">
                      {money(
                        totals.mineByCurrency.find((m) => m.currency === t.currency)?.amountMinor ??
                          0,
                        t.currency,
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {totals.mineReporting.length > 0 && (
            <p>
              Where your split carries the rate frozen at close, your share converted:{' '}
              {totals.mineReporting.map((m) => money(m.amountMinor, m.currency)).join(', ')}.
            </p>
          )}
          <div className="table-wrap">
            <table data-testid="preview-records">
              <caption>
                {p.first.length < p.count
                  ? `The first ${p.first.length} of ${p.count} records`
                  : 'The records'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Deal</th>
                  <th scope="col">Closed</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">Your split</th>
                  <th scope="col" className="num">
                    Your share
                  </th>
                  <th scope="col">Partners</th>
                </tr>
              </thead>
              <tbody>
                {p.first.map((r) => (
                  <tr key={`${r.dealId}:${r.version}`}>
                    <th scope="row">
                      {r.title}
                      {r.version > 1 && <span className="sub"> (version {r.version})</span>}
                    </th>
                    <td>{date(r.closeDate)}</td>
                    <td className="num">{money(r.amountMinor, r.currency)}</td>
                    <td>{r.mine ? `${label(r.mine.kind)}, ${r.mine.bps / 100}%` : '—'}</td>
                    <td className="num">
                      {r.mine ? money(r.mine.amountMinor, r.currency) : '—'}
                      {r.mine?.reporting && (
                        <div className="sub">
                          {money(r.mine.reporting.amountMinor, r.mine.reporting.currency)} at{' '}
                          {r.mine.reporting.rate}
                        </div>
                      )}
                    </td>
                    <td>
                      {r.partners
                        .map((x) => `${x.name} (${label(x.kind).toLowerCase()}, ${x.bps / 100}%)`)
                        .join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <VerifyCommand command={p.verifyCommand} />
    </section>
  );
}

/** The offline check, whole, in a box, with a button that copies all of it. */
function VerifyCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState<'yes' | 'no'>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div>
      <h3>Check it offline</h3>
      <p className="sub">
        After the download, this checks every signature, the manifest, the CSV and each record’s
        place in the partnership logs, without this server:
      </p>
      <div className="command">
        <pre data-testid="verify-command">
          <code>{command}</code>
        </pre>
        <button type="button" className="small" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      {copied && (
        <p role="status" className="sub">
          {copied === 'yes'
            ? 'Copied the whole command.'
            : 'Your browser did not allow copying: select the command and copy it.'}
        </p>
      )}
    </div>
  );
}
