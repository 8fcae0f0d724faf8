import { lambda } from '../../platform-aws';
import { templateApi } from './function';

export const handler = lambda(templateApi);
