import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Emulator } from './emulators';

// A local stand-in for End User Messaging Push (Pinpoint's SendMessages, REST-JSON) and SMS (SendTextMessage,
// JSON 1.0): no emulator exists on the registry, and this keeps the same SDK clients and adapters in use.
// Captured messages at GET /store (JSON) and GET / (a page); POST /clear-store empties it.
// A device token starting with "invalid" is refused, as Pinpoint answers PERMANENT_FAILURE for a dead token.

export interface CapturedPush {
  channel: 'push';
  messageId: string;
  to: Array<{ token: string; platform: string }>;
  title?: string;
  body?: string;
  url?: string;
  context: Record<string, string>;
  at: string;
}
export interface CapturedSms {
  channel: 'sms';
  messageId: string;
  to: string;
  body: string;
  context: Record<string, string>;
  at: string;
}

const read = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startMessaging(port: number): Promise<Emulator & { store: { push: CapturedPush[]; sms: CapturedSms[] } }> {
  const store = { push: [] as CapturedPush[], sms: [] as CapturedSms[] };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(body));
    };
    const apps = /^\/v1\/apps\/([^/]+)\/messages$/.exec(url.pathname);
    if (req.method === 'POST' && apps) {
      const request = JSON.parse(await read(req)) as {
        Addresses?: Record<string, { ChannelType?: string }>;
        MessageConfiguration?: { APNSMessage?: { Title?: string; Body?: string; Url?: string }; GCMMessage?: { Title?: string; Body?: string; Url?: string } };
        Context?: Record<string, string>;
      };
      const note = request.MessageConfiguration?.APNSMessage ?? request.MessageConfiguration?.GCMMessage ?? {};
      const messageId = randomUUID();
      const result: Record<string, unknown> = {};
      const to: CapturedPush['to'] = [];
      for (const [token, address] of Object.entries(request.Addresses ?? {})) {
        const dead = token.startsWith('invalid');
        result[token] = dead
          ? { DeliveryStatus: 'PERMANENT_FAILURE', StatusCode: 410, StatusMessage: 'The device token is not registered' }
          : { DeliveryStatus: 'SUCCESSFUL', StatusCode: 200, MessageId: `${messageId}-${to.length}` };
        if (!dead) to.push({ token, platform: address.ChannelType ?? '' });
      }
      if (to.length > 0) store.push.push({ channel: 'push', messageId, to, title: note.Title, body: note.Body, url: note.Url, context: request.Context ?? {}, at: new Date().toISOString() });
      return json(200, { ApplicationId: apps[1], RequestId: randomUUID(), Result: result });
    }
    if (req.method === 'POST' && req.headers['x-amz-target'] === 'PinpointSMSVoiceV2.SendTextMessage') {
      const request = JSON.parse(await read(req)) as { DestinationPhoneNumber: string; MessageBody?: string; Context?: Record<string, string> };
      const messageId = randomUUID();
      store.sms.push({ channel: 'sms', messageId, to: request.DestinationPhoneNumber, body: request.MessageBody ?? '', context: request.Context ?? {}, at: new Date().toISOString() });
      return json(200, { MessageId: messageId }, 'application/x-amz-json-1.0');
    }
    if (req.method === 'GET' && url.pathname === '/store') return json(200, store);
    if (req.method === 'POST' && url.pathname === '/clear-store') {
      store.push.length = 0;
      store.sms.length = 0;
      return json(200, { message: 'Store cleared' });
    }
    if (req.method === 'GET' && url.pathname === '/') {
      const rows = [
        ...store.push.map((m) => `<tr><td>${m.at}</td><td>push</td><td>${escape(m.to.map((t) => `${t.platform} ${t.token}`).join(', '))}</td><td><b>${escape(m.title ?? '')}</b><br>${escape(m.body ?? '')}</td></tr>`),
        ...store.sms.map((m) => `<tr><td>${m.at}</td><td>sms</td><td>${escape(m.to)}</td><td>${escape(m.body)}</td></tr>`),
      ].sort().reverse();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(
        `<!doctype html><meta charset="utf-8"><title>Push and SMS outbox</title><style>body{font-family:sans-serif}td{border-top:1px solid #ddd;padding:4px 8px;vertical-align:top}</style><h1>Push and SMS outbox</h1><table><tr><th>at</th><th>channel</th><th>to</th><th>message</th></tr>${rows.join('')}</table>`,
      );
    }
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
