import { lambda } from '../../platform-aws';
import { reportApi } from './function';

export const handler = lambda(reportApi);
