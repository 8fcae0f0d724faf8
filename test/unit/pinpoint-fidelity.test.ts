import { describe, expect, it } from 'vitest';
import type { CampaignResponse, JourneyResponse } from '@aws-sdk/client-pinpoint';
import { importPinpoint, type ExportFile } from '../../migrate/pinpoint';
import { compileTemplate } from '../../functions/domain/templates';
import { cachedPredicate } from '../../functions/domain/predicate';
import { startJourney } from '../../functions/domain/journey-start';
import { entryRule, jumpRule, type Predicate } from '../../statemachines';
import { journeySchema } from '../../statemachines/schema/journey';
import type { MessageTemplate } from '../../statemachines/schema/template';
import { IMPORTED_AT, RETAIL_SEGMENTS, retailCampaigns, retailEmailTemplates, retailEndpoints, retailExport, retailJourneys, retailPushTemplates, retailSegments, retailSmsTemplates } from '../fixtures/pinpoint/retailer';
import { campaigns, emailTemplates, endpointExport, journeys, pushTemplates, segments, smsTemplates } from '../fixtures/pinpoint/export';

// The retailer's export (test/fixtures/pinpoint/retailer.ts): each case where the import once changed a meaning
// without a word, and the JSON report that lists every item with its outcome.

type Json = Record<string, any>;
const imported = importPinpoint(retailExport(), { now: IMPORTED_AT });
const file = (path: string): Json => JSON.parse(imported.files[path]!);
const report = JSON.parse(imported.files['migration-report.json']!) as { items: Array<{ id: string; kind: string; file: string; parent?: string; outcome: string; reason: string; to?: string }> };
const item = (kind: string, id: string, parent?: string) => report.items.find((i) => i.kind === kind && i.id === id && i.parent === parent);

describe('Pinpoint import: meanings carried, or said', () => {
  it('1. local-time campaigns: the clock of StartTime in Timezone, on its day where each recipient is', () => {
    // WEEKLY, UTC-05, 23:00Z on a Monday: "Mondays 18:00 recipient local time".
    expect(file('campaigns/weekly-deals.json')).toMatchObject({ schedule: { cron: '0 18 * * MON', timeZone: 'Pacific/Kiritimati' }, localTime: '18:00', localDays: ['mon'] });
    // ONCE, UTC+01, 08:00Z: 09:00 on that date where each recipient is.
    expect(file('campaigns/flash-sale.json')).toMatchObject({ schedule: { at: '2027-01-15T09:00', timeZone: 'Pacific/Kiritimati' }, localTime: '09:00', localDate: '2027-01-15' });
    expect(item('campaign', 'cmpindia')).toMatchObject({ outcome: 'changed', reason: expect.stringContaining('UTC+05:30 (not whole hours) read as UTC') });
  });

  it('2. a journey that is not ACTIVE is imported paused, its start campaign unscheduled; a paused journey takes no entry', async () => {
    const states = Object.fromEntries(retailJourneys.map((j) => [j.State, j.Name]));
    for (const [state, name] of Object.entries(states)) {
      const journey = Object.entries(imported.files).filter(([path]) => path.startsWith('journeys/')).map(([, t]) => JSON.parse(t) as Json).find((j) => j.name === name)!;
      expect(journey.paused, `${state}`).toBe(state === 'ACTIVE' ? undefined : true);
    }
    expect(file('campaigns/holiday-draft-start.json')).toMatchObject({ journey: 'holiday-draft', trigger: 'api' });
    expect(file('campaigns/holiday-draft-start.json')).not.toHaveProperty('schedule');
    expect(item('journey', 'jrnretaildraft')).toMatchObject({ outcome: 'changed', reason: expect.stringContaining('a draft in Pinpoint') });

    const paused = journeySchema.parse(file('journeys/paused-browse-flow.json'));
    expect(entryRule(paused, 'v1')).toBeUndefined();
    const jump = jumpRule(paused, 'v1');
    expect(jump.target.paused).toBe(true);
    const counted: unknown[] = [];
    const refused = await startJourney(
      { ...jump.target, stateMachineArn: 'arn:aws:states:us-east-1:1:stateMachine:p', detail: { event: { id: 'e1', type: 'journey.jump', profileId: 'ana', timestamp: IMPORTED_AT.toISOString(), properties: {} }, profile: { id: 'ana', attributes: {} } } },
      { executions: { start: async () => { throw new Error('must not start'); }, stop: async () => undefined } as never, runs: {} as never, clock: { now: () => IMPORTED_AT }, reports: { count: async (_key: string, _at: Date, changes: unknown) => void counted.push(changes) } as never },
    );
    expect(refused).toBe('paused');
    expect(JSON.stringify(counted)).toContain('notEntered:paused');
  });

  it('3. a yes/no split on the open of a message counts an open since entry (one during the wait before it)', () => {
    const { steps } = file('journeys/retail-welcome.json');
    expect(steps.twodays).toStrictEqual({ type: 'wait', for: 'P2D', next: 'openedwelcome' });
    expect(steps.openedwelcome).toStrictEqual({
      type: 'waitForEvent',
      event: 'email.opened',
      since: 'entry',
      where: { all: [{ path: 'event.properties.journey', op: 'eq', value: 'retail-welcome' }, { path: 'event.properties.step', op: 'eq', value: 'welcomemail' }] },
      timeout: 'PT1S',
      onTimeout: 'nudgepush',
      next: 'thankstext',
    });
    expect(journeySchema.safeParse(file('journeys/retail-welcome.json')).success).toBe(true);
  });

  it('4. Handlebars stays Handlebars: {{else}}, {{#each}} and {{this}} kept; {{Id}} said to become the profile id', () => {
    const template = file('templates/weekly-deals.json') as MessageTemplate;
    const render = compileTemplate(template);
    const named = render({ profile: { id: 'u-ana', attributes: { FirstName: 'Ana', Interests: ['shoes', 'bags'], favorite_color: 'red' } } } as never).fields as Json;
    const anonymous = render({ profile: { id: 'u-x', attributes: {} } } as never).fields as Json;
    expect(named.html).toContain('<p>Hi Ana,</p><p>shoes bags </p><p>Your colour: red</p><a href="https://shop.example/t?e=u-ana">');
    expect(anonymous.html).toContain('<p>Hi there,</p>');
    expect(named.text).toMatch(/^Hi Ana, this week's deals/);
    expect(item('email template', 'Weekly Deals')).toMatchObject({ outcome: 'changed', reason: expect.stringContaining('{{Id}} (the endpoint\'s id) becomes {{profile.id}}') });
    expect(item('email template', 'Welcome')).toMatchObject({ reason: expect.stringContaining('{{EndpointId}}') });
    expect(item('email template', 'Weekly Deals')!.reason).not.toContain('{{else}}');
  });

  it('5. a user\'s endpoints merge by EffectiveDate, demographics from active endpoints: the file\'s order changes nothing', () => {
    const reversed = retailExport().map((f) => (f.path.startsWith('endpoints/') ? { ...f, text: `${f.text.trim().split('\n').reverse().join('\n')}\n` } : f));
    const again = importPinpoint(reversed, { now: IMPORTED_AT });
    expect(again.files['profiles.jsonl']).toBe(imported.files['profiles.jsonl']);
    const ana = imported.profiles.find((p) => p.id === 'u-ana')!;
    // The tier of the endpoint updated last; the platform of the active iPhone, not the inactive Android updated later.
    expect(ana.attributes).toMatchObject({ loyalty_tier: 'gold', platform: 'iOS', make: 'Apple', appVersion: '5.0', timeZone: 'America/New_York', endpointChannels: { APNS: true, EMAIL: true } });
  });

  it('6. a segment of iOS push endpoints: people with an active, opted-in iPhone; the journey it starts sends no email', () => {
    const where = file('audiences/ios-push-users.json').where as Predicate;
    const member = (id: string) => cachedPredicate(where)({ profile: { id, attributes: imported.profiles.find((p) => p.id === id)!.attributes } } as never);
    expect(member('u-ana')).toBe(true);
    expect(member('u-cy')).toBe(false); // opted out on that device
    expect(member('u-ben')).toBe(false); // email only
    const { steps } = file('journeys/ios-re-engagement.json');
    expect(Object.values(steps as Record<string, Json>).map((s) => s.type)).not.toContain('email');
    expect(item('activity', 'deals', 'jrnretailios')).toMatchObject({ outcome: 'dropped', reason: expect.stringContaining('get no email in Pinpoint') });
  });

  it('7. a segment journey whose start is past starts when its campaign is triggered, and the report says so', () => {
    expect(file('campaigns/ios-re-engagement-start.json')).toMatchObject({ audience: 'ios-push-users', journey: 'ios-re-engagement', trigger: 'api' });
    expect(item('journey', 'jrnretailios')).toMatchObject({ outcome: 'changed', reason: expect.stringContaining('which is past: its start campaign runs when triggered once after deployment') });
    // A live journey whose start is to come keeps its schedule.
    const later = importPinpoint(retailExport(), { now: new Date('2026-05-01T00:00:00Z') });
    expect(JSON.parse(later.files['campaigns/ios-re-engagement-start.json']!)).toMatchObject({ schedule: { at: '2026-06-01T09:00', timeZone: 'UTC' } });
  });

  it("8. the REST API's spelling (segmentDimensions) reads as the CLI's", () => {
    expect(retailExport().find((f) => f.path === 'journeys/ios-rest.json')!.text).toContain('"segmentDimensions"');
    expect(file('journeys/ios-re-engagement.json').steps.stillios).toStrictEqual({ type: 'condition', branches: [{ when: { path: 'profile.attributes.platform', op: 'eq', value: 'iOS' }, next: 'secondnudge' }], otherwise: 'done' });
    expect(report.items.filter((i) => i.parent === 'jrnretailios').map((i) => i.reason).join(' ')).not.toContain('false branch is always taken');
  });

  it('9. what is not carried is said, under the Pinpoint ids', () => {
    const said = (kind: string, id: string, text: string, parent?: string) => expect(item(kind, id, parent)?.reason, `${kind} ${id}`).toContain(text);
    said('journey', 'jrnretailwelcome', 'time zones estimated from PHONE_NUMBER and POSTAL_CODE');
    said('journey', 'jrnretailwelcome', "in each endpoint's local time in Pinpoint");
    said('journey', 'jrnretailwelcome', 'the schedule\'s time zone UTC-05');
    said('journey', 'jrnretailwelcome', 'no entries after 2027-12-31T05:00:00.000Z');
    said('journey', 'jrnretailios', 'no quiet time in Pinpoint: here the workspace\'s quiet hours (22:00-07:00');
    said('campaign', 'cmpflashsale', 'sent from deals@shop.example in Pinpoint');
    said('push template', 'App Nudge', 'the notification sound (chime.caf) is not carried');
    said('endpoint', 'ana-email', 'the attribute "loyalty tier" is named loyalty_tier here');
    said('endpoint', 'ben-email', 'the attribute "favorite.color" is named favorite_color here');
    said('activity', 'welcomeMail', 'pinned to template version 3', 'jrnretailwelcome');
    said('campaign', 'cmpweeklydeals', 'pinned to version 2');
    said('segment', RETAIL_SEGMENTS.vip, 'no members found');
    said('segment', RETAIL_SEGMENTS.vip, 's3://retail-exports/vip-2026.csv');
    // Left out under the id as exported, not lower-cased.
    said('activity', 'OrphanStep', 'no path from the start activity reaches it', 'jrnretailwelcome');
    expect(item('activity', 'OrphanStep', 'jrnretailwelcome')!.outcome).toBe('dropped');
    expect(report.items.some((i) => i.id === 'orphanstep')).toBe(false);
    expect(imported.files['migration-report.md']).toContain('profiles have no time zone');
  });
});

/** Every item of an export, as its kind and id: what the JSON report must list. */
function exportItems(fixture: { journeys: JourneyResponse[]; campaigns: CampaignResponse[]; segments: Array<{ Id?: string }>; templates: Array<[string, { TemplateName?: string }[]]>; endpoints: Array<{ Id?: string }> }): string[] {
  return [
    ...fixture.journeys.flatMap((j) => [`journey ${j.Id}`, ...Object.keys(j.Activities ?? {}).map((k) => `activity ${j.Id}/${k}`)]),
    ...fixture.campaigns.flatMap((c) => [`campaign ${c.Id}`, ...(c.AdditionalTreatments ?? []).map((t, i) => `treatment ${c.Id}/${t.Id ?? i + 1}`)]),
    ...fixture.segments.map((s) => `segment ${s.Id}`),
    ...fixture.templates.flatMap(([kind, ts]) => ts.map((t) => `${kind} ${t.TemplateName}`)),
    ...fixture.endpoints.map((e) => `endpoint ${e.Id}`),
  ].sort();
}
const listed = (files: readonly ExportFile[]) => {
  const { items } = JSON.parse(importPinpoint(files, { now: IMPORTED_AT }).files['migration-report.json']!) as typeof report;
  return [...new Set(items.filter((i) => i.kind !== 'file').map((i) => `${i.kind} ${i.parent ? `${i.parent}/` : ''}${i.id}`))].sort();
};
const fixtureFiles = (): ExportFile[] => {
  const json = (value: unknown) => JSON.stringify(value);
  return [
    { path: 'journeys/all.json', text: json({ JourneysResponse: { Item: journeys } }) },
    { path: 'segments/all.json', text: json({ SegmentsResponse: { Item: segments } }) },
    ...campaigns.map((c, i) => ({ path: `campaigns/c${i}.json`, text: json({ CampaignResponse: c }) })),
    ...emailTemplates.map((t, i) => ({ path: `templates/e${i}.json`, text: json({ EmailTemplateResponse: t }) })),
    ...smsTemplates.map((t, i) => ({ path: `templates/s${i}.json`, text: json({ SMSTemplateResponse: t }) })),
    ...pushTemplates.map((t, i) => ({ path: `templates/p${i}.json`, text: json({ PushNotificationTemplateResponse: t }) })),
    { path: 'endpoints/export.jsonl', text: endpointExport().map(json).join('\n') },
  ];
};

describe('migration-report.json', () => {
  it('has an entry for every item of both fixtures, each with an outcome and, unless carried, a reason', () => {
    const retail = exportItems({ journeys: retailJourneys, campaigns: retailCampaigns, segments: retailSegments, templates: [['email template', retailEmailTemplates], ['sms template', retailSmsTemplates], ['push template', retailPushTemplates]], endpoints: retailEndpoints() });
    expect(listed(retailExport())).toStrictEqual(retail);
    const first = exportItems({ journeys, campaigns, segments, templates: [['email template', emailTemplates], ['sms template', smsTemplates], ['push template', pushTemplates]], endpoints: endpointExport() });
    expect(listed(fixtureFiles())).toStrictEqual(first);
    for (const i of report.items) {
      expect(['carried', 'changed', 'needs attention', 'dropped']).toContain(i.outcome);
      if (i.outcome !== 'carried') expect(i.reason.length, `${i.kind} ${i.id}`).toBeGreaterThan(0);
    }
  });

  it('gives a file that was not read an entry of its own', () => {
    const { files } = importPinpoint([...retailExport(), { path: 'journeys/broken.json', text: '{ "JourneyResponse": ' }], { now: IMPORTED_AT });
    const { items } = JSON.parse(files['migration-report.json']!) as typeof report;
    expect(items.find((i) => i.file === 'journeys/broken.json')).toMatchObject({ kind: 'file', outcome: 'needs attention', reason: expect.stringContaining('not read') });
  });
});
