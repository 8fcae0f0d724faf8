import { lambda } from '../../platform-aws';
import { unsubscribe } from './function';

export const handler = lambda(unsubscribe);
