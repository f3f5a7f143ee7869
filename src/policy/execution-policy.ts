/**
 * The IAM policy CloudFormation needs, in a stage account, to deploy the service's stacks
 * there: in place of AdministratorAccess on the bootstrap's CloudFormation execution role.
 * Pure functions of the synthesized templates, so that the policy follows what the service
 * actually deploys (its src/extend.ts additions included).
 */
import { actionMatches } from '../settings/escalation';

/** One synthesized stack, with where it deploys. */
export interface DeployedStack {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly template: CfnTemplate;
}

/** The parts of a CloudFormation template the policy is computed from. */
export interface CfnTemplate {
  readonly Resources?: { readonly [logicalId: string]: { readonly Type: string; readonly Properties?: any } };
  readonly Parameters?: { readonly [name: string]: { readonly Type: string; readonly Default?: unknown } };
}

export interface PolicyStatementJson {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: { readonly [operator: string]: { readonly [key: string]: string[] } };
}

export interface PolicyDocumentJson {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatementJson[];
}

/**
 * IAM service prefix of each CloudFormation service namespace (`AWS::<Namespace>::Resource`).
 * Most are the namespace in lower case; the table lists them all anyway, so that a namespace
 * nobody checked is reported rather than guessed (a wrong guess fails only at deploy time).
 */
const SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  ApiGateway: 'apigateway',
  ApiGatewayV2: 'apigateway',
  AppConfig: 'appconfig',
  AppSync: 'appsync',
  ApplicationAutoScaling: 'application-autoscaling',
  CertificateManager: 'acm',
  CloudFormation: 'cloudformation',
  CloudFront: 'cloudfront',
  CloudWatch: 'cloudwatch',
  CodeDeploy: 'codedeploy',
  Cognito: 'cognito-idp',
  DynamoDB: 'dynamodb',
  Events: 'events',
  EventSchemas: 'schemas',
  Kinesis: 'kinesis',
  KinesisFirehose: 'firehose',
  KMS: 'kms',
  Lambda: 'lambda',
  Logs: 'logs',
  Pipes: 'pipes',
  Route53: 'route53',
  S3: 's3',
  Scheduler: 'scheduler',
  SecretsManager: 'secretsmanager',
  SES: 'ses',
  SNS: 'sns',
  SQS: 'sqs',
  SSM: 'ssm',
  StepFunctions: 'states',
  WAFv2: 'wafv2',
  XRay: 'xray',
};

/** Types whose prefix is not their namespace's. */
const TYPE_PREFIXES: Readonly<Record<string, string>> = {
  'AWS::Cognito::IdentityPool': 'cognito-identity',
  'AWS::Cognito::IdentityPoolRoleAttachment': 'cognito-identity',
};

/**
 * What CloudFormation does to the roles of a stack that cannot give them more than they have:
 * read, tag, describe and delete them. (Granting is `BOUNDED_ROLE_ACTIONS`.)
 */
const ROLE_ACTIONS = [
  'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
  'iam:TagRole', 'iam:UntagRole', 'iam:ListRoleTags', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:GetRolePolicy',
];
/** What creates a role or gives it permissions: allowed only while the role keeps the permissions boundary. */
const BOUNDED_ROLE_ACTIONS = ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:PutRolePermissionsBoundary'];
const INLINE_POLICY_ACTIONS = ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'];
/** What CloudFormation needs to delete a role it replaces: reading, emptying and deleting it, nothing that grants. */
const ROLE_REMOVAL_ACTIONS = [
  'iam:GetRole', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:DeleteRolePolicy', 'iam:DetachRolePolicy', 'iam:DeleteRole',
];
/** API Gateway's service-linked role (AWSServiceRoleForAPIGateway), under its service's path: AWS defines its permissions. */
const API_GATEWAY_SLR = 'ops.apigateway.amazonaws.com/AWSServiceRoleForAPIGateway';
/** Types that need no permission: CloudFormation handles them itself (a custom resource: see `customResourceTokens`). */
const NO_PERMISSION_TYPES = new Set(['AWS::CDK::Metadata', 'AWS::CloudFormation::WaitConditionHandle', 'AWS::CloudFormation::WaitCondition']);

function isCustomResource(resourceType: string): boolean {
  return resourceType.startsWith('Custom::') || resourceType === 'AWS::CloudFormation::CustomResource';
}

/** The IAM service prefix of a resource type, or undefined when no one has checked it. IAM types are not service-wide. */
export function iamPrefixOf(resourceType: string): string | undefined {
  if (TYPE_PREFIXES[resourceType]) return TYPE_PREFIXES[resourceType];
  const [vendor, namespace] = resourceType.split('::');
  return vendor === 'AWS' && namespace !== 'IAM' ? SERVICE_PREFIXES[namespace] : undefined;
}

/** The actions a resource type needs allowed, as IAM patterns; undefined when the type is not supported. */
function requiredActions(resourceType: string): string[] | undefined {
  if (NO_PERMISSION_TYPES.has(resourceType)) return [];
  if (resourceType === 'AWS::IAM::Role') return [...ROLE_ACTIONS, ...BOUNDED_ROLE_ACTIONS];
  if (resourceType === 'AWS::IAM::Policy') return INLINE_POLICY_ACTIONS;
  // CloudFormation invokes the provider function of a custom resource with the execution role.
  if (isCustomResource(resourceType)) return ['lambda:InvokeFunction'];
  const prefix = iamPrefixOf(resourceType);
  return prefix ? [`${prefix}:*`] : undefined;
}

/**
 * The execution policy of one account: every service the stacks' resource types belong to
 * (`service:*`, never `*`); IAM only on the stacks' own roles, found by their paths; creating a
 * role or giving it permissions only with the permissions boundary `boundaryArn`, which no
 * statement lets anyone remove or change; iam:PassRole of those roles to the services that assume
 * them; the provider functions of custom resources; and reads of what the templates point at
 * (Lambda code, SSM parameters). Types without a known prefix get nothing: see `uncoveredResourceTypes`.
 */
export function executionPolicy(stacks: DeployedStack[], boundaryArn: string): PolicyDocumentJson {
  const accounts = [...new Set(stacks.map((s) => s.account))];
  if (accounts.length !== 1) throw new Error(`An execution policy covers one account; these stacks deploy to ${accounts.join(', ') || 'none'}.`);
  const resources = stacks.flatMap((stack) => Object.values(stack.template.Resources ?? {}).map((r) => ({ stack, ...r })));
  const types = new Set(resources.map((r) => r.Type));
  const statements: PolicyStatementJson[] = [];
  const add = (Sid: string, Action: string[], Resource: string[], Condition?: PolicyStatementJson['Condition'], Effect: 'Allow' | 'Deny' = 'Allow') => {
    if (Action.length === 0 || Resource.length === 0) return;
    statements.push({ Sid, Effect, Action: sorted(Action), Resource: sorted(Resource), ...Condition && { Condition } });
  };
  const bounded = { StringEquals: { 'iam:PermissionsBoundary': [boundaryArn] } };

  // Custom resources need no CloudFormation permission: only their provider functions (below).
  const services = [...types].filter((type) => !isCustomResource(type) && !NO_PERMISSION_TYPES.has(type)).map(iamPrefixOf)
    .filter((p): p is string => p !== undefined);
  add('StackServices', [...new Set(services)].map((p) => `${p}:*`), ['*']);

  const roles = resources.filter((r) => r.Type === 'AWS::IAM::Role');
  if (roles.length > 0 || types.has('AWS::IAM::Policy')) {
    const roleArns = [...new Set(roles.map((r) => `arn:${r.stack.partition}:iam::${r.stack.account}:role${r.Properties?.Path ?? '/'}*`))];
    add('StackRoles', ROLE_ACTIONS, roleArns);
    add('GrantOnlyWithinBoundary', BOUNDED_ROLE_ACTIONS, roleArns, bounded);
    const managed = roles.flatMap((r) => (r.Properties?.ManagedPolicyArns ?? []).map((arn: unknown) => render(arn, r.stack)));
    if (managed.length > 0) {
      // Attaching is limited to the policies the templates name: attaching AdministratorAccess would be escalation.
      add('AttachListedManagedPolicies', ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], roleArns,
        { ...bounded, ArnEquals: { 'iam:PolicyARN': sorted([...new Set(managed)]) } });
    }
    const trusted = roles.flatMap((r) => (r.Properties?.AssumeRolePolicyDocument?.Statement ?? [])
      .flatMap((s: any) => ([] as unknown[]).concat(s.Principal?.Service ?? [])).map((p: unknown) => render(p, r.stack)));
    if (trusted.length > 0) {
      add('PassStackRoles', ['iam:PassRole'], roleArns, { StringEquals: { 'iam:PassedToService': sorted([...new Set(trusted)]) } });
    }
    // Before 0.4.0 a stage's roles had no path and names starting "<stack>-": the first deploy of
    // 0.4.0 replaces them, and CloudFormation then deletes them. It may only remove those.
    const earlierRoles = [...new Set(roles.map((r) => `arn:${r.stack.partition}:iam::${r.stack.account}:role/${r.stack.stackName}-*`))];
    add('RemoveRolesOfEarlierReleases', ROLE_REMOVAL_ACTIONS, earlierRoles);
    add('KeepPermissionsBoundary', ['iam:DeleteRolePermissionsBoundary'], ['*'], undefined, 'Deny');
    add('KeepBoundaryPolicy', ['iam:CreatePolicyVersion', 'iam:DeletePolicy', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'],
      [boundaryArn], undefined, 'Deny');
  }

  // A stage's active X-Ray tracing makes API Gateway create its service-linked role, where the
  // account lacks it, with the caller's permission: CloudFormation's, the execution role's.
  const tracedStages = resources.filter((r) => r.Type === 'AWS::ApiGateway::Stage' && String(r.Properties?.TracingEnabled) === 'true');
  add('CreateApiGatewayServiceLinkedRole', ['iam:CreateServiceLinkedRole'],
    [...new Set(tracedStages.map((r) => `arn:${r.stack.partition}:iam::${r.stack.account}:role/aws-service-role/${API_GATEWAY_SLR}`))],
    { StringEquals: { 'iam:AWSServiceName': ['ops.apigateway.amazonaws.com'] } });

  // CloudFormation invokes the provider of a custom resource with the execution role.
  const tokens = resources.filter((r) => isCustomResource(r.Type)).map((r) => serviceTokenArn(r.Properties?.ServiceToken, r.stack));
  add('InvokeCustomResourceProviders', ['lambda:InvokeFunction'], [...new Set(tokens.filter((t) => t.includes(':lambda:')))]);
  add('NotifyCustomResourceProviders', ['sns:Publish'], [...new Set(tokens.filter((t) => t.includes(':sns:')))]);

  // Lambda fetches a function's code with the caller's permissions: here, the execution role's.
  const code = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Code?.S3Bucket !== undefined)
    .map((r) => `arn:${r.stack.partition}:s3:::${render(r.Properties.Code.S3Bucket, r.stack)}/*`);
  add('ReadFunctionCode', ['s3:GetObject', 's3:GetObjectVersion'], [...new Set(code)]);

  // CloudFormation resolves SSM-typed parameters (CDK's bootstrap version check) as the execution role.
  const parameters = stacks.flatMap((s) => Object.values(s.template.Parameters ?? {})
    .filter((p) => p.Type.startsWith('AWS::SSM::Parameter::') && typeof p.Default === 'string')
    .map((p) => `arn:${s.partition}:ssm:${s.region}:${s.account}:parameter/${String(p.Default).replace(/^\//, '')}`));
  add('ReadTemplateParameters', ['ssm:GetParameters'], [...new Set(parameters)]);

  return { Version: '2012-10-17', Statement: statements };
}

/**
 * The ARN a custom resource's ServiceToken resolves to. A provider function of the same stack is
 * named by CloudFormation after the stack only once deployed: its ARN is then every function whose
 * name starts with the stack's name (`<stack>-<logical id>-<suffix>`, as CloudFormation names them).
 */
function serviceTokenArn(token: any, stack: DeployedStack): string {
  const target = token?.['Fn::GetAtt']?.[0];
  const fn = target !== undefined ? stack.template.Resources?.[target] : undefined;
  if (fn?.Type === 'AWS::Lambda::Function') {
    const name = typeof fn.Properties?.FunctionName === 'string' ? fn.Properties.FunctionName : `${stack.stackName}-*`;
    return `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${name}`;
  }
  return render(token, stack);
}

/**
 * The roles of the stacks that CloudFormation could not create under the execution policy, each
 * with why: every role of a stage has a path (the policy's scope) and the permissions boundary.
 */
export function rolesOutsideScope(stacks: DeployedStack[], boundaryArn: string): string[] {
  return stacks.flatMap((stack) => Object.entries(stack.template.Resources ?? {})
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .flatMap(([id, r]) => {
      const problems: string[] = [];
      if (typeof r.Properties?.Path !== 'string' || r.Properties.Path === '/') problems.push('has no path of the service');
      const boundary = r.Properties?.PermissionsBoundary;
      if (boundary === undefined || !boundaryMatches(boundary, boundaryArn, stack)) problems.push(`is not bounded by ${boundaryArn}`);
      return problems.map((problem) => `${stack.stackName}/${id} ${problem}`);
    }));
}

function boundaryMatches(boundary: unknown, boundaryArn: string, stack: DeployedStack): boolean {
  try {
    return render(boundary, stack) === boundaryArn;
  } catch {
    return false;
  }
}

/**
 * The resource types the policy does not let CloudFormation manage: types of no known service,
 * IAM types other than roles and their inline policies, and any type whose actions no statement allows.
 */
export function uncoveredResourceTypes(policy: PolicyDocumentJson, resourceTypes: Iterable<string>): string[] {
  const allowed = (action: string) => policy.Statement.some((s) => s.Effect === 'Allow' && s.Action.some((pattern) => actionMatches(pattern, action)));
  return [...new Set(resourceTypes)].filter((type) => {
    const actions = requiredActions(type);
    return actions === undefined || !actions.every(allowed);
  }).sort();
}

/** A template value with the stack's pseudo parameters filled in; an error for anything it cannot know before deploying. */
export function render(value: any, stack: DeployedStack): string {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': stack.account,
    'AWS::Region': stack.region,
    'AWS::Partition': stack.partition,
    'AWS::URLSuffix': stack.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com',
  };
  if (typeof value === 'string') return value;
  if (value?.Ref && pseudo[value.Ref]) return pseudo[value.Ref];
  if (typeof value?.['Fn::Sub'] === 'string') {
    return value['Fn::Sub'].replace(/\$\{([\w:]+)\}/g, (whole: string, name: string) => {
      if (!pseudo[name]) throw new Error(`Cannot compute the execution policy: ${JSON.stringify(value)} names ${whole}, known only once deployed.`);
      return pseudo[name];
    });
  }
  if (Array.isArray(value?.['Fn::Join'])) {
    const [delimiter, parts] = value['Fn::Join'];
    return parts.map((part: unknown) => render(part, stack)).join(delimiter);
  }
  throw new Error(`Cannot compute the execution policy: ${JSON.stringify(value)} is known only once deployed.`);
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}
