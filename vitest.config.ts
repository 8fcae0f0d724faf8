import { defineConfig } from 'vitest/config';

// The journey tests that run a second time with every journey in Standard mode (Express is the default): the
// ones that exercise waits, waits for events, exits, goals, reports, versions, quiet hours and effects.
const BOTH_MODES = ['steps', 'local-runtime', 'runs', 'reports', 'stories', 'versions', 'webhook', 'quiet-hours', 'local-time', 'privacy', 'intelligence'].map((f) => `test/integration/${f}.test.ts`);

const shared = {
  setupFiles: ['test/setup.ts'],
  // The CDK test bundles every Lambda with esbuild; the integration tests start the emulators.
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Under CI a JSON report too, from which .ci/run prints its closing line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/out/vitest.json' }]] : ['default'],
    projects: [
      { test: { ...shared, name: 'express', include: ['test/**/*.test.ts'], env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false' } } },
      { test: { ...shared, name: 'standard', include: BOTH_MODES, env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false', JO_EXECUTION: 'standard' } } },
    ],
  },
});
