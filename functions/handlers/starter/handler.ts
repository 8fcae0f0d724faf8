import { SFNClient } from '@aws-sdk/client-sfn';
import { StepFunctionsExecutions } from '../../adapters/sfn-executions';
import { logger } from '../../logger';
import { createStarterHandler } from './app';

export const handler = createStarterHandler({ executions: new StepFunctionsExecutions(new SFNClient({})), log: logger('journey-starter') });
