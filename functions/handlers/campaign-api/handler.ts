import { lambda } from '../../platform-aws';
import { campaignApi } from './function';

export const handler = lambda(campaignApi);
