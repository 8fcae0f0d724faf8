import { describe, expect, it } from 'vitest';
import { installLongTimers } from '../../local/long-timers';

describe('long timers (the local runtime)', () => {
  it('do not fire a timer of more than 24.8 days at once, and clear it; shorter timers are untouched', async () => {
    installLongTimers();
    const fired: string[] = [];
    const long = setTimeout(() => fired.push('long'), 30 * 86_400_000); // P30D: Node alone runs it after 1 ms
    setTimeout(() => fired.push('short'), 5);
    await new Promise((r) => setTimeout(r, 60));
    expect(fired).toStrictEqual(['short']);
    clearTimeout(long);
    expect(typeof long.unref).toBe('function');
  });
});
