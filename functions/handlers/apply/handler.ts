import { lambda } from '../../platform-aws';
import { apply } from './function';

export const handler = lambda(apply);
