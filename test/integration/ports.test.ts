import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../local/runtime';

// Embedded runtimes (tests, jo simulate, bench) side by side, or beside npm start: none takes a fixed port.

describe('embedded local runtimes', () => {
  it('take free ports by default, so two at once never collide', async () => {
    const options = { workspace: 'test/fixtures/workspaces/inbox', logLevel: 'SILENT', audiencePassEveryMs: 0, schedules: false } as const;
    const [a, b] = await Promise.all([startLocalRuntime(options), startLocalRuntime(options)]);
    try {
      const ports = (r: typeof a) => [r.apiUrl, r.mailUrl, r.messagingUrl, r.dynamoUrl].map((u) => new URL(u).port);
      expect(new Set([...ports(a), ...ports(b)]).size).toBe(8);
      expect([...ports(a), ...ports(b)]).not.toContain('8007');
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
