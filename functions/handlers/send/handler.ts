import { observe } from '../../observability';
import { logger } from '../../logger';
import { createSendHandler } from './app';
import { sendDepsFromEnvironment } from './environment';

// The workspace's templates, inlined at bundle time by esbuild (infra/constructs/journey-function.ts).
declare const __WORKSPACE_TEMPLATES__: string | undefined;

export const handler = observe('send', createSendHandler(sendDepsFromEnvironment(typeof __WORKSPACE_TEMPLATES__ === 'string' ? JSON.parse(__WORKSPACE_TEMPLATES__) : {}, logger('journey-send'))), (r) => ({ [`message.${r.status}`]: 1 }));
