import { lambda } from '../../platform-aws';
import { feedback } from './function';

export const handler = lambda(feedback);
