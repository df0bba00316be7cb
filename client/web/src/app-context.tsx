import { createContext, useContext } from 'react';
import type { Api } from './api/api.ts';
import type { Problem } from './api/errors.ts';

export interface Me {
  company: { id: string; slug: string; name: string };
  principal: {
    kind: string;
    id: string;
    scopes: string[];
    name: string | null;
    email: string | null;
  };
}

export interface AppState {
  api: Api;
  me: Me;
  /** The current token (for REST downloads and the sync socket); never put it in a URL bar. */
  token: () => string | undefined;
  can: (scope: string) => boolean;
  /** Sends a lost session to the sign-in screen; returns the problem for the caller to show. */
  handleProblem: (problem: Problem) => Problem;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside the signed-in app');
  return state;
}
