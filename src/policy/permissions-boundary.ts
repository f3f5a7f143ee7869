/**
 * The permissions boundary of every role a service's stages create, in a stage account: the most
 * any of them may ever do, computed from the synthesized stacks as the execution policy is. A
 * deploy can create roles only with this boundary, so no role it creates can be given more than
 * the services' own roles need, whatever its policies say.
 */
import { DeployedStack, PolicyDocumentJson, PolicyStatementJson, render } from './execution-policy';
import { escalatingActions } from '../settings/escalation';

/** The AWS managed policies the stacks attach to roles, as AWS publishes them: their allowed actions, on "*". */
const AWS_MANAGED_POLICIES: Readonly<Record<string, string[]>> = {
  // API Gateway's account-wide logging role (aws-apigateway, cloudWatchRole).
  'service-role/AmazonAPIGatewayPushToCloudWatchLogs': [
    'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams',
    'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents',
  ],
};

/**
 * The IAM reads a stage's drift detection needs to compare the stack's roles with the template
 * (`DriftDetection`): reading roles lets no one change them or escape a boundary, so a grant of
 * only these, on roles only, is not escalation.
 */
const ROLE_READ_ACTIONS = new Set(['iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies']);
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/;

/** What a role of the stacks is allowed, one statement at a time, before it is bounded. */
interface Grant {
  readonly role: string;
  readonly actions: string[];
  readonly resources: string[];
}

/** IAM's largest customer-managed policy, in characters without whitespace. */
export const MAX_POLICY_SIZE = 6144;

/**
 * The boundary of one account: every action a role of the stacks is allowed, on the resources it
 * is allowed them on (a resource only known once deployed, such as a log group of the stack,
 * becomes every resource of that service in the account and region). Throws, naming the role,
 * for a role allowed an escalating action or a managed policy whose content is not known here.
 */
export function permissionsBoundary(stacks: DeployedStack[]): PolicyDocumentJson {
  const accounts = [...new Set(stacks.map((s) => s.account))];
  if (accounts.length !== 1) throw new Error(`A permissions boundary covers one account; these stacks deploy to ${accounts.join(', ') || 'none'}.`);
  const grants = stacks.flatMap(roleGrants);
  const escalating = grants.filter((g) => !isRoleRead(g))
    .flatMap((g) => escalatingActions(g.actions).map((action) => `${g.role} is allowed ${action}`));
  if (escalating.length > 0) {
    throw new Error(`No permissions boundary can hold these roles: ${escalating.join('; ')}. A role of a service may not manage IAM or assume other roles.`);
  }

  // One statement per set of resources, with every action allowed on it: a small document.
  const byResources = new Map<string, Set<string>>();
  for (const grant of grants) {
    const key = JSON.stringify([...new Set(grant.resources)].sort());
    byResources.set(key, new Set([...byResources.get(key) ?? [], ...grant.actions]));
  }
  const statements: PolicyStatementJson[] = [...byResources].map(([resources, actions], i) => ({
    Sid: `Stages${i + 1}`,
    Effect: 'Allow',
    Action: [...actions].sort(),
    Resource: JSON.parse(resources),
  }));
  return { Version: '2012-10-17', Statement: statements };
}

/** Every Allow statement of the roles of one stack: inline policies, policies attached to them, AWS managed policies. */
function roleGrants(stack: DeployedStack): Grant[] {
  const resources = stack.template.Resources ?? {};
  const roles = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role');
  // One grant per service of a statement's actions: an unknown resource becomes all of that service's.
  const fromDocument = (role: string, document: any): Grant[] => ([] as any[]).concat(document?.Statement ?? [])
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => {
      const actions: string[] = [].concat(s.Action ?? []);
      return [...new Set(actions.map((a) => a.split(':')[0]))].map((service) => ({
        role,
        actions: actions.filter((a) => a.split(':')[0] === service),
        resources: ([] as unknown[]).concat(s.Resource ?? []).map((r) => boundedResource(r, service, stack)),
      }));
    });

  return [
    ...roles.flatMap(([id, role]) => [
      ...(role.Properties?.Policies ?? []).flatMap((p: any) => fromDocument(`${stack.stackName}/${id}`, p.PolicyDocument)),
      ...(role.Properties?.ManagedPolicyArns ?? []).map((arn: unknown) => managedPolicyGrant(`${stack.stackName}/${id}`, render(arn, stack))),
    ]),
    ...Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      .flatMap(([id, p]) => fromDocument(`${stack.stackName}/${id}`, p.Properties?.PolicyDocument)),
  ];
}

function isRoleRead(grant: Grant): boolean {
  return grant.actions.every((action) => ROLE_READ_ACTIONS.has(action)) && grant.resources.every((resource) => ROLE_ARN.test(resource));
}

function managedPolicyGrant(role: string, arn: string): Grant {
  const name = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
  const actions = name ? AWS_MANAGED_POLICIES[name] : undefined;
  if (!actions) throw new Error(`No permissions boundary can be computed: ${role} has the managed policy ${arn}, whose content is not known here.`);
  return { role, actions, resources: ['*'] };
}

/** A resource as the boundary names it: as written where it is known, else every resource of `service` in the stack's account and region. */
function boundedResource(resource: unknown, service: string, stack: DeployedStack): string {
  try {
    return render(resource, stack);
  } catch {
    return service === 's3' ? `arn:${stack.partition}:s3:::*` : `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:*`;
  }
}

/** The size IAM counts a policy by: its JSON without whitespace. */
export function policySize(policy: PolicyDocumentJson): number {
  return JSON.stringify(policy).length;
}
