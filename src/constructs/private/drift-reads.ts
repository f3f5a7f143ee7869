/**
 * What CloudFormation must be allowed to read, with the caller's credentials, to compare each
 * resource type of a stage's stack with its template (drift detection reads each resource as the
 * caller). Configuration reads only: no data (no log events, no metric data, no objects).
 * A type missing here is reported by the detection as failed for its resources; a test checks
 * that every type a stage deploys, with every option, is listed.
 */
export const DRIFT_READ_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'AWS::ApiGateway::Account': ['apigateway:GET'],
  'AWS::ApiGateway::Authorizer': ['apigateway:GET'],
  'AWS::ApiGateway::Deployment': ['apigateway:GET'],
  'AWS::ApiGateway::GatewayResponse': ['apigateway:GET'],
  'AWS::ApiGateway::Method': ['apigateway:GET'],
  'AWS::ApiGateway::RequestValidator': ['apigateway:GET'],
  'AWS::ApiGateway::Resource': ['apigateway:GET'],
  'AWS::ApiGateway::RestApi': ['apigateway:GET'],
  'AWS::ApiGateway::Stage': ['apigateway:GET'],
  'AWS::CloudWatch::Alarm': ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'],
  'AWS::CloudWatch::Dashboard': ['cloudwatch:GetDashboard'],
  'AWS::CodeDeploy::Application': ['codedeploy:GetApplication', 'codedeploy:ListTagsForResource'],
  'AWS::CodeDeploy::DeploymentGroup': ['codedeploy:GetDeploymentGroup', 'codedeploy:BatchGetDeploymentGroups', 'codedeploy:ListTagsForResource'],
  'AWS::Events::Rule': ['events:DescribeRule', 'events:ListTargetsByRule'],
  'AWS::IAM::Policy': ['iam:GetRolePolicy'],
  'AWS::IAM::Role': ['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'],
  'AWS::Lambda::Alias': ['lambda:GetAlias', 'lambda:GetProvisionedConcurrencyConfig'],
  'AWS::Lambda::Function': [
    'lambda:GetFunction', 'lambda:GetFunctionCodeSigningConfig', 'lambda:GetFunctionConcurrency',
    'lambda:GetFunctionRecursionConfig', 'lambda:GetRuntimeManagementConfig',
  ],
  'AWS::Lambda::Permission': ['lambda:GetPolicy'],
  'AWS::Lambda::Version': ['lambda:GetFunctionConfiguration', 'lambda:GetProvisionedConcurrencyConfig'],
  'AWS::Logs::LogGroup': ['logs:DescribeLogGroups', 'logs:GetDataProtectionPolicy', 'logs:ListTagsForResource'],
  'AWS::Scheduler::Schedule': ['scheduler:GetSchedule'],
  'AWS::WAFv2::WebACLAssociation': ['wafv2:GetWebACLForResource'],
};

/** Types CloudFormation needs no read for: it keeps them itself. */
export const NOT_READ_TYPES: ReadonlySet<string> = new Set(['AWS::CDK::Metadata']);

/** The reads of every listed type, IAM's apart (they are scoped to the stack's roles), each once, sorted. */
export function driftReadActions(service: 'iam' | 'other'): string[] {
  const all = Object.values(DRIFT_READ_ACTIONS).flat();
  return [...new Set(all.filter((action) => (action.startsWith('iam:') ? service === 'iam' : service === 'other')))].sort();
}
