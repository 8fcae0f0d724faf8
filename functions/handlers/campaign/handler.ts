import { observe } from '../../observability';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetAccountCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { S3Client } from '@aws-sdk/client-s3';
import type { Audience, Campaign } from '../../../statemachines';
import { EventBridgeBus } from '../../adapters/eventbridge-bus';
import { S3ExportSink } from '../../adapters/s3-export-sink';
import { requireEnv } from '../../config';
import { logger } from '../../logger';
import { campaignDeps } from '../../wiring';
import { sendDepsFromEnvironment } from '../send/environment';
import { createCampaignHandler } from './app';

// The workspace, inlined at bundle time by esbuild (infra/constructs/campaigns.ts).
declare const __WORKSPACE_TEMPLATES__: string | undefined;
declare const __WORKSPACE_AUDIENCES__: string | undefined;
declare const __WORKSPACE_CAMPAIGNS__: string | undefined;
const parse = <T>(text: string | undefined, empty: T): T => (typeof text === 'string' ? (JSON.parse(text) as T) : empty);
const campaigns = parse<Record<string, Campaign>>(typeof __WORKSPACE_CAMPAIGNS__ === 'string' ? __WORKSPACE_CAMPAIGNS__ : undefined, {});
const audiences = parse<Audience[]>(typeof __WORKSPACE_AUDIENCES__ === 'string' ? __WORKSPACE_AUDIENCES__ : undefined, []);

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESv2Client({ maxAttempts: 1 });
const log = logger('campaign');
let quota: number | undefined;

export const handler = observe('campaign', createCampaignHandler(
  campaignDeps({
    doc,
    profilesTable: requireEnv('PROFILES_TABLE'),
    campaigns: (id) => (Object.hasOwn(campaigns, id) ? campaigns[id] : undefined),
    audiences: () => audiences,
    sink: new S3ExportSink(new S3Client({}), requireEnv('EXPORTS_BUCKET')),
    send: sendDepsFromEnvironment(parse(typeof __WORKSPACE_TEMPLATES__ === 'string' ? __WORKSPACE_TEMPLATES__ : undefined, {}), log, { doc, ses }),
    bus: new EventBridgeBus(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')),
    // The account's SES sending rate: a run never asks for more.
    sendQuota: async () => {
      if (quota === undefined) quota = (await ses.send(new GetAccountCommand({}))).SendQuota?.MaxSendRate;
      return quota;
    },
    log,
  }),
));
