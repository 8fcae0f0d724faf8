import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORIES, type Api, type Story } from '../../examples/stories';
import { EMBEDDED, startLocalRuntime, type LocalRuntime } from '../../local/runtime';
import { eventually, mailTo } from './helpers';

// The product's use cases, end to end in the example workspace, as `npm run demo` plays them: each story's
// events and API calls, then the messages the emulators captured (recipient, rendered content).

const RUN = 'story';
let runtime: LocalRuntime;
let api: Api;
beforeAll(async () => {
  // Waits pass quickly (P3D in about 2.6 s); campaign pacing stays real time.
  runtime = await startLocalRuntime({ ...EMBEDDED, workspace: 'examples/store', timeScale: 0.00001 });
  const call = async (path: string, body: unknown) => {
    const r = await fetch(`${runtime.apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await r.json()) as Record<string, unknown>;
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(answer)}`);
    await runtime.queue.idle();
    return answer;
  };
  api = {
    events: async (events) => void (await call('/events', { events })),
    trigger: async (campaign, body = {}) => (await call(`/campaigns/${campaign}/trigger`, body)).runId as string,
    catalog: async (events) => (await call('/catalog/events', { events })).runs as Array<{ journey: string; runId: string }>,
  };
});
afterAll(async () => runtime?.stop());

const story = (id: string): Story => STORIES.find((s) => s.id === id)!;
const outbox = async () => (await (await fetch(`${runtime.messagingUrl}/store`)).json()) as { push: Array<{ to: Array<{ token: string }>; title: string; body: string }>; sms: Array<{ to: string; body: string }> };
const pushesTo = async (token: string) => (await outbox()).push.filter((m) => m.to.some((t) => t.token === token));
const run = async (id: string) => {
  const s = story(id);
  return { profiles: s.profiles(RUN), ...(await s.play(api, RUN)) };
};
const finished = async (campaign: string, runId: string) =>
  eventually(async () => {
    const r = (await (await fetch(`${runtime.apiUrl}/campaigns/${campaign}/runs/${runId}`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { status: string; sendTimes: string[] };
    return r.status === 'done' && r;
  }, 30_000);

describe('the use cases, in the example workspace', () => {
  it('1. post-purchase survey: the weekly survey skips delayed deliveries, which get an apology with a unique code and suggestions from past purchases', async () => {
    const { profiles, campaignRun } = await run('post-purchase');
    await finished('last-week-survey', campaignRun!);
    await runtime.idle();
    const sam = await mailTo(runtime, `${profiles.onTime}@example.com`);
    const kim = await mailTo(runtime, `${profiles.delayed}@example.com`);
    expect(sam.map((m) => m.subject).sort()).toStrictEqual([`Sam, how was your order ${RUN}-S1?`, "How was last week's order, Sam?"].sort());
    expect(kim.map((m) => m.subject)).toStrictEqual([`Sorry your order ${RUN}-K2 was late`]);
    // Kim bought 3 items: outerwear 2, shirts 1; Northwind 2, Fjell 1. Affinity, the mean of the category and brand
    // shares: the jacket 2/3, the shirt 1/2, the chinos (Northwind) 1/3, the sweater (Fjell) 1/6.
    expect(kim[0]!.body.text).toMatch(
      new RegExp(`^Hi Kim,\\n\\nBad weather delayed your order ${RUN}-K2\\. We are sorry\\.\\n15% off your next order: use the code SORRY-[A-Z0-9]{4}\\.\\nYou may also like:\\n- Northwind rain jacket https://example.com/p/rain-jacket\\n- Northwind linen shirt https://example.com/p/linen-shirt\\n- Northwind chinos https://example.com/p/chinos\\n$`),
    );
    expect(kim[0]!.body.html).toContain('<a href="https://example.com/p/rain-jacket">Northwind rain jacket</a>');
  });

  it('2. car park: a loyal customer gets, in real time, a push about the sweater back in their size', async () => {
    const { profiles } = await run('car-park');
    const [push] = await eventually(async () => {
      const p = await pushesTo(`${profiles.loyal}-phone`);
      return p.length > 0 && p;
    });
    expect(push).toMatchObject({ title: 'The Fjell sweater is back in M', body: 'Size M is on the shelf by the entrance: show this for 10% off today.' });
    await runtime.idle();
    expect(await pushesTo(`${profiles.other}-phone`)).toStrictEqual([]);
  });

  it('3. back in stock: a push to the customer with the app, a text to the one without', async () => {
    const { profiles } = await run('back-in-stock');
    await runtime.idle();
    const pushes = await pushesTo(`${profiles.app}-phone`);
    expect(pushes.map((p) => [p.title, p.body])).toStrictEqual([['The Fjell sweater is back', 'In your size, Ana. Tap to see it.']]);
    const texts = (await outbox()).sms.filter((m) => m.to === '+447700900123');
    expect(texts.map((t) => t.body)).toStrictEqual(['The Fjell sweater is back in stock: https://example.com/p/FJ-SWEATER-M']);
  });

  it('3b. back in stock for everyone who viewed it: one catalog event, a push or a text to each viewer of the sku', async () => {
    const { profiles, campaignRun } = await run('back-in-stock-viewers');
    await finished('fanout-back-in-stock-viewers', campaignRun!);
    await runtime.idle();
    expect((await pushesTo(`${profiles.app}-phone`)).map((p) => [p.title, p.body])).toStrictEqual([['The Northwind boots is back', 'In your size, Cai. Tap to see it.']]);
    const texts = (await outbox()).sms;
    expect(texts.filter((m) => m.to === '+447700900456').map((t) => t.body)).toStrictEqual([`The Northwind boots is back in stock: https://example.com/p/NW-BOOTS-42-${RUN}`]);
    expect(texts.filter((m) => m.to === '+447700900789')).toStrictEqual([]);
  });

  it('4. weekly promotion: each subscriber at 09:00 in their own time zone', async () => {
    const { profiles, campaignRun } = await run('weekly-promo');
    const done = await finished('weekly-promo', campaignRun!);
    const zones = ['Europe/Paris', 'America/New_York', 'Asia/Tokyo'];
    const nine = (at: string) => zones.filter((timeZone) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at)) === '09:00');
    expect(done.sendTimes.map(nine).flat().sort()).toStrictEqual([...zones].sort());
    for (const [role, name] of [['paris', 'eva'], ['newYork', 'max'], ['tokyo', 'yui']] as const) {
      expect((await mailTo(runtime, `${profiles[role]}@example.com`)).map((m) => m.subject)).toStrictEqual([`This week at the store, ${name}`]);
    }
    expect(await mailTo(runtime, `${profiles.notSubscribed}@example.com`)).toStrictEqual([]);
  });

  it('5. operational notice: visitors in the park now get a push naming the closed rides', async () => {
    const { profiles, campaignRun } = await run('ride-closures');
    await finished('ride-closures', campaignRun!);
    for (const [role, name] of [['visitor1', 'Ivy'], ['visitor2', 'Leo']] as const) {
      expect((await pushesTo(`${profiles[role]}-phone`)).map((p) => [p.title, p.body])).toStrictEqual([['Rides closed for maintenance', `The Big Wheel, Loop Coaster: closed until 16:00. Sorry, ${name}!`]]);
    }
    expect(await pushesTo(`${profiles.left}-phone`)).toStrictEqual([]);
  });

  it('6. onboarding: tips for app users, a nudge for the others, and the report shows where they are', async () => {
    const { profiles } = await run('onboarding');
    await runtime.idle(); // the nudge's 3-day wait for the app passes
    const subjects = async (id: string) => (await mailTo(runtime, `${id}@example.com`)).map((m) => m.subject);
    expect(await subjects(profiles.noApp!)).toStrictEqual(['Jon, the store in your pocket']);
    for (const [id, name] of [[profiles.app1!, 'Ola'], [profiles.app2!, 'Uma']] as const) {
      const got = await subjects(id);
      // Each app user is on one path of the split: the short tips, the long ones, or the 10% held out.
      expect([[], [`3 things to try in the app, ${name}`], [`Getting the most out of the app, ${name}`]]).toContainEqual(got);
    }
    const report = (await (await fetch(`${runtime.apiUrl}/journeys/onboarding/report`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).json()) as { totals: { entered: number; completed: number }; steps: Record<string, { entered: number; sent?: number }> };
    expect(report.totals).toMatchObject({ entered: 3, completed: 3 });
    expect(report.steps['has-app']!.entered).toBe(3);
    expect(report.steps['install-nudge']).toMatchObject({ entered: 1, sent: 1 });
  });
});
