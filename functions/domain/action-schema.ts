import * as z from 'zod';
import { parseDuration } from '../../statemachines/schema/duration';

// A named custom action (actions/<name>.json), called by webhook steps. Checked when a workspace is loaded.

const secretRef = z.strictObject({ secret: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, 'secret names are letters, digits, _ . -') });

export const actionSchema = z
  .strictObject({
    url: z
      .string()
      .refine((u) => /^https?:\/\/[^/{}]+(\/.*)?$/.test(u), 'url is http(s)://host/path; only the path and query may hold {{ }}')
      .refine((u) => {
        try {
          return ['https:', 'http:'].includes(new URL(u.replace(/\{\{[^}]*\}\}/g, 'x')).protocol);
        } catch {
          return false;
        }
      }, 'url must be an absolute http(s) URL'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'header names are letters, digits and -'), z.union([z.string(), secretRef])).default({}),
    body: z.string().max(64 * 1024).optional().describe('A Handlebars template for the body, with profile, event and journey in scope.'),
    timeout: z
      .string()
      .default('PT10S')
      .refine((t) => {
        const d = parseDuration(t);
        return d.ok && d.seconds <= 30;
      }, 'timeout is an ISO 8601 duration of at most PT30S'),
  })
  .refine((a) => a.url.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//.test(a.url), {
    message: 'url must use https (plain http only to localhost, for the local runtime)',
    path: ['url'],
  });

export type Action = z.output<typeof actionSchema>;
export type ActionInput = z.input<typeof actionSchema>;
