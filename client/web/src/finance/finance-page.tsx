import { useState, type FormEvent } from 'react';
import { ApiError, toProblem, type Problem } from '../api/errors.ts';
import { useApp } from '../app-context.tsx';
import { ProblemNote } from '../ui/bits.tsx';
import { verifyInBrowser, type BrowserVerifyReport } from './verify-export.ts';

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

/** Streams a REST download with the session's token, reporting bytes as they arrive. */
async function download(
  url: string,
  token: string,
  onBytes: (n: number) => void,
): Promise<ArrayBuffer> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as
      { error?: ConstructorParameters<typeof ApiError>[0] } | undefined;
    throw new ApiError(body?.error);
  }
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    onBytes(size);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all.buffer;
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
  | { phase: 'downloading'; bytes: number }
  | { phase: 'verifying'; done: number; total: number }
  | { phase: 'done'; report: BrowserVerifyReport };

/** A period's signed attribution export: download JSON and CSV, and check them here. */
export function FinancePage() {
  const { token, can, handleProblem } = useApp();
  const quarters = recentQuarters(8);
  const [mode, setMode] = useState<'quarter' | 'range'>('quarter');
  const [period, setPeriod] = useState(quarters[0]!);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [step, setStep] = useState<Step>({ phase: 'idle' });
  const [problem, setProblem] = useState<Problem>();
  const query = mode === 'quarter' ? `period=${period}` : `from=${from}&to=${to}`;
  const name = mode === 'quarter' ? period : `${from}..${to}`;

  const run = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(undefined);
    const t = token() ?? '';
    try {
      setStep({ phase: 'downloading', bytes: 0 });
      const json = await download(`/api/v1/attribution/export.json?${query}`, t, (bytes) =>
        setStep({ phase: 'downloading', bytes }),
      );
      const csv = await download(`/api/v1/attribution/export.csv?${query}`, t, (bytes) =>
        setStep({ phase: 'downloading', bytes }),
      );
      save(json, `tandem-attribution-${name}.json`, 'application/json');
      save(csv, `tandem-attribution-${name}.csv`, 'text/csv');
      setStep({ phase: 'verifying', done: 0, total: 0 });
      const report = await verifyInBrowser(new TextDecoder().decode(json), csv, (done, total) =>
        setStep({ phase: 'verifying', done, total }),
      );
      setStep({ phase: 'done', report });
    } catch (error) {
      setProblem(handleProblem(toProblem(error)));
      setStep({ phase: 'idle' });
    }
  };

  if (!can('export:read'))
    return (
      <section>
        <h1>Finance</h1>
        <p>The finance export is for finance and admin members of your company.</p>
      </section>
    );
  const busy = step.phase === 'downloading' || step.phase === 'verifying';
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
        <button type="submit" disabled={busy}>
          Download the signed export and CSV
        </button>
      </form>
      <ProblemNote problem={problem} />
      {step.phase === 'downloading' && (
        <p role="status">Downloading… {(step.bytes / 1024).toFixed(0)} KiB</p>
      )}
      {step.phase === 'verifying' && (
        <div role="status">
          <label>
            Checking signatures
            <progress max={step.total || 1} value={step.done} />
          </label>
        </div>
      )}
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
          <p className="sub">
            Check it again offline with{' '}
            <code>npx tandem verify tandem-attribution-{name}.json --jwks …</code>.
          </p>
        </div>
      )}
    </section>
  );
}
