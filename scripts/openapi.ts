import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod';
import { errorSchema, eventBatchSchema, eventSchema, identitiesSchema, ingestResponseSchema } from '../functions/handlers/ingest/schema';
import { profileWriteSchema } from '../functions/handlers/ingest/profile-write';
import { profileImportSchema, profileLineSchema } from '../functions/handlers/ingest/profile-import';
import { decisionRequestSchema } from '../functions/handlers/decision-api/app';
import { campaignReportSchema, catalogAcceptedSchema, catalogEventsSchema, runReportSchema, runStatusSchema, triggerSchema, triggeredSchema } from '../functions/handlers/campaign-api/schema';
import { journeyReportSchema, modelReportSchema } from '../functions/handlers/report-api/app';
import { importStartSchema, modelJobSchema, audienceJobSchema, erasureSchema, exportStartedSchema, inboxSchema, profileExportSchema, profileSchema } from '../functions/handlers/profile-api/schema';
import { ROUTES } from '../functions/handlers/routes';
import { OPERATION_DOCS } from '../functions/handlers/routes-doc';
import { previewSchema, proofSchema } from '../functions/handlers/template-api/schema';
import { previewResponseSchema, proofResponseSchema } from '../functions/handlers/template-api/responses';
import { batchItem, segmentAlias, segmentBatch, segmentIdentify, segmentTrack, segmentView } from '../functions/handlers/ingest/segment';

// The API reference, generated from the same zod schemas the handlers validate with: `npm run docs`.

export function buildOpenApi(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of [
    ['Event', eventSchema],
    // Named by the schemas that use it: in the registry, so their $ref resolves here (not to zod's __shared).
    ['Identities', identitiesSchema],
    ['EventBatch', eventBatchSchema],
    ['IngestResult', ingestResponseSchema],
    ['Error', errorSchema],
    ['SegmentTrack', segmentTrack],
    ['SegmentIdentify', segmentIdentify],
    ['SegmentAlias', segmentAlias],
    ['SegmentBatch', segmentBatch],
    ['ProfileWrite', profileWriteSchema],
    ['ProfileLine', profileLineSchema],
    ['ProfileImport', profileImportSchema],
    ['Profile', profileSchema],
    ['ProfileExport', profileExportSchema],
    ['Erasure', erasureSchema],
    ['Inbox', inboxSchema],
    ['AudienceExportStarted', exportStartedSchema],
    ['ModelJob', modelJobSchema],
    ['AudienceJob', audienceJobSchema],
    ['ProfileImportStart', importStartSchema],
    ['CampaignTrigger', triggerSchema],
    ['DecisionRequest', decisionRequestSchema],
    ['CampaignTriggered', triggeredSchema],
    ['CatalogEvents', catalogEventsSchema],
    ['CatalogAccepted', catalogAcceptedSchema],
    ['CampaignRun', runReportSchema],
    ['CampaignRunStatus', runStatusSchema],
    ['CampaignReport', campaignReportSchema],
    ['JourneyReport', journeyReportSchema],
    ['ModelReport', modelReportSchema],
    ['TemplatePreview', previewSchema],
    ['TemplateProof', proofSchema],
    ['Preview', previewResponseSchema],
    ['Proof', proofResponseSchema],
  ] as const) {
    registry.add(schema, { id });
  }
  registry.add(segmentView, { id: 'SegmentPageOrScreen' });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
    // A batch item is checked by its type in code; described here as what it is.
    override: (ctx) => {
      // In a batch, `type` is required and picks the schema: the branches exclude each other, as oneOf needs.
      if (ctx.zodSchema === batchItem) {
        const byType: Array<[string, string[]]> = [['SegmentTrack', ['track']], ['SegmentIdentify', ['identify']], ['SegmentPageOrScreen', ['page', 'screen']], ['SegmentAlias', ['alias']]];
        ctx.jsonSchema.oneOf = byType.map(([id, types]) => ({ allOf: [{ $ref: `#/components/schemas/${id}` }, { type: 'object', required: ['type'], properties: { type: { enum: types } } }] }));
      }
    },
  });
  for (const schema of Object.values(schemas)) {
    delete (schema as { $schema?: string }).$schema;
    delete (schema as { $id?: string }).$id;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'open-journeys API',
      version: '0.1.0',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      description:
        'Events in, journeys out. Every route needs an API key (AWS: the keys in the ApiKeySecretArn secret; locally: local-dev-key, and local-read-key for reads), as `Authorization: Bearer <key>`, or, as Segment SDKs send it, `Authorization: Basic base64(<key>:)`. A key holds scopes: `read` (reports, profile reads), `write` (events, profile writes, decisions, campaign triggers and runs), `admin` (erasure, a person\'s data export, audience exports); each operation names the one it needs.',
    },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'npm start (the local runtime)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'A deployment: the stack output ApiUrl ({apiId}: the HTTP API id; {region}: its AWS Region)',
        variables: { apiId: { default: 'abcdef1234' }, region: { default: 'eu-west-1' } },
      },
    ],
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key, checked by the Lambda authorizer.' },
        writeKey: { type: 'http', scheme: 'basic', description: 'Segment style: the API key as the user name, no password.' },
      },
    },
    security: [{ apiKey: [] }, { writeKey: [] }],
    paths: pathsOf(),
  };
}

/** The paths, from the route table: each route's operation, documented in routes-doc.ts. */
function pathsOf(): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const { path: described = {}, parameters = [], ...doc } = OPERATION_DOCS[route.operationId];
    const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' }, ...described[name!] }));
    const params = [...pathParameters, ...parameters];
    const scope = (route as { scope?: string }).scope;
    const description = [(doc as { description?: string }).description, scope ? `API key scope: \`${scope}\`.` : undefined].filter(Boolean).join(' ');
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: { operationId: route.operationId, ...doc, ...(description ? { description } : {}), ...(params.length > 0 ? { parameters: params } : {}) } };
  }
  return paths;
}

export const OPENAPI_FILE = resolve(import.meta.dirname, '..', 'docs', 'openapi.json');
export const renderOpenApi = () => `${JSON.stringify(buildOpenApi(), null, 2)}\n`;

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'openapi.ts')) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${OPENAPI_FILE}`);
}
