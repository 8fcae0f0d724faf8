import { lambda } from '../../platform-aws';
import { profileApi } from './function';

export const handler = lambda(profileApi);
