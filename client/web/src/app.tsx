import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createApi } from './api/api.ts';
import { isSessionProblem, toProblem, type Problem } from './api/errors.ts';
import { AppContext, useApp, type AppState, type Me } from './app-context.tsx';
import { DealRoomPage } from './deal-room/deal-room-page.tsx';
import { FinancePage } from './finance/finance-page.tsx';
import { PipelinePage } from './pipeline/pipeline-page.tsx';
import { ProgramPage } from './program/program-page.tsx';
import { clearSession, loadSession, saveSession, type Session } from './session/session.ts';
import { demoSignIn, SignInPage } from './session/sign-in-page.tsx';
import { Busy, ProblemNote } from './ui/bits.tsx';
import { WitnessAlarms } from './ui/witness-alarms.tsx';
import { NoAccess } from './ui/no-access.tsx';
import { Link, navigate, usePath } from './ui/router.tsx';
import { WebhooksPage } from './webhooks/webhooks-page.tsx';
import './ui/phone.css';

/** The app: the sign-in screen until there is a session, then the pages. */
export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState<string>();
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const signIn = useCallback((s: Session) => {
    saveSession(s);
    setNotice(undefined);
    setSession(s);
  }, []);
  const signOut = useCallback((why?: string) => {
    clearSession();
    setSession(null);
    setNotice(why);
  }, []);

  // A token lasts at most an hour: a demo session mints a new one a minute before; any other
  // session goes back to the sign-in screen when it runs out.
  useEffect(() => {
    if (!session) return;
    const ms = session.expiresAt * 1000 - Date.now() - (session.demo ? 60_000 : 0);
    const timer = setTimeout(
      () => {
        if (session.demo)
          demoSignIn(session.demo.company, session.demo.email).then(signIn, () =>
            signOut('Your session has ended. Please sign in again.'),
          );
        else signOut('Your session has ended. Please sign in again.');
      },
      Math.max(ms, 0),
    );
    return () => clearTimeout(timer);
  }, [session, signIn, signOut]);

  if (!session) return <SignInPage onSignedIn={signIn} notice={notice} />;
  return <SignedIn session={session} sessionRef={sessionRef} signOut={signOut} />;
}

function SignedIn({
  session,
  sessionRef,
  signOut,
}: {
  session: Session;
  sessionRef: { current: Session | null };
  signOut: (why?: string) => void;
}) {
  const token = useCallback(() => sessionRef.current?.token, [sessionRef]);
  const api = useMemo(() => createApi(token), [token]);
  const [me, setMe] = useState<Me>();
  const [problem, setProblem] = useState<Problem>();

  const handleProblem = useCallback(
    (p: Problem) => {
      if (isSessionProblem(p)) signOut(p.message);
      return p;
    },
    [signOut],
  );

  useEffect(() => {
    api.companies.me.query().then(setMe, (error: unknown) => {
      setProblem(handleProblem(toProblem(error)));
    });
  }, [api, session.token, handleProblem]);

  const state: AppState | undefined = useMemo(
    () =>
      me && {
        api,
        me,
        token,
        can: (scope: string) => me.principal.scopes.includes(scope),
        handleProblem,
      },
    [api, me, token, handleProblem],
  );

  if (!state) return problem ? <ProblemNote problem={problem} /> : <Busy>Signing in…</Busy>;
  return (
    <AppContext.Provider value={state}>
      <Shell
        onSignOut={() => {
          // Best effort: the token stops working on the server too.
          api.tokens.revokeCurrent.mutate().catch(() => undefined);
          signOut('You are signed out.');
        }}
      />
    </AppContext.Provider>
  );
}

/**
 * The pages and the permission each needs (what its procedures check: server routers name the
 * scope; shared/tenancy/tenancy.ts gives each role its scopes). The navigation shows only the
 * pages the signed-in member can use.
 */
const pages: { path: string; text: string; scope: string }[] = [
  { path: '/pipeline', text: 'Pipeline', scope: 'opportunities:read' },
  { path: '/program', text: 'Program', scope: 'partners:read' },
  { path: '/finance', text: 'Finance', scope: 'export:read' },
  { path: '/webhooks', text: 'Webhooks', scope: 'webhooks:manage' },
];

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const { me, can } = useApp();
  const path = usePath();
  // On a phone the header folds behind a menu button; a new page folds it again.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    setMenuOpen(false);
    if (path === '/' || path === '/index.html') navigate('/pipeline');
  }, [path]);
  const deal = /^\/deals\/([^/]+)$/.exec(path)?.[1];
  const barred = pages.find((p) => p.path === path && !can(p.scope));
  let page;
  if (barred) page = <NoAccess page={barred.text} scope={barred.scope} />;
  else if (deal) page = <DealRoomPage dealId={decodeURIComponent(deal)} />;
  else if (path === '/program') page = <ProgramPage />;
  else if (path === '/finance') page = <FinancePage />;
  else if (path === '/webhooks') page = <WebhooksPage />;
  else if (path === '/pipeline' || path === '/') page = <PipelinePage />;
  else
    page = (
      <p role="alert">
        There is no page here. Go to the <Link to="/pipeline">pipeline</Link>.
      </p>
    );
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Tandem</span>
        <button
          type="button"
          className="quiet menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="top-menu"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <div className="top-menu" id="top-menu" data-open={menuOpen}>
          <nav aria-label="Main">
            {pages
              .filter((p) => can(p.scope))
              .map((p) => (
                <Link
                  key={p.path}
                  to={p.path}
                  aria-current={path.startsWith(p.path) ? 'page' : undefined}
                >
                  {p.text}
                </Link>
              ))}
          </nav>
          <span className="who" data-testid="signed-in-as">
            {me.principal.name ?? me.principal.id} · {me.company.name}
          </span>
          <button type="button" className="quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <WitnessAlarms />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}
