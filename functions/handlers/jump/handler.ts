import { observe } from '../../observability';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeBus } from '../../adapters/eventbridge-bus';
import { requireEnv } from '../../config';
import { createJumpHandler } from './app';

export const handler = observe('jump', createJumpHandler({ bus: new EventBridgeBus(new EventBridgeClient({}), requireEnv('EVENT_BUS_NAME')) }));
