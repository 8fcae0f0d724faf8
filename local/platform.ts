import { logger, type LogLevel } from '../functions/logger';
import { memo, type ClientOptions, type LocalServices, type Platform, type Setting, type Tuning } from '../functions/platform';
import type { Workspace } from '../workspace/load';
import { sliceOf } from '../workspace/slices';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './emulators';

// The local platform: the same functions (functions/catalogue.ts) built against the emulators. SDK clients
// point at the emulator that stands in for their service; the bus, Step Functions, exports and secrets are
// the in-process stand-ins; the workspace is the one last loaded (npm start reloads it on save).

type ClientClass = new (config: ClientOptions & Record<string, unknown>) => unknown;

export interface LocalPlatformOptions {
  /** The emulator each SDK client class talks to; a class without one is not used locally. */
  endpoints: ReadonlyMap<ClientClass, string>;
  settings: Partial<Record<Setting, string>>;
  workspace: () => Workspace;
  local: LocalServices;
  tuning: Tuning;
  logLevel: LogLevel;
}

export function localPlatform(o: LocalPlatformOptions): Platform {
  return {
    ...memo((Class, options) => {
      const endpoint = o.endpoints.get(Class);
      if (!endpoint) throw new Error(`no local emulator for ${Class.name}: locally its service runs in-process`);
      return new Class({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint, ...options });
    }),
    setting(name) {
      const value = o.settings[name];
      if (value === undefined) throw new Error(`the local runtime has no setting ${name}`);
      return value;
    },
    optional: (name) => o.settings[name],
    workspace: (name) => sliceOf(o.workspace(), name),
    log: (service) => logger(service, o.logLevel),
    local: o.local,
    tuning: o.tuning,
  };
}
