import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { executionName } from '../../functions/domain/journey-start';
import { eventually, mailTo, postEvents } from './helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  // Waits at 1/100,000: nine hours of quiet pass in a third of a second.
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/quiet', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, timeScale: 0.00001, audiencePassEveryMs: 0, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

/** A fixed-offset zone where it is 23:xx now. */
function zoneAt23(now = new Date()): string {
  const offset = ((23 - now.getUTCHours() + 12 + 24) % 24) - 12;
  return offset >= 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

describe('quiet hours, in the local runtime', () => {
  it('a marketing send at 23:00 local waits for the window to end (08:00 there), then goes; a transactional one goes at once', async () => {
    const timeZone = zoneAt23();
    expect(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date())).toBe('23');
    await postEvents(runtime, { id: 'night-1', type: 'promo.requested', profileId: 'u-owl', attributes: { email: 'owl@example.com', timeZone }, properties: {} });
    await postEvents(runtime, { id: 'night-2', type: 'order.paid', profileId: 'u-owl', properties: {} });
    await runtime.idle();
    const subjects = (await mailTo(runtime, 'owl@example.com')).map((m) => m.subject);
    expect(subjects.sort()).toStrictEqual(['Our weekend sale', 'Your receipt']);

    const promo = runtime.stepFunctions.run(executionName('promo', 'u-owl', 'night-1'))!;
    // Deferred once (the wait), then sent: the same visit, so still one ledger entry and one email.
    expect(promo.states).toStrictEqual(['mail', 'mail.deferred?', 'mail.quiet', 'mail', 'mail.deferred?', 'done']);
    const receipt = runtime.stepFunctions.run(executionName('receipt', 'u-owl', 'night-2'))!;
    expect(receipt.states).toStrictEqual(['mail', 'mail.deferred?', 'done']);
    const output = promo.output as { steps: { mail: { status: string; visit: number } } };
    expect(output.steps.mail).toMatchObject({ status: 'sent', visit: 1 });
  });

  it('when it is not quiet where the person is, the send goes at once', async () => {
    const noon = ((12 - new Date().getUTCHours() + 12 + 24) % 24) - 12;
    const timeZone = noon >= 0 ? `Etc/GMT-${noon}` : `Etc/GMT+${-noon}`;
    await postEvents(runtime, { id: 'day-1', type: 'promo.requested', profileId: 'u-lark', attributes: { email: 'lark@example.com', timeZone }, properties: {} });
    await eventually(async () => (await mailTo(runtime, 'lark@example.com')).length === 1);
    await runtime.idle();
    const promo = runtime.stepFunctions.run(executionName('promo', 'u-lark', 'day-1'))!;
    expect(promo.states).toStrictEqual(['mail', 'mail.deferred?', 'done']);
  });
});
