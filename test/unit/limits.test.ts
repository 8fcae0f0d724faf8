import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeployLimits, limitViolations, stackFigures } from '../../infra/limits';

// The deploy limits check on made-up templates (the CDK tests run it on the example and a 300-journey app).

const template = (resources: Record<string, unknown>) => JSON.stringify({ Resources: resources });
const rules = (n: number, bus: unknown) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`Rule${i}`, { Type: 'AWS::Events::Rule', Properties: { EventBusName: bus } }]));

describe('deploy limits', () => {
  it('measures a template: resources, bytes, rules per bus, the largest policy and definition', () => {
    const text = template({
      ...rules(3, { Ref: 'Bus' }),
      Default: { Type: 'AWS::Events::Rule', Properties: {} },
      Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'x:Y', Resource: '*' }] } } },
      Machine: { Type: 'AWS::StepFunctions::StateMachine', Properties: { DefinitionString: '{"StartAt":"a"}' } },
    });
    expect(stackFigures(text)).toStrictEqual({
      resources: 6,
      templateBytes: Buffer.byteLength(text),
      rulesPerBus: { '{"Ref":"Bus"}': 3, default: 1 },
      largestPolicy: { id: 'Policy', bytes: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'x:Y', Resource: '*' }] }).length },
      largestDefinition: { id: 'Machine', bytes: JSON.stringify('{"StartAt":"a"}').length },
    });
  });

  it('names each figure over its budget, and the synth plugin fails with the limit beside it', () => {
    const over = template({ ...rules(251, 'journeys'), Policy: { Type: 'AWS::IAM::Policy', Properties: { PolicyDocument: { Statement: 'x'.repeat(9000) } } } });
    expect(limitViolations(stackFigures(over)).map((v) => [v.rule, v.figure])).toStrictEqual([
      ['rulesPerBus', 251],
      ['policyBytes', JSON.stringify({ Statement: 'x'.repeat(9000) }).length],
    ]);
    const file = join(mkdtempSync(join(tmpdir(), 'limits-')), 'Big.template.json');
    writeFileSync(file, over);
    const report = new DeployLimits().validate({ templatePaths: [file] } as never);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.description)).toStrictEqual([
      'rulesPerBus: 251 is over the budget of 250 (the AWS limit is 300)',
      `policyBytes: ${JSON.stringify({ Statement: 'x'.repeat(9000) }).length} is over the budget of 8192 (the AWS limit is 10240)`,
    ]);
    expect(report.violations[0]!.fix).toContain('-c journeyStacks=');
    expect(new DeployLimits().validate({ templatePaths: [] } as never).success).toBe(true);
  });
});
