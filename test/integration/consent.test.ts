import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailTo, postEvents } from './helpers';

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ workspace: 'test/fixtures/workspaces/consent', apiPort: 0, sesPort: 0, dynamoPort: 0, messagingPort: 0, audiencePassEveryMs: 0, logLevel: 'SILENT' });
});
afterAll(async () => runtime?.stop());

const profile = async (id: string) => (await (await fetch(`${runtime.apiUrl}/profiles/${id}`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { consents: Record<string, Record<string, { status: string }>> };
const subjects = async (to: string) => (await mailTo(runtime, to)).map((m) => m.subject);
let n = 0;
const event = async (type: string, extra: Record<string, unknown> = {}) => {
  await postEvents(runtime, { id: `una-${(n += 1)}`, type, profileId: 'u-una', properties: {}, ...extra });
  await runtime.idle();
};

describe('consent and one-click unsubscribe, in the local runtime', () => {
  it('a marketing email carries RFC 8058 headers; the one-click POST unsubscribes at once; the next one is skipped', async () => {
    await event('promo.requested', { attributes: { email: 'una@example.com' } });
    const [mail] = await eventually(async () => {
      const m = await mailTo(runtime, 'una@example.com');
      return m.length > 0 && m;
    });
    const header = (name: string) => mail!.headers?.find((h) => h.name === name)?.value;
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(.+)>$/.exec(header('List-Unsubscribe') ?? '')?.[1];
    expect(link).toMatch(new RegExp(`^${runtime.apiUrl}/unsubscribe\\?token=`));

    // A forged or altered token is refused (no API key is needed: the token is the credential).
    const token = new URL(link!).searchParams.get('token')!;
    const altered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const forged = await fetch(`${runtime.apiUrl}/unsubscribe?token=${altered}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(forged.status).toBe(400);
    expect(await forged.json()).toMatchObject({ error: 'InvalidToken', issues: [{ path: 'token' }] });
    expect((await profile('u-una')).consents).toStrictEqual({});

    // The mail client's one-click POST.
    const oneClick = await fetch(link!, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(oneClick.status).toBe(200);
    expect((await profile('u-una')).consents.email!.marketing!.status).toBe('denied');

    await event('promo.requested');
    await event('order.paid'); // transactional: still sent
    expect(await subjects('una@example.com')).toStrictEqual(['Our weekend sale', 'Your receipt']);
  });

  it('an opt-in list sends nothing until the person says yes', async () => {
    await event('vip.offer');
    expect(await subjects('una@example.com')).not.toContain('A VIP offer');
    const patched = await fetch(`${runtime.apiUrl}/profiles/u-una`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ consents: { email: { 'vip-offers': 'granted' } } }),
    });
    expect(patched.status).toBe(202); // queued; applied in order with the profile's events
    await runtime.queue.idle();
    await event('vip.offer');
    expect((await subjects('una@example.com')).filter((s) => s === 'A VIP offer')).toHaveLength(1);
  });

  it('the feedback path: a bounce or a complaint from the SES mailbox simulator suppresses the address and becomes a profile event', async () => {
    const history = async (id: string) => ((await (await fetch(`${runtime.apiUrl}/profiles/${id}/export`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { events: Array<{ type: string; properties: Record<string, unknown> }> }).events;
    const send = async (profileId: string, email: string, id: string) => {
      await postEvents(runtime, { id, type: 'order.paid', profileId, attributes: { email }, properties: {} });
      await runtime.idle();
    };
    await send('u-bounce', 'bounce@simulator.amazonses.com', 'b-1');
    await send('u-complaint', 'complaint@simulator.amazonses.com', 'c-1');
    await send('u-success', 'success@simulator.amazonses.com', 's-1');
    expect((await history('u-bounce')).map((e) => e.type)).toContain('email.bounced');
    expect((await history('u-bounce')).find((e) => e.type === 'email.bounced')!.properties).toMatchObject({ bounceType: 'Permanent', journey: 'receipt', step: 'mail' });
    expect((await history('u-complaint')).map((e) => e.type)).toEqual(expect.arrayContaining(['email.delivered', 'email.complained']));
    expect((await history('u-success')).map((e) => e.type)).toContain('email.delivered');

    // The next sends: the bounced and complaining addresses are never attempted again; the good one is.
    await send('u-bounce', 'bounce@simulator.amazonses.com', 'b-2');
    await send('u-complaint', 'complaint@simulator.amazonses.com', 'c-2');
    await send('u-success', 'success@simulator.amazonses.com', 's-2');
    expect(await mailTo(runtime, 'bounce@simulator.amazonses.com')).toHaveLength(1);
    expect(await mailTo(runtime, 'complaint@simulator.amazonses.com')).toHaveLength(1);
    expect(await mailTo(runtime, 'success@simulator.amazonses.com')).toHaveLength(2);
  });

  it('the deliverability guard: with bounces and complaints over the thresholds, marketing sends pause and transactional ones go on', async () => {
    // The sends above gave 1 bounce and 1 complaint in 4 (3 minimum): far over 5% and 0.1%.
    await postEvents(runtime, { id: 'g-1', type: 'promo.requested', profileId: 'u-fresh', attributes: { email: 'fresh@example.com' }, properties: {} });
    await postEvents(runtime, { id: 'g-2', type: 'order.paid', profileId: 'u-fresh', properties: {} });
    await runtime.idle();
    expect(await subjects('fresh@example.com')).toStrictEqual(['Your receipt']);
  });
});
