import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Workspace } from '../../workspace/load';
import { learningSchedules } from '../../workspace/learning';
import { ProfileTables } from '../constructs/profile-tables';
import { JourneyEventBus } from '../constructs/event-bus';
import { IngestApi, type IngestApiProps } from '../constructs/ingest-api';
import { IngestQueue } from '../constructs/ingest-queue';
import { ProfileApi } from '../constructs/profile-api';
import { Audiences } from '../constructs/audiences';
import { Campaigns } from '../constructs/campaigns';
import { Unsubscribe } from '../constructs/unsubscribe';
import { TemplateApi } from '../constructs/template-api';
import { DeliveryFeedback } from '../constructs/delivery-feedback';
import { Offers } from '../constructs/offers';
import { MessageChannels, type ProviderChannel } from '../constructs/message-channels';
import { CustomActions } from '../constructs/custom-actions';
import { JourneyEngine } from '../constructs/journey-engine';
import { JourneyCommons } from '../constructs/journey-commons';
import { JourneyResumes } from '../constructs/journey-resumes';
import { Reports } from '../constructs/reports';
import { Observability } from '../constructs/observability';
import { acknowledgeStackFindings } from '../nag';
import { WorkspaceSource } from '../constructs/workspace-source';

export interface JourneysStackProps extends StackProps {
  workspace: Workspace;
  fromAddress: string;
  /** The origin hosting the report page (https://reports.example.com): allowed by the API's CORS. */
  reportOrigin?: string;
  /** The provider channels deployed (context `channels`; default all). */
  channels?: readonly ProviderChannel[];
  /** The ingest API's limits (context: maxFutureSeconds, ingestMaxQueueDepth, ingestMaxQueueAgeSeconds). */
  ingestLimits?: IngestApiProps['limits'];
}

/**
 * The platform: every shared concern, one construct each (the journeys themselves are in the journey stacks).
 * Wiring only. Environment-agnostic, so `cdk synth` needs no credentials.
 */
export class JourneysStack extends Stack {
  /** What the journey stacks use (infra/stacks/journey-group-stack.ts). */
  readonly commons: JourneyCommons;
  readonly engine: JourneyEngine;
  readonly bus: JourneyEventBus;
  readonly tables: ProfileTables;

  constructor(scope: Construct, id: string, props: JourneysStackProps) {
    super(scope, id, props);
    new WorkspaceSource(this, props.workspace);
    const tables = new ProfileTables(this, 'Profiles');
    const bus = new JourneyEventBus(this, 'Events');
    const queue = new IngestQueue(this, 'Accepted', { tables, bus });
    const ingest = new IngestApi(this, 'Ingest', { tables, queue, ...(props.ingestLimits ? { limits: props.ingestLimits } : {}), ...(props.reportOrigin ? { reportOrigin: props.reportOrigin } : {}) });
    const channels = new MessageChannels(this, 'Channels', { tables, fromAddress: props.fromAddress, ...(props.channels ? { channels: props.channels } : {}) });
    const audiences = new Audiences(this, 'Audiences', { tables, bus, learning: learningSchedules(props.workspace) });
    // Profile imports (a job of the audience jobs function) put their lines on the ingest queue.
    queue.bindProducer(audiences.fn);
    const feedback = new DeliveryFeedback(this, 'Feedback', { configurationSet: channels.configurationSet, tables, bus });
    new Offers(this, 'Offers', { api: ingest.api, tables });
    const unsubscribe = new Unsubscribe(this, 'Unsubscribe', { api: ingest.api, tables });
    unsubscribe.bindSigner(channels.send);
    const campaigns = new Campaigns(this, 'Campaigns', { api: ingest.api, tables, bus, channels, audiences, fromAddress: props.fromAddress, campaigns: props.workspace.campaigns });
    unsubscribe.bindSigner(campaigns.fn);
    new TemplateApi(this, 'Templates', { api: ingest.api, tables, channels, unsubscribe, fromAddress: props.fromAddress });
    const profileApi = new ProfileApi(this, 'ProfileApi', { api: ingest.api, tables, ledger: channels.ledger, audiences });
    const engine = new JourneyEngine(this, 'Engine', { tables, bus });
    new CustomActions(this, 'Actions', { tables });
    // After every task function exists: the journeys' shared role invokes them.
    this.commons = new JourneyCommons(this, 'Journeys', { engine, bus: bus.bus });
    this.engine = engine;
    this.bus = bus;
    this.tables = tables;
    const commons = this.commons;
    commons.allowStop(profileApi.fn, 'erasure');
    campaigns.countGoals(props.workspace.campaigns, bus, commons);
    new JourneyResumes(this, 'Resumes', { engine, commons, eventResumers: [queue.consumer, feedback.fn], cancellers: [profileApi.fn] });
    new Reports(this, 'Reports', { api: ingest.api, tables, journeys: props.workspace.journeys });
    new Observability(this, 'Observability', {
      api: ingest.api,
      journeyNamePrefix: commons.namePrefix,
      stateMachines: [
        { name: 'CampaignRuns', machine: campaigns.runs },
        { name: 'AudienceJobs', machine: audiences.jobs },
      ],
    });
    acknowledgeStackFindings(this);
  }
}
