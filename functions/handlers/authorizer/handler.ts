import { lambda } from '../../platform-aws';
import { authorizer } from './function';

export const handler = lambda(authorizer);
