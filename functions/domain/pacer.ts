/**
 * Spaces calls at most `perSecond` a second, on the caller's clock: each call waits for its slot, the first one
 * too (so batches run one after another keep the pace across their boundary). With `concurrency` pacers each at
 * rate/concurrency, a run keeps to its rate.
 */
export function pacer(perSecond: number, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)), now: () => number = () => performance.now()) {
  const interval = 1000 / perSecond;
  let next = now() + interval;
  return async () => {
    const t = now();
    const wait = next - t;
    next = Math.max(next, t) + interval;
    if (wait > 0) await sleep(wait);
  };
}
