import { Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';

/**
 * CodePipeline's limits on stage conditions, from its API reference (BeforeEntryConditions,
 * SuccessConditions, FailureConditions: "Fixed number of 1 item"; Condition.rules: 1 to 5;
 * RuleDeclaration: name, region, roleArn). CloudFormation rejects a pipeline beyond them, and a
 * self-mutating pipeline then sticks on the rejected update, so the synth refuses it first.
 */
export const STAGE_CONDITION_LIMITS = {
  conditionsPerEntry: 1,
  rulesPerCondition: 5,
  ruleName: /^[A-Za-z0-9.@\-_]{1,100}$/,
  ruleRegionLength: { min: 4, max: 30 },
  ruleRoleArn: /^arn:aws(-[\w]+)*:iam::[0-9]{12}:role\/.*$/,
} as const;

/** What breaks those limits in a synthesized pipeline's `Stages`, one sentence each. */
export function stageConditionProblems(stages: any[]): string[] {
  const problems: string[] = [];
  const limits = STAGE_CONDITION_LIMITS;
  for (const stage of stages ?? []) {
    for (const entry of ['BeforeEntry', 'OnSuccess', 'OnFailure'] as const) {
      const conditions = stage[entry]?.Conditions;
      if (conditions === undefined) continue;
      const where = `stage ${stage.Name} ${entry}`;
      if (!Array.isArray(conditions) || conditions.length !== limits.conditionsPerEntry) {
        problems.push(`${where} has ${Array.isArray(conditions) ? conditions.length : 'no list of'} conditions; CodePipeline takes exactly ${limits.conditionsPerEntry}.`);
        continue;
      }
      const rules = conditions[0].Rules ?? [];
      if (rules.length < 1 || rules.length > limits.rulesPerCondition) {
        problems.push(`${where} has ${rules.length} rules in its condition; CodePipeline takes 1 to ${limits.rulesPerCondition}.`);
      }
      const names = new Set<string>();
      for (const rule of rules) {
        if (typeof rule.Name !== 'string' || !limits.ruleName.test(rule.Name)) {
          problems.push(`${where} has a rule named "${rule.Name}"; a rule name is 1 to 100 letters, digits and . @ - _.`);
        } else if (names.has(rule.Name)) {
          problems.push(`${where} has two rules named "${rule.Name}"; each rule of a condition needs its own name.`);
        }
        names.add(rule.Name);
        if (typeof rule.Region === 'string' && (rule.Region.length < limits.ruleRegionLength.min || rule.Region.length > limits.ruleRegionLength.max)) {
          problems.push(`${where} rule ${rule.Name} has the region "${rule.Region}", not a region name.`);
        }
        if (typeof rule.RoleArn === 'string' && !limits.ruleRoleArn.test(rule.RoleArn)) {
          problems.push(`${where} rule ${rule.Name} has the role "${rule.RoleArn}", not an IAM role ARN.`);
        }
      }
    }
  }
  return problems;
}

/**
 * Makes every synth of the pipeline check its stage conditions as CloudFormation will receive
 * them: after every property override, including those an extension adds.
 */
export function enforceStageConditionLimits(cfnPipeline: codepipeline.CfnPipeline): void {
  cfnPipeline.node.addValidation({
    validate: () => {
      // The resource as it will be written, overrides applied (CfnResource's own rendering).
      const rendered = Stack.of(cfnPipeline).resolve((cfnPipeline as any)._toCloudFormation());
      const [resource] = Object.values(rendered.Resources) as any[];
      return stageConditionProblems(resource.Properties.Stages);
    },
  });
}
