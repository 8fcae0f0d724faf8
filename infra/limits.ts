import { readFileSync } from 'node:fs';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1, PolicyViolationBeta1 } from 'aws-cdk-lib';

// The AWS limits a deployment must stay within, checked on every synthesized template (a validation plugin, so
// `cdk synth` fails with the figure and the limit before CloudFormation would refuse the stack). Each budget
// keeps headroom under the hard limit.

export const DEPLOY_LIMITS = {
  /** CloudFormation: 500 resources per stack. */
  resources: { limit: 500, budget: 450 },
  /** CloudFormation: a template of at most 1 MB (from S3). */
  templateBytes: { limit: 1_000_000, budget: 800_000 },
  /** EventBridge: 300 rules per event bus (the default quota). */
  rulesPerBus: { limit: 300, budget: 250 },
  /** IAM: 10,240 characters of inline policy per role. */
  policyBytes: { limit: 10_240, budget: 8_192 },
  /** Step Functions: a definition of at most 1 MB (the journey compiler checks its own budget first). */
  definitionBytes: { limit: 1_048_576, budget: 800_000 },
} as const;

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

export interface StackFigures {
  resources: number;
  templateBytes: number;
  /** Rules per bus (the bus as the template names it; `default` for the account's default bus). */
  rulesPerBus: Record<string, number>;
  largestPolicy: { id: string; bytes: number } | undefined;
  largestDefinition: { id: string; bytes: number } | undefined;
}

const largest = (entries: Array<[string, number]>) => entries.reduce<{ id: string; bytes: number } | undefined>((max, [id, bytes]) => (max && max.bytes >= bytes ? max : { id, bytes }), undefined);

/** A synthesized template's figures, each to hold against DEPLOY_LIMITS. */
export function stackFigures(text: string): StackFigures {
  const resources = Object.entries((JSON.parse(text) as Template).Resources ?? {});
  const rulesPerBus: Record<string, number> = {};
  for (const [, r] of resources.filter(([, r]) => r.Type === 'AWS::Events::Rule')) {
    const bus = r.Properties?.EventBusName === undefined ? 'default' : JSON.stringify(r.Properties.EventBusName);
    rulesPerBus[bus] = (rulesPerBus[bus] ?? 0) + 1;
  }
  return {
    resources: resources.length,
    templateBytes: Buffer.byteLength(text),
    rulesPerBus,
    // IAM counts a policy without whitespace, as JSON.stringify writes it.
    largestPolicy: largest(resources.filter(([, r]) => r.Type === 'AWS::IAM::Policy').map(([id, r]) => [id, JSON.stringify(r.Properties?.PolicyDocument).length])),
    largestDefinition: largest(resources.filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine').map(([id, r]) => [id, JSON.stringify(r.Properties?.DefinitionString ?? '').length])),
  };
}

/** What in one template is over a budget: each with the figure, the budget and the hard limit. */
export function limitViolations(figures: StackFigures): Array<{ rule: keyof typeof DEPLOY_LIMITS; id: string; figure: number }> {
  const over: Array<{ rule: keyof typeof DEPLOY_LIMITS; id: string; figure: number }> = [];
  if (figures.resources > DEPLOY_LIMITS.resources.budget) over.push({ rule: 'resources', id: 'stack', figure: figures.resources });
  if (figures.templateBytes > DEPLOY_LIMITS.templateBytes.budget) over.push({ rule: 'templateBytes', id: 'stack', figure: figures.templateBytes });
  for (const [bus, n] of Object.entries(figures.rulesPerBus)) if (n > DEPLOY_LIMITS.rulesPerBus.budget) over.push({ rule: 'rulesPerBus', id: bus, figure: n });
  if (figures.largestPolicy && figures.largestPolicy.bytes > DEPLOY_LIMITS.policyBytes.budget) over.push({ rule: 'policyBytes', id: figures.largestPolicy.id, figure: figures.largestPolicy.bytes });
  if (figures.largestDefinition && figures.largestDefinition.bytes > DEPLOY_LIMITS.definitionBytes.budget) over.push({ rule: 'definitionBytes', id: figures.largestDefinition.id, figure: figures.largestDefinition.bytes });
  return over;
}

const FIXES: Record<keyof typeof DEPLOY_LIMITS, string> = {
  resources: 'more journey stacks, so fewer journeys in each: -c journeyStacks=<n> (README, "How many journeys")',
  templateBytes: 'more journey stacks: -c journeyStacks=<n> (large definitions are already kept out of the template)',
  rulesPerBus: 'more journey stacks (each has a bus of its own): -c journeyStacks=<n>',
  policyBytes: 'grants scoped by name prefix instead of one statement per resource',
  definitionBytes: 'split the journey (a jump step enters another one)',
};

/** The CDK validation plugin: every template of the app against DEPLOY_LIMITS. */
export class DeployLimits implements IPolicyValidationPluginBeta1 {
  readonly name = 'open-journeys deploy limits';

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const violations: PolicyViolationBeta1[] = [];
    for (const templatePath of context.templatePaths) {
      for (const v of limitViolations(stackFigures(readFileSync(templatePath, 'utf8')))) {
        const { limit, budget } = DEPLOY_LIMITS[v.rule];
        violations.push({
          ruleName: `limit-${v.rule}`,
          description: `${v.rule}: ${v.figure} is over the budget of ${budget} (the AWS limit is ${limit})`,
          fix: FIXES[v.rule],
          violatingResources: [{ resourceLogicalId: v.id, locations: [], templatePath }],
        });
      }
    }
    return { success: violations.length === 0, violations };
  }
}
