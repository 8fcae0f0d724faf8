// The layering the code keeps (README, "Architecture"), checked by test/unit/layers.test.ts.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import loops, type-only imports included: a loop ties modules that should be apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'language-is-pure',
      severity: 'error',
      comment: 'The journey language and its compiler: no AWS SDK, no I/O, nothing of the functions or the infrastructure.',
      from: { path: '^statemachines/' },
      to: { path: ['^functions/', '^infra/', '^local/', '^workspace/', '@aws-sdk', 'aws-cdk-lib', '^node:fs', '^fs$'] },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'Domain logic calls ports; adapters and handlers are where AWS is.',
      from: { path: '^functions/domain/' },
      to: { path: ['@aws-sdk', '^functions/adapters/', '^functions/handlers/', '^functions/wiring/', '^infra/', '^local/'] },
    },
    {
      name: 'functions-stay-out-of-infra-and-local',
      severity: 'error',
      comment: 'What runs in a Lambda never imports the CDK app or the local runtime.',
      from: { path: '^functions/' },
      to: { path: ['^infra/', '^local/', '^workspace/', 'aws-cdk-lib'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['^node_modules', '^cdk.out', '^\\.tmp'] },
  },
};
