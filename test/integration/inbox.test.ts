import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { postEvents } from './helpers';

// The in-app channel end to end in the local runtime: a journey puts messages in the inbox, the inbox API
// returns them rendered, the app's feedback events change them and the report counts them.

let runtime: LocalRuntime;
beforeAll(async () => {
  runtime = await startLocalRuntime({ ...EMBEDDED, workspace: 'test/fixtures/workspaces/inbox' });
});
afterAll(async () => runtime?.stop());

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
  await runtime.queue.idle(); // profile writes are applied from the queue
  return answer;
};
interface Message {
  id: string;
  title: string;
  body: string;
  url?: string;
  status: string;
  journey: string;
  step: string;
  createdAt: string;
  expiresAt: string;
}
const inbox = async (id: string) => (await api('GET', `/profiles/${id}/inbox`)).body.messages as Message[];
let n = 0;
const event = async (profileId: string, type: string, extra: Record<string, unknown> = {}) => {
  expect((await postEvents(runtime, { id: `in-${(n += 1)}`, type, profileId, properties: {}, ...extra })).status).toBe(202);
  await runtime.idle();
};

describe('in-app inbox, in the local runtime', () => {
  it('a journey puts rendered messages in the inbox; viewed and clicked are recorded, dismissed leaves; the report counts each once', async () => {
    await event('ida', 'app.opened', { attributes: { firstName: 'Ida' }, properties: { device: 'iPhone' } });
    const messages = await inbox('ida');
    // Newest first: the offer was sent after the tips (or in the same millisecond).
    expect(messages.map((m) => m.createdAt)).toStrictEqual(messages.map((m) => m.createdAt).sort().reverse());
    expect(messages.map((m) => [m.step, m.title, m.body, m.url, m.status]).sort()).toStrictEqual([
      ['card', 'Welcome, Ida', 'Three tips for iPhone', 'https://example.com/tips?u=ida', 'new'],
      ['promo', '10% off, Ida', 'This week only', undefined, 'new'],
    ]);
    const tips = messages.find((m) => m.step === 'card')!;
    // The template's expiresAfter (P7D); the default is 30 days.
    expect(Date.parse(tips.expiresAt) - Date.parse(tips.createdAt)).toBe(7 * 86_400_000);
    const offer = messages.find((m) => m.step === 'promo')!;
    expect(Date.parse(offer.expiresAt) - Date.parse(offer.createdAt)).toBe(30 * 86_400_000);

    await event('ida', 'inbox.viewed', { properties: { messageId: tips.id } });
    await event('ida', 'inbox.clicked', { properties: { messageId: tips.id } });
    await event('ida', 'inbox.dismissed', { properties: { messageId: offer.id } });
    // Sent again (a retried event id): counted once.
    await postEvents(runtime, { id: `in-${n}`, type: 'inbox.dismissed', profileId: 'ida', properties: { messageId: offer.id } });
    await runtime.idle();
    expect((await inbox('ida')).map((m) => [m.step, m.status])).toStrictEqual([['card', 'clicked']]);

    const report = (await api('GET', '/journeys/app-welcome/report')).body as { steps: Record<string, { sent?: number; feedback?: Record<string, number> }> };
    expect(report.steps.card).toMatchObject({ sent: 1, feedback: { viewed: 1, clicked: 1 } });
    expect(report.steps.promo).toMatchObject({ sent: 1, feedback: { dismissed: 1 } });
  });

  it('consent applies as for other marketing channels; export and erasure reach the inbox', async () => {
    expect((await api('PATCH', '/profiles/jo', { attributes: { firstName: 'Jo' }, consents: { inApp: { marketing: 'denied' } } })).status).toBe(202);
    await event('jo', 'app.opened', { properties: { device: 'Pixel' } });
    // The transactional tips arrive; the marketing offer is skipped for want of consent.
    expect((await inbox('jo')).map((m) => m.title)).toStrictEqual(['Welcome, Jo']);
    const report = (await api('GET', '/journeys/app-welcome/report')).body as { steps: Record<string, { skipped?: Record<string, number> }> };
    expect(report.steps.promo!.skipped).toStrictEqual({ 'no-consent': 1 });

    const exported = (await api('GET', '/profiles/jo/export')).body as { inbox: Array<{ title: string }> };
    expect(exported.inbox.map((m) => m.title)).toStrictEqual(['Welcome, Jo']);
    expect((await api('DELETE', '/profiles/jo')).status).toBe(200);
    expect((await api('GET', '/profiles/jo/inbox')).status).toBe(404);
    expect((await api('GET', '/profiles/jo/export')).status).toBe(404);
    // The same id again is a new person: nothing of the erased inbox is left under it.
    expect((await api('PATCH', '/profiles/jo', { attributes: { firstName: 'Jo' } })).status).toBe(202);
    expect(await inbox('jo')).toStrictEqual([]);
  });

  it('needs the API key, and answers 404 for a profile nobody knows', async () => {
    expect((await fetch(`${runtime.apiUrl}/profiles/ida/inbox`)).status).toBe(401);
    expect((await api('GET', '/profiles/nobody/inbox')).status).toBe(404);
  });
});
