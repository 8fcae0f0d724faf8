import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The esbuild options every function is bundled with; bench/ builds the same bundles to report their sizes. */
export const BUNDLING = {
  minify: true,
  sourceMap: false,
  target: 'node24',
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  // Bundle the SDK too: pinned versions, tree-shaken, no reliance on the runtime's copy.
  externalModules: [] as string[],
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
  forceDockerBundling: false,
} as const;

export interface JourneyFunctionProps extends Pick<NodejsFunctionProps, 'environment' | 'timeout' | 'memorySize' | 'deadLetterQueue'> {
  /** The handler folder under functions/handlers. */
  handler: string;
  description: string;
  /** Constants inlined at bundle time. */
  define?: Record<string, string>;
}

/** A Lambda function with the project's defaults: ARM64, Node.js 24, X-Ray, a log group kept a month. */
export class JourneyFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: JourneyFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    super(scope, id, {
      entry: join(PROJECT_ROOT, 'functions', 'handlers', props.handler, 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_LOG_LEVEL: 'INFO', ...props.environment },
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      bundling: { ...BUNDLING, externalModules: [...BUNDLING.externalModules], mainFields: [...BUNDLING.mainFields], ...(props.define ? { define: props.define } : {}) },
    });
  }
}
