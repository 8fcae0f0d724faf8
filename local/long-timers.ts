// Node runs a timer of more than 2^31 - 1 ms (24.8 days) after 1 ms, with a TimeoutOverflowWarning. The
// local runtime's timers are journey waits and task timeouts (aws-local-stepfunctions sets them from the ASL:
// a waitForEvent of P30D is a 2,592,000,000 ms Task timeout), so a long wait would end at once. Installed by
// the local runtime: a longer timer becomes a chain of shorter ones, and clearTimeout clears the chain.

const MAX_DELAY = 2 ** 31 - 1;
const INSTALLED = Symbol.for('open-journeys.long-timers');

type Handle = ReturnType<typeof setTimeout>;

export function installLongTimers(): void {
  const g = globalThis as typeof globalThis & { [INSTALLED]?: true };
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;
  const originalSet = globalThis.setTimeout;
  const originalClear = globalThis.clearTimeout;
  // The handle given out → the link of its chain that is pending now.
  const chains = new WeakMap<object, Handle>();

  const longSet = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    if (typeof ms !== 'number' || !(ms > MAX_DELAY)) return originalSet(callback, ms, ...args);
    const due = Date.now() + ms;
    const first = originalSet(function next() {
      const left = due - Date.now();
      if (left <= 0) return callback(...args);
      chains.set(first, originalSet(next, Math.min(left, MAX_DELAY)));
    }, MAX_DELAY);
    return first;
  }) as typeof setTimeout;
  Object.assign(longSet, originalSet); // util.promisify.custom and the like

  globalThis.setTimeout = longSet;
  globalThis.clearTimeout = ((handle?: Handle | string | number) => {
    const link = handle !== null && typeof handle === 'object' ? chains.get(handle) : undefined;
    if (link) originalClear(link);
    originalClear(handle as Handle);
  }) as typeof clearTimeout;
}
