import { lambda } from '../../platform-aws';
import { jump } from './function';

export const handler = lambda(jump);
