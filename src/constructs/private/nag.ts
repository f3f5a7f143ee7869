import { CfnResource, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** Stages that already run the checks, so that two pipeline stacks in one app report each finding once. */
const CHECKED = new WeakSet<Stage>();

/**
 * Runs cdk-nag's AwsSolutions rules when the app synthesizes, failing the synth on any error
 * not acknowledged. cdk-nag 3 is a validation plugin: whatever Stage it is added to, it walks
 * the whole construct tree of the app, so the stacks inside each ServiceStage are checked too
 * (cdk-nag 2's Aspect, added to the App, never reached them).
 */
export function enableNagChecks(scope: IConstruct): void {
  const stage = Stage.of(scope);
  if (!stage) throw new Error('cdk-nag checks need the stack to be inside an App or a Stage.');
  if (CHECKED.has(stage)) return;
  CHECKED.add(stage);
  Validations.of(stage).addPlugins(new FailOnErrors(new AwsSolutionsChecks(stage)));
}

/**
 * A cdk-nag pack that fails synthesis on errors only. cdk-nag 3.0 reports any violation as a
 * failure, so a warning alone (such as APIG3, a stage without web ACL) would stop every synth;
 * as in cdk-nag 2, warnings are shown and errors stop it.
 */
class FailOnErrors implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(private readonly pack: IPolicyValidationPlugin) {
    this.name = pack.name;
    this.version = pack.version;
    this.ruleIds = pack.ruleIds;
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.pack.validate(context);
    return { ...report, success: report.violations.every((v) => v.severity === 'warning') };
  }
}

/**
 * Acknowledges one finding of one rule on `scope` (and what is inside it). `finding` is the
 * part cdk-nag puts in brackets after the rule id, such as `Resource::*`, for rules that
 * report several findings per resource (IAM4, IAM5).
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string, finding?: string): void {
  Validations.of(scope).acknowledge({ id: finding ? `AwsSolutions-${rule}[${finding}]` : `AwsSolutions-${rule}`, reason });
}

/** The IAM5 finding of a grant on every qualifier (`:*`: version or alias) of one function, as cdk-nag spells it. */
export function functionQualifiersFinding(scope: IConstruct, fn: { readonly functionArn: string }): string {
  return `Resource::${nagText(scope, fn.functionArn)}:*`;
}

/**
 * A value as cdk-nag spells it inside finding ids: tokens resolved, `Ref` as `<Id>`,
 * `Fn::GetAtt` as `<Id.Attribute>`, `Fn::Join` joined.
 */
export function nagText(scope: IConstruct, value: unknown): string {
  return flatten(Stack.of(scope).resolve(value));
}

/** The start of an ARN of `service` in the stack's partition, region and account, as cdk-nag spells it. */
export function nagArnPrefix(scope: IConstruct, service: string): string {
  const stack = Stack.of(scope);
  return `arn:${nagText(scope, stack.partition)}:${service}:${nagText(scope, stack.region)}:${nagText(scope, stack.account)}`;
}

/** A statement of a policy as cdk-nag reads it: actions and resources flattened. */
export interface NagStatement {
  readonly actions: string[];
  readonly resources: string[];
  readonly conditional: boolean;
}

/** The Allow statements of a policy, flattened as cdk-nag's IAMNoWildcardPermissions rule reads them. */
export function allowStatements(policy: iam.CfnPolicy): NagStatement[] {
  return documentAllowStatements(policy, policy.policyDocument);
}

/** The Allow statements of a policy document of `scope`'s stack (a role's inline policies), flattened as cdk-nag reads them. */
export function documentAllowStatements(scope: IConstruct, policyDocument: unknown): NagStatement[] {
  const document = Stack.of(scope).resolve(policyDocument);
  return (document?.Statement ?? [])
    .filter((statement: any) => statement.Effect === 'Allow')
    .map((statement: any) => ({
      actions: asList(statement.Action).map(flatten),
      resources: asList(statement.Resource).map(flatten),
      conditional: statement.Condition !== undefined,
    }));
}

/** The IAM5 findings of statements, exactly as cdk-nag names them: `Action::...` and `Resource::...` with a "*". */
export function wildcardFindings(statements: NagStatement[]): string[] {
  const findings = new Set<string>();
  for (const statement of statements) {
    statement.actions.filter((a) => a.includes('*')).forEach((a) => findings.add(`Action::${a}`));
    statement.resources.filter((r) => r.includes('*')).forEach((r) => findings.add(`Resource::${r}`));
  }
  return [...findings];
}

/** The CloudFormation logical id of an L1 resource, as cdk-nag spells references to it. */
export function logicalIdOf(resource: CfnResource): string {
  return Stack.of(resource).resolve(resource.logicalId);
}

function asList(value: unknown): unknown[] {
  return value === undefined ? [] : ([] as unknown[]).concat(value);
}

/** cdk-nag's flattening of a CloudFormation value (utils/flatten-cfn-reference, which it does not export). */
function flatten(value: any): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value['Fn::Join']) {
    const [delimiter, items] = value['Fn::Join'];
    return items.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(value);
}
