import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { IDENTITY_TYPES, identityOf, type IdentityType } from '../../domain/identity';
import { eraseProfile, exportProfile, findProfile, publicProfile, type PrivacyDeps } from '../../domain/privacy';
import { loadProfile } from '../../domain/profile-writes';
import { HttpError, httpErrors, json } from '../http';
import { profileIdParam } from '../ingest/profile-write';

const notFound = () => new HttpError(404, 'NotFound', 'no profile with this id');

/** The identity in GET /profiles?<type>=<value>: exactly one, of a known type. */
function lookupIdentity(query: Record<string, string | undefined> | undefined): string {
  const entries = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== '');
  const types = IDENTITY_TYPES.join(', ');
  const fail = (path: string, message: string) => new HttpError(400, 'ValidationError', `${path}: ${message}`, [{ path, message }]);
  if (entries.length !== 1) throw fail('query', `give exactly one identity to look up, as ?<type>=<value> with type one of ${types}`);
  const [type, value] = entries[0]!;
  if (!(IDENTITY_TYPES as readonly string[]).includes(type)) throw fail(type, `unknown identity type; use one of ${types}`);
  return identityOf(type as IdentityType, value!);
}

/** GET /profiles?email=..., GET /profiles/{id}, GET /profiles/{id}/export, DELETE /profiles/{id}. */
export function createProfileApiHandler(deps: PrivacyDeps) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpHeaderNormalizer())
    .use(httpErrors(deps.log))
    .handler(async (event) => {
      switch (event.routeKey) {
        case 'GET /profiles': {
          const profile = await findProfile(lookupIdentity(event.queryStringParameters), deps);
          if (!profile) throw notFound();
          return json(200, publicProfile(profile));
        }
        case 'GET /profiles/{id}': {
          const profile = await loadProfile(deps.profiles, profileIdParam(event.pathParameters));
          if (!profile) throw notFound();
          return json(200, publicProfile(profile));
        }
        case 'GET /profiles/{id}/export': {
          const data = await exportProfile(profileIdParam(event.pathParameters), deps);
          if (!data) throw notFound();
          deps.log.info('profile exported', { events: data.events.length, sends: data.sends.length });
          return json(200, data);
        }
        case 'DELETE /profiles/{id}': {
          const erased = await eraseProfile(profileIdParam(event.pathParameters), deps);
          if (!erased) throw notFound();
          return json(200, { erased: true, ...erased });
        }
        default:
          throw new HttpError(404, 'NotFound', 'no such route');
      }
    });
}
