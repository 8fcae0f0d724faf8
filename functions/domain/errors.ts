import { SEND_ERRORS } from '../../statemachines/contract';

export class DomainError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Why a provider (SES, Pinpoint, SMS) call failed. `throttled` and `unavailable`: the provider certainly did
 * not take the message, so it may be retried. `rejected`: permanent. `unknown`: the provider may have taken it
 * (a timeout after the request left), so retrying could send twice.
 */
export type ProviderFailure = 'throttled' | 'unavailable' | 'rejected' | 'unknown';

export class ProviderError extends DomainError {
  constructor(
    readonly kind: ProviderFailure,
    message: string,
    options?: ErrorOptions & { deadTokens?: string[] },
  ) {
    super(message, options);
    this.deadTokens = options?.deadTokens ?? [];
  }

  /** Push: device tokens the provider says are gone for good (uninstalled apps). */
  readonly deadTokens: string[];
}

// These two names are matched by the Retry and Catch of the compiled state machine.
export class SendThrottledError extends DomainError {
  override readonly name = SEND_ERRORS.throttled;
}
export class SendInProgressError extends DomainError {
  override readonly name = SEND_ERRORS.inProgress;
}
export class PermanentSendError extends DomainError {
  override readonly name = SEND_ERRORS.permanent;
}

export class ConcurrentUpdateError extends DomainError {}
