import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { consentAllows, setConsent, verifyPreferences, verifyUnsubscribe } from '../../domain/consent';
import { changeProfile, loadProfile } from '../../domain/profile-writes';
import type { Profile } from '../../domain/profile';
import type { Clock, Log, ProfileStore } from '../../ports';
import { HttpError, httpErrors, rawBody } from '../http';
import { operationOf } from '../routes';

// GET and POST /unsubscribe?token=...: the link in List-Unsubscribe and in a template's {{unsubscribeUrl}}.
// RFC 8058 one-click is the POST (body "List-Unsubscribe=One-Click"); a GET from a person clicking the link does
// the same. GET and POST /preferences?token=...: the preference page ({{preferencesUrl}}), every list on every
// channel that sends them. The tokens are the credential: HMACs naming the profile (and for unsubscribe the
// channel and list), so no API key is needed and a forged one is refused.

export interface UnsubscribeDeps {
  profiles: ProfileStore;
  clock: Clock;
  key: () => Promise<string>;
  /** The lists a person may leave or join (template categories, opt-in lists), and those that need a yes. */
  lists: () => { lists: readonly string[]; optIn: readonly string[] };
  log: Log;
}

/** The channels a preference page offers: those with lists (an in-app inbox is the person's own). */
const CHANNELS = ['email', 'sms', 'push'] as const;

const page = (title: string, body: string): APIGatewayProxyResultV2 => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body: `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title>${body}`,
});
const invalid = () => new HttpError(400, 'InvalidToken', 'token: not a valid link token', [{ path: 'token', message: 'not a valid link token (forged, altered or truncated)' }]);
const tokenOf = (event: APIGatewayProxyEventV2) => {
  const token = event.queryStringParameters?.token ?? '';
  return token.length <= 2048 ? token : '';
};
const formOf = (event: APIGatewayProxyEventV2) => new URLSearchParams(rawBody(event));

function preferencesForm(profile: Profile, token: string, deps: UnsubscribeDeps, saved: boolean): APIGatewayProxyResultV2 {
  const { lists, optIn } = deps.lists();
  const rows = lists.map((list) => `<tr><th>${list}</th>${CHANNELS.map((c) => `<td><input type="checkbox" name="${c}.${list}" aria-label="${list} by ${c}"${consentAllows(profile, c, list, new Set(optIn)) ? ' checked' : ''}></td>`).join('')}</tr>`).join('');
  return page(
    'Your preferences',
    `<h1>What we send you</h1>${saved ? '<p role="status">Saved.</p>' : ''}<form method="post" action="?token=${encodeURIComponent(token)}"><table><tr><th></th>${CHANNELS.map((c) => `<th>${c}</th>`).join('')}</tr>${rows}</table><p><button type="submit">Save</button></p></form>`,
  );
}

export function createUnsubscribeHandler(deps: UnsubscribeDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .handler(async (event) => {
      const op = operationOf('unsubscribe', event);
      const token = tokenOf(event);
      if (op === 'getPreferences' || op === 'setPreferences') {
        const profileId = token ? verifyPreferences(token, await deps.key()) : undefined;
        if (!profileId) throw invalid();
        const profile = await loadProfile(deps.profiles, profileId);
        // An erased person is not brought back by an old link.
        if (!profile) return page('Your preferences', '<p>We hold nothing about you any more.</p>');
        if (op === 'getPreferences') return preferencesForm(profile, token, deps, false);
        const form = formOf(event);
        const at = deps.clock.now().toISOString();
        const changes = deps.lists().lists.flatMap((list) => CHANNELS.map((channel) => ({ channel, list, status: form.get(`${channel}.${list}`) === 'on' ? ('granted' as const) : ('denied' as const), at })));
        const saved = await changeProfile(profile.id, deps, (current, stamp) => {
          const changed = changes.reduce<Profile | undefined>((p, change) => setConsent(p ?? current, change, stamp) ?? p, undefined);
          return changed && { ...changed, version: current.version + 1 };
        });
        deps.log.info('preferences saved', { lists: changes.length });
        return preferencesForm(saved ?? profile, token, deps, true);
      }
      const claim = token ? verifyUnsubscribe(token, await deps.key()) : undefined;
      if (!claim) throw invalid();
      if (await loadProfile(deps.profiles, claim.profileId)) {
        const now = deps.clock.now().toISOString();
        await changeProfile(claim.profileId, deps, (current, stamp) => setConsent(current, { channel: claim.channel, list: claim.list, status: 'denied', at: now }, stamp));
      }
      deps.log.info('unsubscribed', { channel: claim.channel, list: claim.list, oneClick: event.requestContext.http.method === 'POST' });
      return page('Unsubscribed', `<p>You will not receive ${claim.list} ${claim.channel} from us any more.</p>`);
    });
}
