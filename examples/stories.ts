// The product's own use cases, as the events and API calls that play them against examples/store: `npm run
// demo` sends them to a running `npm start`, and test/integration/stories.test.ts plays them against the local
// runtime and checks the messages captured. Every profile id carries a run suffix, so a demo can run twice.

export interface Api {
  /** POST /events, a batch. */
  events(events: unknown[]): Promise<void>;
  /** POST /campaigns/{id}/trigger; the run id. */
  trigger(campaign: string, body?: unknown): Promise<string>;
  /** POST /catalog/events; the fan-out runs started. */
  catalog(events: unknown[]): Promise<Array<{ journey: string; runId: string }>>;
}

export interface Story {
  id: string;
  title: string;
  /** What to look at once it has played. */
  look: string;
  /** The journey or campaign it plays, for the report and the graph. */
  journey?: string;
  campaign?: string;
  /** The profiles it creates, by role. */
  profiles(run: string): Record<string, string>;
  play(api: Api, run: string): Promise<{ campaignRun?: string }>;
}

const ev = (run: string, id: string, type: string, profileId: string, properties: Record<string, unknown> = {}, attributes?: Record<string, unknown>) => ({
  id: `${run}-${id}`,
  type,
  profileId,
  properties,
  ...(attributes ? { attributes } : {}),
});
const email = (profileId: string) => `${profileId}@example.com`;
const products = (...items: Array<[string, string]>) => items.map(([category, brand]) => ({ category, brand }));

export const STORIES: Story[] = [
  {
    id: 'post-purchase',
    title: 'Post-purchase survey, with delayed deliveries',
    journey: 'post-purchase',
    campaign: 'last-week-survey',
    look: 'Sam gets the weekly survey; Kim, whose delivery was late, gets no survey but an apology with a unique code and suggestions from her past purchases (outerwear, Northwind).',
    profiles: (run) => ({ onTime: `${run}-sam`, delayed: `${run}-kim` }),
    async play(api, run) {
      const { onTime, delayed } = this.profiles(run);
      await api.events([
        ev(run, 'kim-order-1', 'order.completed', delayed!, { orderId: `${run}-K1`, products: products(['outerwear', 'Northwind'], ['shirts', 'Northwind']) }, { email: email(delayed!), firstName: 'Kim' }),
        ev(run, 'kim-order-2', 'order.completed', delayed!, { orderId: `${run}-K2`, products: products(['outerwear', 'Fjell']) }),
        ev(run, 'sam-order', 'order.completed', onTime!, { orderId: `${run}-S1`, products: products(['shoes', 'Fjell']) }, { email: email(onTime!), firstName: 'Sam' }),
      ]);
      await api.events([
        ev(run, 'sam-delivered', 'order.delivered', onTime!, { orderId: `${run}-S1`, delayed: false }),
        ev(run, 'kim-delivered', 'order.delivered', delayed!, { orderId: `${run}-K2`, delayed: true }),
      ]);
      // Monday's campaign, now: everyone who had a delivery last week, minus the delayed ones.
      return { campaignRun: await api.trigger('last-week-survey') };
    },
  },
  {
    id: 'car-park',
    title: 'A loyal customer arrives in the car park',
    journey: 'car-park',
    look: 'Lea (gold, size M) gets a push at once: the Fjell sweater is back in M. Tom (not a member) gets nothing.',
    profiles: (run) => ({ loyal: `${run}-lea`, other: `${run}-tom` }),
    async play(api, run) {
      const { loyal, other } = this.profiles(run);
      await api.events([
        ev(run, 'lea-app', 'app.opened', loyal!, {}, { firstName: 'Lea', tier: 'gold', size: 'M', pushTokens: [{ token: `${run}-lea-phone`, platform: 'APNS' }] }),
        ev(run, 'tom-app', 'app.opened', other!, {}, { firstName: 'Tom', size: 'M', pushTokens: [{ token: `${run}-tom-phone`, platform: 'GCM' }] }),
      ]);
      await api.events([ev(run, 'lea-geo', 'geofence.entered', loyal!, { place: 'car-park', store: 'lyon' }), ev(run, 'tom-geo', 'geofence.entered', other!, { place: 'car-park', store: 'lyon' })]);
      return {};
    },
  },
  {
    id: 'back-in-stock',
    title: 'Back in stock',
    journey: 'back-in-stock',
    look: 'Ana viewed the sold-out sweater in the app: when it is back, a push. Ben has no app: a text.',
    profiles: (run) => ({ app: `${run}-ana`, noApp: `${run}-ben` }),
    async play(api, run) {
      const { app, noApp } = this.profiles(run);
      const sku = 'FJ-SWEATER-M';
      await api.events([
        ev(run, 'ana-view', 'product.viewed', app!, { sku, inStock: false }, { firstName: 'Ana', pushTokens: [{ token: `${run}-ana-phone`, platform: 'GCM' }] }),
        ev(run, 'ben-view', 'product.viewed', noApp!, { sku, inStock: false }, { firstName: 'Ben', phone: '+447700900123' }),
      ]);
      // The stock system tells each customer who asked to be told (the app's "notify me").
      await api.events([ev(run, 'ana-restock', 'item.restocked', app!, { sku, item: 'The Fjell sweater' }), ev(run, 'ben-restock', 'item.restocked', noApp!, { sku, item: 'The Fjell sweater' })]);
      return {};
    },
  },
  {
    id: 'back-in-stock-viewers',
    title: 'Back in stock, for everyone who viewed it',
    journey: 'back-in-stock-viewers',
    campaign: 'fanout-back-in-stock-viewers',
    look: 'Cai (app) and Dee (no app) viewed the boots this month: one restock event from the catalog, and Cai gets a push, Dee a text. Eli viewed other boots: nothing.',
    profiles: (run) => ({ app: `${run}-cai`, noApp: `${run}-dee`, other: `${run}-eli` }),
    async play(api, run) {
      const p = this.profiles(run);
      const sku = `NW-BOOTS-42-${run}`;
      await api.events([
        ev(run, 'cai-view', 'product.viewed', p.app!, { sku }, { firstName: 'Cai', pushTokens: [{ token: `${run}-cai-phone`, platform: 'GCM' }] }),
        ev(run, 'dee-view', 'product.viewed', p.noApp!, { sku }, { firstName: 'Dee', phone: '+447700900456' }),
        ev(run, 'eli-view', 'product.viewed', p.other!, { sku: `NW-BOOTS-43-${run}` }, { firstName: 'Eli', phone: '+447700900789' }),
      ]);
      // The stock system says the item is back, once, naming no one.
      const [fanOut] = await api.catalog([{ id: `${run}-restock-boots`, type: 'item.restocked', properties: { sku, item: 'The Northwind boots' } }]);
      return { campaignRun: fanOut!.runId };
    },
  },
  {
    id: 'weekly-promo',
    title: 'Weekly promotion, Monday 09:00 in each customer’s time',
    campaign: 'weekly-promo',
    look: 'The run sends to Paris, New York and Tokyo subscribers each at 09:00 where they are (its send times); Noa, not subscribed, gets nothing.',
    profiles: (run) => ({ paris: `${run}-eva`, newYork: `${run}-max`, tokyo: `${run}-yui`, notSubscribed: `${run}-noa` }),
    async play(api, run) {
      const p = this.profiles(run);
      const who: Array<[string, string, boolean]> = [
        [p.paris!, 'Europe/Paris', true],
        [p.newYork!, 'America/New_York', true],
        [p.tokyo!, 'Asia/Tokyo', true],
        [p.notSubscribed!, 'Europe/Paris', false],
      ];
      await api.events(who.map(([id, timeZone, newsletter]) => ev(run, `${id}-prefs`, 'preferences.updated', id, {}, { email: email(id), firstName: id.split('-').at(-1)!, timeZone, newsletter })));
      // What the Sunday-evening schedule does, now.
      return { campaignRun: await api.trigger('weekly-promo') };
    },
  },
  {
    id: 'ride-closures',
    title: 'Operational notice: rides closed for maintenance',
    campaign: 'ride-closures',
    look: 'Visitors in the park (Ivy, Leo) get a push naming the closed rides; Mia, who left, does not.',
    profiles: (run) => ({ visitor1: `${run}-ivy`, visitor2: `${run}-leo`, left: `${run}-mia` }),
    async play(api, run) {
      const p = this.profiles(run);
      const phone = (id: string) => [{ token: `${id}-phone`, platform: 'GCM' }];
      await api.events([
        ev(run, 'ivy-in', 'park.entered', p.visitor1!, {}, { firstName: 'Ivy', inPark: true, pushTokens: phone(p.visitor1!) }),
        ev(run, 'leo-in', 'park.entered', p.visitor2!, {}, { firstName: 'Leo', inPark: true, pushTokens: phone(p.visitor2!) }),
        ev(run, 'mia-in', 'park.entered', p.left!, {}, { firstName: 'Mia', inPark: true, pushTokens: phone(p.left!) }),
      ]);
      await api.events([ev(run, 'mia-out', 'park.left', p.left!, {}, { inPark: false })]);
      // The maintenance team's call, with the closed rides as context (the audience: everyone in the park now).
      return { campaignRun: await api.trigger('ride-closures', { context: { rides: ['The Big Wheel', 'Loop Coaster'], until: '16:00' } }) };
    },
  },
  {
    id: 'onboarding',
    title: 'Onboarding, and where new customers drop off',
    journey: 'onboarding',
    look: 'App users get tips (two versions, 10% held out); the others a nudge to install the app, and wait for it. The report page shows each step.',
    profiles: (run) => ({ app1: `${run}-ola`, app2: `${run}-uma`, noApp: `${run}-jon` }),
    async play(api, run) {
      const p = this.profiles(run);
      await api.events(
        [
          [p.app1!, 'Ola', true],
          [p.app2!, 'Uma', true],
          [p.noApp!, 'Jon', false],
        ].map(([id, firstName, appUser]) => ev(run, `${id}-reg`, 'customer.registered', id as string, {}, { email: email(id as string), firstName, appUser })),
      );
      return {};
    },
  },
];
