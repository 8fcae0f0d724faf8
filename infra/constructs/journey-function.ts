import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing, type EnvironmentOptions } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { contentFile } from '../content-file';
import type { FunctionDef } from '../../functions/platform';
import type { Workspace } from '../../workspace/load';
import { slicesOf } from '../../workspace/slices';
import { WorkspaceSource } from './workspace-source';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The esbuild options every function is bundled with; bench/ builds the same bundles to report their sizes. */
export const BUNDLING = {
  minify: true,
  sourceMap: false,
  target: 'node24',
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  // The AWS SDK v3 that the Node.js 24 runtime includes (ES module imports resolve it since Node.js 18; CDK's
  // own default): bundling it cost 270-800 KiB and ~200 ms of cold start per function for clients the runtime
  // already has. The calls made here (DynamoDB, SES v2 SendEmail, Pinpoint SendMessages, SMS v2, Step
  // Functions, EventBridge, S3, Secrets Manager) are long-stable APIs; tests and the local runtime use the
  // versions pinned in package-lock.json.
  externalModules: ['@aws-sdk/*'] as string[],
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
  forceDockerBundling: false,
} as const;

export interface JourneyFunctionProps extends Pick<NodejsFunctionProps, 'environment' | 'timeout' | 'memorySize' | 'deadLetterQueue'> {
  /** The function, as the catalogue declares it (functions/catalogue.ts). */
  fn: FunctionDef;
}

/**
 * What a function's bundle carries of the workspace: the slices it declares, as the one constant
 * `__WORKSPACE__`, from a generated module esbuild injects. A file, not a `define` on esbuild's command line: the
 * workspace of a few hundred journeys outgrows the operating system's argument limit (E2BIG). Named by its
 * content, so the same workspace gives the same file and the same bundle.
 */
export function bundleInject(fn: Pick<FunctionDef, 'slices'>, workspace: Workspace): string[] {
  if (fn.slices.length === 0) return [];
  return [contentFile('open-journeys-slices', '.mjs', `export const __WORKSPACE__ = ${JSON.stringify(JSON.stringify(slicesOf(workspace, fn.slices)))};\n`)];
}

/**
 * A Lambda function of the catalogue with the project's defaults: ARM64, Node.js 24, X-Ray, a log group kept a
 * month. Synth fails when a setting the function declares was not set (by the construct that grants it).
 */
export class JourneyFunction extends NodejsFunction {
  private static readonly byApp = new WeakMap<object, Map<FunctionDef, JourneyFunction>>();

  /** The function of the catalogue in this app (created by the construct of its concern, in the platform stack). */
  static of(scope: Construct, fn: FunctionDef): JourneyFunction {
    const found = JourneyFunction.byApp.get(scope.node.root)?.get(fn);
    if (!found) throw new Error(`${fn.name} is not in the app yet`);
    return found;
  }

  // Filled from the constructor of Function (which calls addEnvironment before this class's fields exist).
  declare private settings: Set<string> | undefined;

  constructor(scope: Construct, id: string, props: JourneyFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const inject = bundleInject(props.fn, WorkspaceSource.of(scope));
    super(scope, id, {
      entry: join(PROJECT_ROOT, 'functions', 'handlers', props.fn.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      description: props.fn.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_LOG_LEVEL: 'INFO', ...props.environment },
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      bundling: { ...BUNDLING, externalModules: [...BUNDLING.externalModules], mainFields: [...BUNDLING.mainFields], ...(inject.length > 0 ? { inject } : {}) },
    });
    const functions = JourneyFunction.byApp.get(this.node.root) ?? new Map<FunctionDef, JourneyFunction>();
    JourneyFunction.byApp.set(this.node.root, functions.set(props.fn, this));
    this.node.addValidation({
      validate: () => props.fn.settings.filter((name) => !this.settings?.has(name)).map((name) => `${props.fn.name} needs the setting ${name}, which no construct set`),
    });
  }

  override addEnvironment(key: string, value: string, options?: EnvironmentOptions): this {
    (this.settings ??= new Set()).add(key);
    return super.addEnvironment(key, value, options);
  }
}
