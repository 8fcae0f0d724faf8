import { lambda } from '../../platform-aws';
import { starter } from './function';

export const handler = lambda(starter);
