import { lambda } from '../../platform-aws';
import { ingest } from './function';

export const handler = lambda(ingest);
