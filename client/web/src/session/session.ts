/**
 * The signed-in session: the member token and when it expires, in sessionStorage (gone when the
 * tab closes; never in a URL or a log). A demo session remembers whom it signed in as, so an
 * expired token can be minted again without asking.
 */
export interface Session {
  token: string;
  /** Epoch seconds. */
  expiresAt: number;
  demo?: { company: string; email: string };
}

const key = 'tandem.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(key);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return session.expiresAt * 1000 > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(key, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(key);
}

/** The `exp` of a pasted JWT (without verifying it: the server does that on every call). */
export function tokenExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
      exp?: unknown;
    };
    return typeof json.exp === 'number' ? json.exp : null;
  } catch {
    return null;
  }
}
