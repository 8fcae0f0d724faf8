import { lambda } from '../../platform-aws';
import { wait } from './function';

export const handler = lambda(wait);
