import { lambda } from '../../platform-aws';
import { send } from './function';

export const handler = lambda(send);
