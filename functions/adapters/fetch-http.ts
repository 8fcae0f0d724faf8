import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isLoopback, isPublicAddress } from '../domain/address-guard';
import type { HttpCaller } from '../ports';

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
}

/**
 * HTTP by the platform's fetch, after checking every address the host resolves to (no private, link-local or
 * metadata address; loopback only where allowed, for the local runtime). Redirects are not followed: one
 * could point inside. What is checked is resolved again by fetch, so a DNS answer that changes in between
 * (rebinding) is the remaining gap; VPC egress rules are the place to close it fully.
 */
export class FetchHttpCaller implements HttpCaller {
  constructor(private readonly options: { allowLoopback: boolean }) {}

  private async check(host: string): Promise<void> {
    const bare = host.replace(/^\[|\]$/g, '');
    const addresses = isIP(bare) ? [bare] : (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
    for (const address of addresses) {
      if (isPublicAddress(address) || (this.options.allowLoopback && isLoopback(address))) continue;
      throw new BlockedAddressError(`${host} resolves to ${address}, which webhooks may not reach`);
    }
  }

  async call(request: { method: string; url: string; headers: Record<string, string>; body?: string; timeoutMs: number }): Promise<{ status: number }> {
    await this.check(new URL(request.url).hostname);
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    await response.body?.cancel();
    return { status: response.status };
  }
}
