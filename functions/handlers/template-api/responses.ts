import * as z from 'zod';

// What the template API answers, for the API reference (the handler builds these from the domain's types).

export const previewResponseSchema = z
  .object({
    template: z.string(),
    channel: z.string(),
    locale: z.string().describe('The variant rendered: a locale tag, or default'),
    fields: z.record(z.string(), z.string()).describe('Each rendered field: subject, html, text (email), title, body (push, in-app)...'),
  })
  .meta({ id: 'Preview' });

export const proofResponseSchema = z
  .object({ preview: previewResponseSchema, list: z.string(), sent: z.array(z.object({ to: z.string(), messageId: z.string() })) })
  .meta({ id: 'Proof' });
