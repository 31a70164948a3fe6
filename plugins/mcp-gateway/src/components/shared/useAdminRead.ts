import { useCallback, useEffect, useRef, useState } from 'react';
import { isNotAdminError } from '../../api/AdminApiError';

/** How often the admin page reads again by default: a change made on another replica shows within seconds. */
export const DEFAULT_POLL_INTERVAL_MS = 3000;

export interface AdminRead<T> {
  /** The newest answer; kept while a later read fails or a new one loads. */
  value?: T;
  /** Why the newest read failed, if it did. */
  error?: Error;
  /** True until a read for the current `key` settles (`value` may be an older key's). */
  loading: boolean;
  /** Reads again now (e.g. after an action), and polls on from there. */
  refresh: () => Promise<void>;
  /** Changes the value in place until the next read replaces it (e.g. with an action's answer). */
  update: (change: (current: T | undefined) => T | undefined) => void;
}

interface State<T> {
  value?: T;
  error?: Error;
  /** The key the last settled read was for. */
  settledKey?: string;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Reads with `load` when mounted and whenever `key` changes; with
 * `pollIntervalMs`, also that long after each read settles (so reads never
 * overlap), skipping reads while the browser tab is hidden and catching up as
 * soon as it shows again. Only the newest read counts: one still in flight
 * is aborted and its answer ignored. A 403 stops the polling (being no admin
 * does not pass by itself); `refresh` starts it again.
 *
 * `load` may be a new function on every render; `key` says when what it
 * reads has changed.
 */
export function useAdminRead<T>(
  load: (signal: AbortSignal) => Promise<T>,
  options: { key?: string; pollIntervalMs?: number } = {},
): AdminRead<T> {
  const key = options.key ?? '';
  const { pollIntervalMs } = options;
  const [state, setState] = useState<State<T>>({});

  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  keyRef.current = key;
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const inFlight = useRef<AbortController>();
  const missedWhileHidden = useRef(false);
  const mounted = useRef(false);

  const read = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    missedWhileHidden.current = false;
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const current = ++generation.current;
    const readKey = keyRef.current;

    let keepPolling = true;
    try {
      const value = await loadRef.current(controller.signal);
      if (current !== generation.current) return;
      setState({ value, settledKey: readKey });
    } catch (error) {
      if (current !== generation.current) return;
      keepPolling = !isNotAdminError(error);
      setState(previous => ({
        value: previous.value,
        error: toError(error),
        settledKey: readKey,
      }));
    }
    if (!mounted.current || !keepPolling || pollIntervalMs === undefined) {
      return;
    }
    timer.current = setTimeout(() => {
      if (document.hidden) {
        missedWhileHidden.current = true;
      } else {
        read();
      }
    }, pollIntervalMs);
  }, [pollIntervalMs]);

  useEffect(() => {
    mounted.current = true;
    read();
    return () => {
      mounted.current = false;
      generation.current += 1;
      clearTimeout(timer.current);
      inFlight.current?.abort();
    };
  }, [read, key]);

  useEffect(() => {
    const onVisibilityChange = () => {
      if (!document.hidden && missedWhileHidden.current) read();
    };
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () =>
      document.removeEventListener('visibilitychange', onVisibilityChange);
  }, [read]);

  const update = useCallback(
    (change: (current: T | undefined) => T | undefined) =>
      setState(previous => ({ ...previous, value: change(previous.value) })),
    [],
  );

  return {
    value: state.value,
    error: state.error,
    loading: state.settledKey !== key,
    refresh: read,
    update,
  };
}
