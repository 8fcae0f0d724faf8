/**
 * Sends items in batches of `size` (AWS batch APIs: PutEvents, SendMessageBatch). A batch can fail in part:
 * `send` returns the items that failed, and they go again with exponential backoff, `rounds` times in all,
 * before `failure(n)` is thrown.
 */
export async function sendInBatches<T>(
  items: readonly T[],
  send: (batch: T[]) => Promise<T[]>,
  o: { size: number; rounds: number; backoffMs: number; sleep: (ms: number) => Promise<void>; failure: (n: number) => Error },
): Promise<void> {
  for (let i = 0; i < items.length; i += o.size) {
    let pending = items.slice(i, i + o.size);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === o.rounds) throw o.failure(pending.length);
      if (round > 0) await o.sleep(o.backoffMs * 2 ** round);
      pending = await send(pending);
    }
  }
}
