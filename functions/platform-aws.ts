import { requireEnv } from './config';
import { logger } from './logger';
import { observe } from './observability';
import { memo, scoped, type FunctionDef, type Platform, type Slices } from './platform';

// The AWS platform: settings from the Lambda environment (set by the CDK constructs), the workspace slices the
// function declares (bundled as one constant, infra/constructs/journey-function.ts), clients made once.

declare const __WORKSPACE__: string | undefined;

function awsPlatform(def: FunctionDef): Platform {
  const slices: Partial<Slices> = typeof __WORKSPACE__ === 'string' ? JSON.parse(__WORKSPACE__) : {};
  return {
    ...memo((Class, options) => new Class({ ...options })),
    setting: requireEnv,
    optional: (name) => process.env[name] || undefined,
    workspace(name) {
      const slice = slices[name];
      if (slice === undefined) throw new Error(`the workspace slice ${name} is not bundled with ${def.name}`);
      return slice;
    },
    log: (service) => logger(service),
  };
}

/** The Lambda entry of a function: built once per container, observed (metrics) like every other. */
export function lambda<E, R>(def: FunctionDef<E, R>) {
  return observe(def.name, def.create(scoped(awsPlatform(def), def)), def.metrics);
}
