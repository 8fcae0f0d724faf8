import { SFNClient, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import type { TaskTokens } from '../ports';
import type { Platform } from '../platform';

const GONE = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

export class StepFunctionsTaskTokens implements TaskTokens {
  constructor(private readonly client: SFNClient) {}

  async succeed(taskToken: string, output: unknown): Promise<'resumed' | 'gone'> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return 'resumed';
    } catch (error) {
      if (GONE.has((error as Error).name)) return 'gone';
      throw error;
    }
  }
}

/** Resumes waitForEvent tasks: Step Functions on AWS, the in-process runner locally. */
export const taskTokensOf = (p: Platform): TaskTokens => p.local?.executions ?? p.once('tokens', () => new StepFunctionsTaskTokens(p.client(SFNClient)));
