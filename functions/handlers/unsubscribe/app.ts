import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { setConsent, verifyUnsubscribe } from '../../domain/consent';
import { changeProfile, loadProfile } from '../../domain/profile-writes';
import type { Clock, Log, ProfileStore } from '../../ports';
import { HttpError, httpErrors } from '../http';

// GET and POST /unsubscribe?token=...: the link in List-Unsubscribe. RFC 8058 one-click is the POST (body
// "List-Unsubscribe=One-Click"); a GET from a person clicking the link does the same. The token is the
// credential: an HMAC over the profile, channel and list, so no API key is needed and a forged one is refused.

export interface UnsubscribeDeps {
  profiles: ProfileStore;
  clock: Clock;
  key: () => Promise<string>;
  log: Log;
}

const page = (text: string): APIGatewayProxyResultV2 => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: `<!doctype html><meta charset="utf-8"><title>Unsubscribed</title><p>${text}</p>`,
});

export function createUnsubscribeHandler(deps: UnsubscribeDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .handler(async (event) => {
      const token = event.queryStringParameters?.token ?? '';
      const claim = token.length <= 2048 ? verifyUnsubscribe(token, await deps.key()) : undefined;
      if (!claim) throw new HttpError(400, 'InvalidToken', 'token: not a valid unsubscribe token', [{ path: 'token', message: 'not a valid unsubscribe token (forged, altered or truncated)' }]);
      // An erased person is not brought back by an old link: nothing to record.
      if (await loadProfile(deps.profiles, claim.profileId)) {
        const now = deps.clock.now().toISOString();
        await changeProfile(claim.profileId, deps, (current, stamp) => setConsent(current, { channel: claim.channel, list: claim.list, status: 'denied', at: now }, stamp));
      }
      deps.log.info('unsubscribed', { channel: claim.channel, list: claim.list, oneClick: event.requestContext.http.method === 'POST' });
      return page(`You will not receive ${claim.list} ${claim.channel} from us any more.`);
    });
}
