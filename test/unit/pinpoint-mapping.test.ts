import { describe, expect, it } from 'vitest';
import { rewriteVariables } from '../../migrate/pinpoint/templates';
import { timeZoneOf } from '../../migrate/pinpoint/campaigns';
import { endpointProfiles } from '../../migrate/pinpoint/endpoints';
import { MigrationLog } from '../../migrate/pinpoint/report';
import { importPinpoint } from '../../migrate/pinpoint';
import { campaigns, emailTemplates } from '../fixtures/pinpoint/export';

// The parts of the Pinpoint mapping a person reads in the output: message variables, time zones, local-time
// schedules, endpoints as profiles.

describe('Pinpoint mapping', () => {
  it('rewrites message variables to profile paths, defaults to {{default}}, and reports what has no equivalent', () => {
    const log = new MigrationLog();
    const out = rewriteVariables('Hi {{User.UserAttributes.FirstName}} ({{Demographic.Platform}}, {{Location.Country}}) {{#if Attributes.Plan}}on {{Attributes.Plan}}{{/if}} {{ChannelType}} {{unsubscribeUrl}}', { 'User.UserAttributes.FirstName': 'there' }, 'w', log);
    expect(out).toBe('Hi {{default profile.attributes.FirstName "there"}} ({{profile.attributes.platform}}, {{profile.attributes.country}}) {{#if profile.attributes.Plan}}on {{profile.attributes.Plan}}{{/if}}  {{unsubscribeUrl}}');
    expect(log.attention).toStrictEqual([{ where: 'w', what: 'the variable {{ChannelType}} has no equivalent here: it renders empty', outcome: 'needs attention' }]);
  });

  it("reads Pinpoint's time zones, and schedules a local-time campaign where the day comes first", () => {
    expect([timeZoneOf('UTC'), timeZoneOf('UTC+01'), timeZoneOf('UTC-05'), timeZoneOf('UTC+05:30'), timeZoneOf(undefined)]).toStrictEqual(['UTC', 'Etc/GMT-1', 'Etc/GMT+5', undefined, 'UTC']);
    const { files } = importPinpoint([
      { path: 'segments/s.json', text: JSON.stringify({ SegmentResponse: { Id: 'segengaged0002', Name: 'Engaged EU' } }) },
      { path: 'templates/a.json', text: JSON.stringify({ EmailTemplateResponse: emailTemplates[1] }) },
      { path: 'templates/b.json', text: JSON.stringify({ EmailTemplateResponse: emailTemplates[2] }) },
      { path: 'campaigns/c.json', text: JSON.stringify({ CampaignResponse: campaigns[0] }) },
    ]);
    expect(JSON.parse(files['campaigns/spring-sale.json']!)).toMatchObject({ audience: 'engaged-eu', treatments: [{ id: 'a', weight: 45 }, { id: 'b', weight: 45 }], holdout: 10, schedule: { cron: '0 19 * * MON', timeZone: 'Pacific/Kiritimati' }, localTime: '19:00', localDays: ['mon'], rateLimit: 20 });
  });

  it('makes one profile of a user’s endpoints: addresses, opt-outs, inactive endpoints, anonymous endpoints', () => {
    const log = new MigrationLog();
    const user = { UserId: 'u1', UserAttributes: { FirstName: ['Zoë'], Tags: ['a', 'b'] } };
    const profiles = endpointProfiles(
      [
        { endpoint: { Id: 'e1', ChannelType: 'EMAIL', Address: 'zoe@example.com', EndpointStatus: 'ACTIVE', OptOut: 'ALL', User: user, Demographic: { Locale: 'fr_CA', Timezone: 'America/Toronto' } }, segments: [], where: "w" },
        { endpoint: { Id: 'e2', ChannelType: 'SMS', Address: '+15555550100', EndpointStatus: 'INACTIVE', OptOut: 'NONE', User: user }, segments: [], where: "w" },
        { endpoint: { Id: 'e3', ChannelType: 'APNS', Address: 'tok', EndpointStatus: 'ACTIVE', OptOut: 'NONE', User: user }, segments: ['segx'], where: "w" },
        { endpoint: { Id: 'e4', ChannelType: 'GCM', Address: 'tok4', EndpointStatus: 'ACTIVE' }, segments: [], where: "w" },
      ],
      log,
    );
    expect(profiles).toStrictEqual([
      { anonymousId: 'e4', attributes: { pushTokens: [{ token: 'tok4', platform: 'GCM' }], endpointChannels: { GCM: true } }, identities: { pushToken: 'tok4' } },
      {
        id: 'u1',
        attributes: { FirstName: 'Zoë', Tags: ['a', 'b'], locale: 'fr-CA', timeZone: 'America/Toronto', email: 'zoe@example.com', pushTokens: [{ token: 'tok', platform: 'APNS' }], pinpointSegment_segx: true, endpointChannels: { APNS: true } },
        consents: { email: { marketing: 'denied' } },
        identities: { email: 'zoe@example.com', pushToken: 'tok' },
      },
    ]);
  });
});
