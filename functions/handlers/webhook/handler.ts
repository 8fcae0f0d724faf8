import { lambda } from '../../platform-aws';
import { webhook } from './function';

export const handler = lambda(webhook);
