import { useEffect, useState, type FormEvent } from 'react';
import { createApi, fetchJson } from '../api/api.ts';
import { toProblem, type Problem } from '../api/errors.ts';
import { Busy, ProblemNote } from '../ui/bits.tsx';
import { label } from '../ui/format.ts';
import { tokenExpiry, type Session } from './session.ts';

interface DemoCompany {
  slug: string;
  name: string;
  members: { email: string; name: string; role: string }[];
}

/** Mints a demo member's token (only while the server runs the demo). */
export async function demoSignIn(company: string, email: string): Promise<Session> {
  const issued = await fetchJson<{ token: string; expiresAt: number }>('/api/demo/token', {
    method: 'POST',
    body: JSON.stringify({ company, email }),
  });
  return { ...issued, demo: { company, email } };
}

type Mode = 'demo' | 'password' | 'token';

export function SignInPage({
  onSignedIn,
  notice,
}: {
  onSignedIn: (s: Session) => void;
  notice?: string | undefined;
}) {
  const [demo, setDemo] = useState<DemoCompany[] | null>(null);
  const [mode, setMode] = useState<Mode>('password');
  useEffect(() => {
    fetchJson<{ companies: DemoCompany[] }>('/api/demo/members').then(
      (d) => {
        if (d.companies.length === 0) return;
        setDemo(d.companies);
        setMode('demo');
      },
      () => undefined, // no demo on this server: email and password, or a token
    );
  }, []);
  const modes: [Mode, string][] = [
    ...(demo ? ([['demo', 'Demo member']] as [Mode, string][]) : []),
    ['password', 'Email and password'],
    ['token', 'Paste a token'],
  ];
  return (
    <main className="sign-in">
      <h1>Sign in to Tandem</h1>
      <p className="lede">The co-sell ledger you share with your partners.</p>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div role="tablist" aria-label="How to sign in" className="tabs">
        {modes.map(([m, text]) => (
          <button
            key={m}
            role="tab"
            type="button"
            aria-selected={mode === m}
            aria-controls={`signin-${m}`}
            onClick={() => setMode(m)}
          >
            {text}
          </button>
        ))}
      </div>
      <section id={`signin-${mode}`} role="tabpanel" className="card">
        {mode === 'demo' && demo && <DemoForm companies={demo} onSignedIn={onSignedIn} />}
        {mode === 'password' && <PasswordForm onSignedIn={onSignedIn} />}
        {mode === 'token' && <TokenForm onSignedIn={onSignedIn} />}
      </section>
    </main>
  );
}

function useSubmit(onSignedIn: (s: Session) => void) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const submit = async (get: () => Promise<Session>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      onSignedIn(await get());
    } catch (error) {
      setProblem(toProblem(error));
      setBusy(false);
    }
  };
  return { busy, problem, submit };
}

function DemoForm({
  companies,
  onSignedIn,
}: {
  companies: DemoCompany[];
  onSignedIn: (s: Session) => void;
}) {
  const [company, setCompany] = useState(companies[0]!.slug);
  const members = companies.find((c) => c.slug === company)?.members ?? [];
  const [email, setEmail] = useState(members[0]?.email ?? '');
  const { busy, problem, submit } = useSubmit(onSignedIn);
  const pickCompany = (slug: string) => {
    setCompany(slug);
    const first = companies.find((c) => c.slug === slug)?.members;
    setEmail(first?.find((m) => m.role === 'alliance')?.email ?? first?.[0]?.email ?? '');
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(() => demoSignIn(company, email));
  };
  return (
    <form onSubmit={onSubmit}>
      <p>This server runs the demo: pick a company and a member to act as.</p>
      <label>
        Company
        <select value={company} onChange={(e) => pickCompany(e.target.value)}>
          {companies.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Member
        <select value={email} onChange={(e) => setEmail(e.target.value)}>
          {members.map((m) => (
            <option key={m.email} value={m.email}>
              {m.name} — {label(m.role)}
            </option>
          ))}
        </select>
      </label>
      <ProblemNote problem={problem} />
      <button type="submit" disabled={busy || !email}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

function PasswordForm({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [company, setCompany] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, problem, submit } = useSubmit(onSignedIn);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      const issued = await createApi(() => undefined).auth.login.mutate({
        company,
        email,
        password,
      });
      return { token: issued.token, expiresAt: issued.expiresAt };
    });
  };
  return (
    <form onSubmit={onSubmit}>
      <label>
        Company
        <input
          value={company}
          onChange={(e) => setCompany(e.target.value)}
          placeholder="acme"
          autoComplete="organization"
          required
        />
      </label>
      <label>
        Email
        <input
          type="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoComplete="username"
          required
        />
      </label>
      <label>
        Password
        <input
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
        />
      </label>
      <ProblemNote problem={problem} />
      {busy && <Busy>Checking…</Busy>}
      <button type="submit" disabled={busy}>
        Sign in
      </button>
      <p className="hint">An admin of your company sets your password.</p>
    </form>
  );
}

function TokenForm({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [token, setToken] = useState('');
  const { busy, problem, submit } = useSubmit(onSignedIn);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      const t = token.trim();
      const expiresAt = tokenExpiry(t);
      if (!expiresAt || expiresAt * 1000 <= Date.now())
        throw new Error('this is not a current Tandem token (it is malformed or has expired)');
      // Checked by the server before the app opens.
      await createApi(() => t).companies.me.query();
      return { token: t, expiresAt };
    });
  };
  return (
    <form onSubmit={onSubmit}>
      <label>
        Access token
        <textarea
          value={token}
          onChange={(e) => setToken(e.target.value)}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          required
        />
      </label>
      <p className="hint">
        From <code>npx tandem token --company … --member …</code>; it lasts up to an hour and stays
        in this tab only.
      </p>
      <ProblemNote problem={problem} />
      <button type="submit" disabled={busy}>
        {busy ? 'Checking…' : 'Use this token'}
      </button>
    </form>
  );
}
