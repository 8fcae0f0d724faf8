import { lambda } from '../../platform-aws';
import { profile } from './function';

export const handler = lambda(profile);
