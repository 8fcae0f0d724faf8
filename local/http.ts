import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { lambdaContext } from './lambda';
import { matchPath } from '../functions/handlers/routes';

// The HTTP API on localhost: the same routes, the same Lambda authorizer in front of every route, and API
// Gateway's v2 payload, so the handlers cannot tell the difference.

type ApiHandler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;
type Authorizer = (event: APIGatewayRequestAuthorizerEventV2, context: ReturnType<typeof lambdaContext>) => Promise<{ isAuthorized: boolean }>;

export interface Route {
  method: string;
  path: string;
  /** Skips the authorizer: the handler checks the request's own signed token. */
  tokenAuth?: boolean;
  name: string;
  handler: ApiHandler;
}

const MAX_REQUEST_BYTES = 10 * 1024 * 1024; // API Gateway's payload limit

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, statusCode: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  res.writeHead(statusCode, headers);
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export async function startHttpApi(options: {
  port: number;
  routes: Route[];
  authorizer: Authorizer;
  /** Unauthenticated informational page at GET / (what runs where). */
  index: () => unknown;
  /** Static pages (no data in them: they call the API with a key), by path. */
  pages?: Record<string, () => string>;
}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && url.pathname === '/') return send(res, 200, options.index());
      const page = options.pages && Object.hasOwn(options.pages, url.pathname) ? options.pages[url.pathname] : undefined;
      if (req.method === 'GET' && page) return send(res, 200, page(), { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'" });
      let pathParameters: Record<string, string> | undefined;
      const route = options.routes.find((r) => r.method === req.method && (pathParameters = matchPath(r.path, url.pathname)) !== undefined);
      if (!route) return send(res, 404, { message: 'Not Found' });
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]));
      const routeKey = `${route.method} ${route.path}`;
      const requestContext = {
        accountId: '000000000000',
        apiId: 'local',
        domainName: url.host,
        domainPrefix: 'local',
        http: { method: route.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
      };
      // API Gateway: no identity source header → 401; a denial → 403. The handler never runs.
      const auth = route.tokenAuth
        ? { isAuthorized: true }
        : !headers.authorization
          ? undefined
          : await options.authorizer(
        { version: '2.0', type: 'REQUEST', routeArn: `local/${routeKey}`, identitySource: [headers.authorization], routeKey, rawPath: url.pathname, rawQueryString: url.search.slice(1), headers, requestContext } as APIGatewayRequestAuthorizerEventV2,
        lambdaContext('authorizer'),
      );
      if (!auth) return send(res, 401, { message: 'Unauthorized' });
      if (!auth.isAuthorized) return send(res, 403, { message: 'Forbidden' });

      const body = await readBody(req);
      if (body === undefined) return send(res, 413, { message: 'Request Entity Too Large' });
      const event = {
        version: '2.0',
        routeKey,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        requestContext,
        ...(Object.keys(pathParameters ?? {}).length > 0 ? { pathParameters } : {}),
        ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
        body: body.toString('utf8'),
        isBase64Encoded: false,
      } as APIGatewayProxyEventV2;
      const result = (await route.handler(event, lambdaContext(route.name))) as APIGatewayProxyStructuredResultV2;
      send(res, result.statusCode ?? 200, result.body ?? '', (result.headers as Record<string, string>) ?? {});
    } catch {
      // API Gateway answers 500 when the integration itself fails.
      send(res, 500, { message: 'Internal Server Error' });
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
