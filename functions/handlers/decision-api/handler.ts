import { lambda } from '../../platform-aws';
import { decisionApi } from './function';

export const handler = lambda(decisionApi);
