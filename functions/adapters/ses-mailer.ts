import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { ProviderError, type ProviderFailure } from '../domain/errors';
import type { Deliverer, Outgoing } from '../ports';

const THROTTLED = new Set(['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException']);
const REJECTED = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
]);
// The request never reached the provider: safe to try again.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export function classifySesError(error: unknown): ProviderFailure {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (e.name && THROTTLED.has(e.name)) return 'throttled';
  if (e.name && REJECTED.has(e.name)) return 'rejected';
  if (e.code && NOT_SENT_CODES.has(e.code)) return 'unavailable';
  if (e.$metadata?.httpStatusCode === 503) return 'unavailable';
  return 'unknown';
}

/**
 * SES v2. The client must be built with maxAttempts: 1: the SDK's own retry could send a message twice after
 * a timeout; retries happen in the state machine, after the ledger says it is safe.
 */
export class SesMailer implements Deliverer<'email'> {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    private readonly configurationSet: string | undefined,
  ) {}

  async deliver(email: Outgoing<'email'>): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                ...(email.html !== undefined ? { Html: { Data: email.html, Charset: 'UTF-8' } } : {}),
                ...(email.text !== undefined ? { Text: { Data: email.text, Charset: 'UTF-8' } } : {}),
              },
              ...(email.headers ? { Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })) } : {}),
            },
          },
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
          EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      const e = error as Error;
      throw new ProviderError(classifySesError(error), e.name ?? 'Error', { cause: error });
    }
  }
}
