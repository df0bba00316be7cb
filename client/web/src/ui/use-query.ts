import { useCallback, useEffect, useRef, useState } from 'react';
import { toProblem, type Problem } from '../api/errors.ts';
import { useApp } from '../app-context.tsx';

export interface QueryState<T> {
  data: T | undefined;
  problem: Problem | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when `key` changes and on `reload()`. A stale answer (the key moved on) is dropped;
 * a lost session goes to the app, which asks to sign in again.
 */
export function useQuery<T>(load: () => Promise<T>, key: string): QueryState<T> {
  const { handleProblem } = useApp();
  const [state, setState] = useState<{ data?: T; problem?: Problem; loading: boolean }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => {
        if (!live) return;
        const problem = handleProblem(toProblem(error));
        setState((s) => ({ ...s, problem, loading: false }));
      },
    );
    return () => {
      live = false;
    };
  }, [key, tick, handleProblem]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, problem: state.problem, loading: state.loading, reload };
}

/** Runs a write, tracking its progress and its problem for the form that started it. */
export function useAction() {
  const { handleProblem } = useApp();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>();
  const run = useCallback(
    async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true);
      setProblem(undefined);
      try {
        return await fn();
      } catch (error) {
        setProblem(handleProblem(toProblem(error)));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [handleProblem],
  );
  return { busy, problem, run, clear: () => setProblem(undefined) };
}
