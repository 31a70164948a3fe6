/**
 * A service whose every method first checks the call's signal and whose
 * every answer is raced against it: once a call is cut (the kill switch,
 * or the client went away), no further downstream request starts, and
 * nothing waits for one already under way.
 */
export function abortable<T extends object>(
  service: T,
  signal: AbortSignal,
): T {
  return new Proxy(service, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        signal.throwIfAborted();
        const result = value.apply(target, args);
        return result instanceof Promise ? raced(result, signal) : result;
      };
    },
  });
}

/** The promise's outcome, or the signal's reason as soon as it aborts. */
export function raced<T>(result: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    result
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', abort));
  });
}
