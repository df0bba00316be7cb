import type { ReactNode } from 'react';
import { issueText, type Problem } from '../api/errors.ts';
import { label } from './format.ts';

/** A problem, said plainly, announced to screen readers. */
export function ProblemNote({ problem }: { problem: Problem | undefined }) {
  if (!problem) return null;
  return (
    <div className="problem" role="alert">
      <p>{problem.message}</p>
      {problem.issues.length > 0 && (
        <ul>
          {problem.issues.map((i) => (
            <li key={i.path + i.message}>{issueText(i)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Busy({ children = 'Loading…' }: { children?: ReactNode }) {
  return (
    <p className="busy" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {children}
    </p>
  );
}

export function Badge({ tone = 'plain', children }: { tone?: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** The options of a select over a fixed list of codes, each shown as words. */
export function CodeOptions({ codes }: { codes: readonly string[] }) {
  return (
    <>
      {codes.map((code) => (
        <option key={code} value={code}>
          {label(code)}
        </option>
      ))}
    </>
  );
}
