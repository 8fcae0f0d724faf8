import { SendTextMessageCommand, type PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { ProviderError } from '../domain/errors';
import type { Deliverer, Outgoing } from '../ports';

// SMS by End User Messaging SMS (the pinpoint-sms-voice-v2 API).

const THROTTLED = new Set(['ThrottlingException']);
const REJECTED = new Set(['ValidationException', 'ConflictException', 'AccessDeniedException', 'ResourceNotFoundException', 'ServiceQuotaExceededException']);

export class SmsTexter implements Deliverer<'sms'> {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    private readonly options: { originationIdentity?: string | undefined; configurationSet?: string | undefined } = {},
  ) {}

  async deliver(message: Outgoing<'sms'>): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          MessageBody: message.body,
          MessageType: 'TRANSACTIONAL',
          Context: message.tags,
          ...(this.options.originationIdentity ? { OriginationIdentity: this.options.originationIdentity } : {}),
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      const name = (error as Error).name;
      throw new ProviderError(THROTTLED.has(name) ? 'throttled' : REJECTED.has(name) ? 'rejected' : 'unknown', name, { cause: error });
    }
  }
}
