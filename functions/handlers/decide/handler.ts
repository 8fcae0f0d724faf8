import { lambda } from '../../platform-aws';
import { decide } from './function';

export const handler = lambda(decide);
