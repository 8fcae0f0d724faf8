import { lambda } from '../../platform-aws';
import { runs } from './function';

export const handler = lambda(runs);
