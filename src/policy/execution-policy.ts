/**
 * The IAM policy CloudFormation needs, in a stage account, to deploy the service's stacks
 * there: in place of AdministratorAccess on the bootstrap's CloudFormation execution role.
 * Pure functions of the synthesized templates, so that the policy follows what the service
 * actually deploys (its src/extend.ts additions included).
 */

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
  readonly Effect: 'Allow';
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

/** What CloudFormation does to the roles of a stack: create, update, delete them and their inline policies. */
const ROLE_ACTIONS = [
  'iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:ListRoleTags', 'iam:ListRolePolicies',
  'iam:ListAttachedRolePolicies', 'iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy',
];
const INLINE_POLICY_ACTIONS = ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'];
/** Types that need no permission: CloudFormation handles them itself. */
const NO_PERMISSION_TYPES = new Set(['AWS::CDK::Metadata', 'AWS::CloudFormation::WaitConditionHandle']);

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
  if (resourceType === 'AWS::IAM::Role') return ROLE_ACTIONS;
  if (resourceType === 'AWS::IAM::Policy') return INLINE_POLICY_ACTIONS;
  // CloudFormation invokes the provider function of a custom resource with the execution role.
  if (isCustomResource(resourceType)) return ['lambda:InvokeFunction'];
  const prefix = iamPrefixOf(resourceType);
  return prefix ? [`${prefix}:*`] : undefined;
}

/**
 * The execution policy of one account: every service the stacks' resource types belong to
 * (`service:*`, never `*`), the stacks' own roles only for IAM (by the names CloudFormation
 * gives them, `<stack name>-<logical id>-<suffix>`), iam:PassRole on those roles to the
 * services that assume them, and reads of what the templates point at (Lambda code, SSM
 * parameters). Types without a known prefix get nothing: see `uncoveredResourceTypes`.
 */
export function executionPolicy(stacks: DeployedStack[]): PolicyDocumentJson {
  const accounts = [...new Set(stacks.map((s) => s.account))];
  if (accounts.length !== 1) throw new Error(`An execution policy covers one account; these stacks deploy to ${accounts.join(', ') || 'none'}.`);
  const resources = stacks.flatMap((stack) => Object.values(stack.template.Resources ?? {}).map((r) => ({ stack, ...r })));
  const types = new Set(resources.map((r) => r.Type));
  const statements: PolicyStatementJson[] = [];
  const add = (Sid: string, Action: string[], Resource: string[], Condition?: PolicyStatementJson['Condition']) => {
    if (Action.length > 0 && Resource.length > 0) statements.push({ Sid, Effect: 'Allow', Action: sorted(Action), Resource: sorted(Resource), ...Condition && { Condition } });
  };

  const services = [...types].map(iamPrefixOf).filter((p): p is string => p !== undefined);
  if ([...types].some(isCustomResource)) services.push('lambda');
  add('StackServices', [...new Set(services)].map((p) => `${p}:*`), ['*']);

  const roles = resources.filter((r) => r.Type === 'AWS::IAM::Role');
  if (roles.length > 0 || types.has('AWS::IAM::Policy')) {
    const roleArns = new Set(stacks.map((s) => `arn:${s.partition}:iam::${s.account}:role/${s.stackName}-*`));
    roles.filter((r) => typeof r.Properties?.RoleName === 'string')
      .forEach((r) => roleArns.add(`arn:${r.stack.partition}:iam::${r.stack.account}:role/${r.Properties.RoleName}`));
    add('StackRoles', ROLE_ACTIONS, [...roleArns]);
    const managed = roles.flatMap((r) => (r.Properties?.ManagedPolicyArns ?? []).map((arn: unknown) => render(arn, r.stack)));
    if (managed.length > 0) {
      // Attaching is limited to the policies the templates name: attaching AdministratorAccess would be escalation.
      add('AttachListedManagedPolicies', ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'], [...roleArns],
        { ArnEquals: { 'iam:PolicyARN': sorted([...new Set(managed)]) } });
    }
    const trusted = roles.flatMap((r) => (r.Properties?.AssumeRolePolicyDocument?.Statement ?? [])
      .flatMap((s: any) => ([] as unknown[]).concat(s.Principal?.Service ?? [])).map((p: unknown) => render(p, r.stack)));
    if (trusted.length > 0) {
      add('PassStackRoles', ['iam:PassRole'], [...roleArns], { StringEquals: { 'iam:PassedToService': sorted([...new Set(trusted)]) } });
    }
  }

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
 * The resource types the policy does not let CloudFormation manage: types of no known service,
 * IAM types other than roles and their inline policies, and any type whose actions no statement allows.
 */
export function uncoveredResourceTypes(policy: PolicyDocumentJson, resourceTypes: Iterable<string>): string[] {
  const allowed = (action: string) => policy.Statement.some((s) => s.Action.some((pattern) => matches(pattern, action)));
  return [...new Set(resourceTypes)].filter((type) => {
    const actions = requiredActions(type);
    return actions === undefined || !actions.every(allowed);
  }).sort();
}

/** Whether an IAM action pattern (with * and ?) matches an action, case-insensitively as IAM does. */
function matches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'i');
  return regex.test(action);
}

/** A template value with the stack's pseudo parameters filled in; an error for anything it cannot know before deploying. */
function render(value: any, stack: DeployedStack): string {
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
