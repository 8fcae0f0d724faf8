import { busOf } from '../../adapters/eventbridge-bus';
import { defineFunction } from '../../platform';
import { createJumpHandler } from './app';

export const jump = defineFunction({
  name: 'jump',
  description: 'Enters a profile into another journey (a jump step)',
  settings: ['EVENT_BUS_NAME'],
  slices: [],
  create: (p) => createJumpHandler({ bus: busOf(p) }),
});
