import { lambda } from '../../platform-aws';
import { audienceJobs } from './function';

export const handler = lambda(audienceJobs);
