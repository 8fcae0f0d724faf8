import { memo, type LocalServices, type Platform, type Setting, type Slices, type Tuning } from '../functions/platform';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/emulators';
import { silentLog } from './unit/helpers';

// A platform for tests: clients made as the functions ask (aws-sdk-client-mock intercepts them by class, or
// they reach the emulator given as `endpoint`), settings and workspace slices given, nothing else.

export const TEST_SETTINGS: Partial<Record<Setting, string>> = {
  PROFILES_TABLE: 'profiles',
  SEND_LEDGER_TABLE: 'ledger',
  EVENT_BUS_NAME: 'journeys',
  FROM_ADDRESS: 'shop@example.com',
  CONFIGURATION_SET: 'journeys',
  PINPOINT_APPLICATION_ID: 'app-1',
};

const EMPTY: Slices = {
  templates: {},
  audiences: [],
  campaigns: {},
  offers: [],
  decisions: {},
  actions: {},
  rules: { frequencyCaps: [], optInLists: [], deliverability: { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSends: 100 }, proofLists: {}, lists: [] },
  attributes: null,
  journeyCaps: [],
  fanOuts: [],
  models: [],
};

export function testPlatform(o: { settings?: Partial<Record<Setting, string>>; workspace?: Partial<Slices>; endpoint?: (Class: { name: string }) => string | undefined; local?: Partial<LocalServices>; tuning?: Tuning } = {}): Platform {
  const settings = { ...TEST_SETTINGS, ...o.settings };
  const slices = { ...EMPTY, ...o.workspace };
  return {
    ...memo((Class, options) => {
      const endpoint = o.endpoint?.(Class);
      return new Class({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, ...(endpoint ? { endpoint } : {}), ...options });
    }),
    setting(name) {
      const value = settings[name];
      if (value === undefined) throw new Error(`no test setting ${name}`);
      return value;
    },
    optional: (name) => settings[name],
    workspace: (name) => slices[name],
    log: () => silentLog,
    ...(o.local ? { local: o.local } : {}),
    ...(o.tuning ? { tuning: o.tuning } : {}),
  };
}
