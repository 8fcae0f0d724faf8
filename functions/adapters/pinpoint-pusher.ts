import { SendMessagesCommand, type PinpointClient } from '@aws-sdk/client-pinpoint';
import { ProviderError, type ProviderFailure } from '../domain/errors';
import type { Deliverer, Outgoing } from '../ports';

// Push by End User Messaging Push, which is still Pinpoint's SendMessages API, addressed to device tokens.

const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException']);
const REJECTED = new Set(['BadRequestException', 'NotFoundException', 'ForbiddenException', 'PayloadTooLargeException', 'MethodNotAllowedException']);

/** The outcome of a call whose every address failed: retry only if none may have been delivered. */
function classifyResults(statuses: string[]): ProviderFailure {
  if (statuses.includes('UNKNOWN_FAILURE')) return 'unknown';
  if (statuses.every((s) => s === 'THROTTLED' || s === 'TEMPORARY_FAILURE')) return 'throttled';
  return 'rejected'; // PERMANENT_FAILURE, OPT_OUT, DUPLICATE
}

export class PinpointPusher implements Deliverer<'push'> {
  constructor(
    private readonly client: PinpointClient,
    /** Undefined where push is not deployed (-c channels): synth refuses push templates there. */
    private readonly applicationId: string | undefined,
  ) {}

  async deliver(message: Outgoing<'push'>): Promise<{ messageId: string; deadTokens?: string[] }> {
    if (!this.applicationId) throw new ProviderError('rejected', 'PushNotDeployed');
    const action = message.url ? 'URL' : 'OPEN_APP';
    // Data: the message's tags, for the app to echo in its push.opened event (the report and channel choice read them).
    const notification = { Title: message.title, Body: message.body, Action: action, ...(message.url ? { Url: message.url } : {}), Data: message.tags } as const;
    let response;
    try {
      response = await this.client.send(
        new SendMessagesCommand({
          ApplicationId: this.applicationId,
          MessageRequest: {
            Addresses: Object.fromEntries(message.to.map((a) => [a.token, { ChannelType: a.platform }])),
            MessageConfiguration: { APNSMessage: notification, GCMMessage: notification },
            Context: message.tags,
          },
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      throw new ProviderError(THROTTLED.has(name) ? 'throttled' : REJECTED.has(name) ? 'rejected' : 'unknown', name, { cause: error });
    }
    const byToken = Object.entries(response.MessageResponse?.Result ?? {});
    const results = byToken.map(([, r]) => r);
    // A permanent failure for one address is a dead token (the app was uninstalled): the profile drops it.
    const deadTokens = byToken.filter(([, r]) => r.DeliveryStatus === 'PERMANENT_FAILURE').map(([token]) => token);
    const delivered = results.find((r) => r.DeliveryStatus === 'SUCCESSFUL');
    if (delivered) return { messageId: delivered.MessageId ?? '', ...(deadTokens.length > 0 ? { deadTokens } : {}) };
    const statuses = results.map((r) => r.DeliveryStatus ?? 'UNKNOWN_FAILURE');
    throw new ProviderError(classifyResults(statuses.length > 0 ? statuses : ['UNKNOWN_FAILURE']), `no device took the notification: ${[...new Set(statuses)].join(', ')}`, { deadTokens });
  }
}
