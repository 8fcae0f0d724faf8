import { lambda } from '../../platform-aws';
import { campaign } from './function';

export const handler = lambda(campaign);
