import { describe, expect, it } from 'vitest';
import { compileEmailTemplate, checkTemplateSyntax } from '../../functions/domain/templates';
import { applyUpdate, emptyProfile, mergeAttributes, mergeProfiles } from '../../functions/domain/profile';
import { identityOf, ownIdentity, attributeIdentities } from '../../functions/domain/identity';
import { readPath } from '../../functions/domain/predicate';
import { isAuthorized, parseApiKeys } from '../../functions/domain/auth';
import { createAuthorizerHandler } from '../../functions/handlers/authorizer/app';
import { ROUTES } from '../../functions/handlers/routes';
import { executionName } from '../../functions/domain/journey-start';

const scope = {
  profile: { id: 'p1', attributes: { firstName: 'Ada', tags: ['vip'] } },
  event: { properties: { orderId: 'A-1' } },
  journey: { id: 'j', step: 's' },
};

describe('templates', () => {
  it('renders subject, html and text with profile, event and journey in scope', () => {
    const render = compileEmailTemplate({
      channel: 'email',
      subject: 'Hi {{profile.attributes.firstName}} ({{journey.id}}/{{journey.step}})',
      html: '<p>{{event.properties.orderId}}{{#each profile.attributes.tags}} #{{this}}{{/each}}</p>',
      text: 'Order {{event.properties.orderId}}',
    });
    expect(render(scope)).toStrictEqual({ subject: 'Hi Ada (j/s)', html: '<p>A-1 #vip</p>', text: 'Order A-1' });
  });

  it('renders a missing variable as empty, never crashes', () => {
    const render = compileEmailTemplate({ channel: 'email', subject: 'Hi {{profile.attributes.lastName}}!', text: '{{event.properties.a.b.c}}.' });
    expect(render(scope)).toStrictEqual({ subject: 'Hi !', text: '.' });
  });

  it('escapes HTML in html, not in text, and keeps the subject on one line', () => {
    const render = compileEmailTemplate({ channel: 'email', subject: '{{profile.attributes.firstName}}', html: '{{profile.attributes.firstName}}', text: '{{profile.attributes.firstName}}' });
    const evil = { ...scope, profile: { id: 'p', attributes: { firstName: '<b>x</b>\r\nBcc: a@b.c' } } };
    expect(render(evil)).toStrictEqual({ subject: '<b>x</b> Bcc: a@b.c', html: '&lt;b&gt;x&lt;/b&gt;\r\nBcc: a@b.c', text: '<b>x</b>\r\nBcc: a@b.c' });
  });

  it('cannot reach prototypes', () => {
    const render = compileEmailTemplate({
      channel: 'email',
      subject: 's',
      text: '[{{profile.constructor}}][{{profile.__proto__}}][{{lookup profile "constructor"}}][{{#with profile.constructor}}{{name}}{{/with}}]',
    });
    expect(render(scope).text).toBe('[][][][]');
  });

  it('has no partials, so no file system, and only the built-in helpers', () => {
    expect(() => compileEmailTemplate({ channel: 'email', subject: 's', text: '{{> /etc/passwd}}' })(scope)).toThrow();
    expect(() => checkTemplateSyntax('{{#custom x}}{{/custom}}')).toThrow(/custom/);
    expect(() => checkTemplateSyntax('{{#if x}}')).toThrow();
  });
});

describe('profile merge', () => {
  const now = '2026-11-28T10:00:00.000Z';

  it('creates a profile, then merges last-write-wins per attribute', () => {
    const created = mergeAttributes(emptyProfile('p', now), { plan: 'free', email: 'a@x.io' }, '2026-11-01T00:00:00.000Z', now)!;
    expect(created).toMatchObject({ version: 1, attributes: { plan: 'free', email: 'a@x.io' } });
    const later = mergeAttributes(created, { plan: 'plus' }, '2026-11-02T00:00:00.000Z', now)!;
    expect(later).toMatchObject({ version: 2, attributes: { plan: 'plus', email: 'a@x.io' } });
    // An older event arriving late does not overwrite a newer value.
    expect(mergeAttributes(later, { plan: 'free' }, '2026-11-01T12:00:00.000Z', now)).toBeUndefined();
  });

  it('is idempotent: replaying the same event changes nothing', () => {
    const p = mergeAttributes(emptyProfile('p', now), { plan: 'free' }, '2026-11-01T00:00:00.000Z', now)!;
    expect(mergeAttributes(p, { plan: 'free' }, '2026-11-01T00:00:00.000Z', now)).toBeUndefined();
  });

  it('writes a new profile even without attributes', () => {
    expect(mergeAttributes(emptyProfile('p', now), {}, now, now)).toMatchObject({ version: 1, attributes: {} });
  });
});

describe('stitching two profiles', () => {
  const anon = { ...emptyProfile('anonymous:a-1', '2026-11-01T00:00:00.000Z'), version: 3, attributes: { plan: 'free', city: 'Lyon' }, attributeTimes: { plan: '2026-11-01T00:00:00.000Z', city: '2026-11-20T00:00:00.000Z' }, identities: ['anonymousId:a-1'] };
  const known = { ...emptyProfile('u-1', '2026-11-10T00:00:00.000Z'), version: 2, attributes: { plan: 'pro', city: 'Paris' }, attributeTimes: { plan: '2026-11-10T00:00:00.000Z', city: '2026-11-11T00:00:00.000Z' }, identities: ['userId:u-1'] };

  it('keeps the newer value of each attribute, unions identities, keeps the earlier creation time', () => {
    const merged = mergeProfiles(known, anon, '2026-11-29T00:00:00.000Z')!;
    expect(merged.attributes).toStrictEqual({ plan: 'pro', city: 'Lyon' });
    expect(merged.identities).toStrictEqual(['anonymousId:a-1', 'userId:u-1']);
    expect(merged).toMatchObject({ createdAt: '2026-11-01T00:00:00.000Z', version: 3, mergedFrom: ['anonymous:a-1'] });
    expect(mergeProfiles(merged, anon, '2026-11-29T00:00:01.000Z')).toBeUndefined(); // merged once
  });

  it('normalises identities: an email in any case is one identity; a profile id is its own identity', () => {
    expect(identityOf('email', ' Ada@Example.COM ')).toBe('email:ada@example.com');
    expect(ownIdentity('u-1')).toBe('userId:u-1');
    expect(ownIdentity('anonymous:a-1')).toBe('anonymousId:a-1');
    expect(attributeIdentities({ email: 'A@b.c', phone: '+15550100', pushTokens: [{ token: 't1', platform: 'GCM' }, { nope: 1 }] })).toStrictEqual(['email:a@b.c', 'phone:+15550100', 'pushToken:t1']);
  });
});

describe('profile updates from journeys', () => {
  const now = '2026-11-28T10:00:00.000Z';
  const base = mergeAttributes(emptyProfile('p', now), { purchases: 1, cartId: 'c1', plan: 'free' }, '2026-11-01T00:00:00.000Z', now)!;
  const data = { event: { properties: { orderId: 'A-9' } } };
  const read = (path: string) => readPath(data, path);

  it('sets (literals and values read from the event), increments and unsets', () => {
    const updated = applyUpdate(base, { set: { lastOrderId: { path: 'event.properties.orderId' }, tier: 'member', gone: { path: 'event.properties.nothing' } }, increment: { purchases: 2, visits: 1 }, unset: ['cartId'] }, 'k1', read, now)!;
    expect(updated.attributes).toStrictEqual({ purchases: 3, plan: 'free', lastOrderId: 'A-9', tier: 'member', visits: 1 });
    expect(updated.version).toBe(base.version + 1);
  });

  it('applies a key once: a retried task changes nothing', () => {
    const once = applyUpdate(base, { increment: { purchases: 1 } }, 'exec#count#1', read, now)!;
    expect(applyUpdate(once, { increment: { purchases: 1 } }, 'exec#count#1', read, now)).toBeUndefined();
    expect(applyUpdate(once, { increment: { purchases: 1 } }, 'exec#count#2', read, now)!.attributes.purchases).toBe(3);
  });

  it('keeps the time of an unset attribute, so an older event does not bring it back', () => {
    const unset = applyUpdate(base, { unset: ['plan'] }, 'k', read, now)!;
    expect(mergeAttributes(unset, { plan: 'free' }, '2026-11-15T00:00:00.000Z', now)).toBeUndefined();
  });
});

describe('API keys', () => {
  it('accepts a configured bearer key and nothing else', () => {
    expect(isAuthorized('Bearer k1', ['k0', 'k1'])).toBe(true);
    expect(isAuthorized('bearer   k1 ', ['k1'])).toBe(true);
    expect(isAuthorized('Bearer k2', ['k1'])).toBe(false);
    expect(isAuthorized('k1', ['k1'])).toBe(false);
    expect(isAuthorized(undefined, ['k1'])).toBe(false);
    expect(isAuthorized('Bearer ', [''])).toBe(false);
    // Segment's SDKs: Basic base64("<write key>:").
    expect(isAuthorized(`Basic ${Buffer.from('k1:').toString('base64')}`, ['k1'])).toBe(true);
    expect(isAuthorized(`Basic ${Buffer.from('k2:').toString('base64')}`, ['k1'])).toBe(false);
    expect(isAuthorized(`Basic ${Buffer.from(':k1').toString('base64')}`, ['k1'])).toBe(false);
  });

  it('reads the secret: the generated key has every scope, listed keys the scopes they name; mistakes open nothing', () => {
    expect(parseApiKeys({ key: 'gen' })).toStrictEqual([{ key: 'gen', scopes: ['read', 'write', 'admin'] }]);
    expect(parseApiKeys({ key: 'gen', keys: ['old', { key: 'page', scopes: ['read'] }, { key: 'etl', scopes: ['write', 'nonsense'] }, { key: 'bad' }, 42, ''] })).toStrictEqual([
      { key: 'gen', scopes: ['read', 'write', 'admin'] },
      { key: 'old', scopes: ['read', 'write', 'admin'] },
      { key: 'page', scopes: ['read'] },
      { key: 'etl', scopes: ['write'] },
    ]);
    expect(parseApiKeys(undefined)).toStrictEqual([]);
    expect(parseApiKeys('not json')).toStrictEqual([]);
  });

  it('lets a key call only the routes of its scopes; every route but the signed unsubscribe link needs one', async () => {
    const keys = parseApiKeys({ keys: [{ key: 'r', scopes: ['read'] }, { key: 'w', scopes: ['write'] }, { key: 'a', scopes: ['read', 'write', 'admin'] }] });
    const authorizer = createAuthorizerHandler({ keys: { keys: async () => keys } });
    const allowed = async (key: string, routeKey: string) => ((await authorizer({ routeKey, headers: { authorization: `Bearer ${key}` } } as never, {} as never)) as { isAuthorized: boolean }).isAuthorized;
    expect(await allowed('r', 'GET /journeys/{id}/report')).toBe(true);
    expect(await allowed('r', 'GET /profiles/{id}')).toBe(true);
    expect(await allowed('r', 'POST /events')).toBe(false);
    expect(await allowed('r', 'DELETE /profiles/{id}')).toBe(false);
    expect(await allowed('w', 'POST /events')).toBe(true);
    expect(await allowed('w', 'GET /journeys/{id}/report')).toBe(false);
    expect(await allowed('w', 'DELETE /profiles/{id}')).toBe(false);
    expect(await allowed('w', 'GET /profiles/{id}/export')).toBe(false);
    expect(await allowed('a', 'DELETE /profiles/{id}')).toBe(true);
    expect(await allowed('a', 'GET /nowhere')).toBe(false);
    for (const route of ROUTES) expect(Boolean((route as { scope?: string }).scope) !== Boolean((route as { tokenAuth?: boolean }).tokenAuth), route.operationId).toBe(true);
  });
});

describe('execution names', () => {
  it('are deterministic, valid for Step Functions, and hold no personal data', () => {
    const name = executionName('post-purchase', 'ada@example.com', 'evt-1');
    expect(name).toBe(executionName('post-purchase', 'ada@example.com', 'evt-1'));
    expect(name).not.toBe(executionName('post-purchase', 'ada@example.com', 'evt-2'));
    expect(name).toMatch(/^[0-9a-f]{40}$/);
    expect(name).not.toContain('ada');
  });
});
