/**
 * Actions no role of a service may be allowed, whatever its settings: each lets a role escape
 * its permissions boundary (manage IAM, assume other roles, change the organization or account).
 * The boundary leaves them out, and a setting that asks for one is refused.
 */
const ESCALATING = [/^iam:/i, /^sts:AssumeRole/i, /^sts:AssumeRoot$/i, /^organizations:/i, /^account:/i];

/** One action of each escalating kind, to test wildcards against. */
const EXAMPLES = ['iam:PassRole', 'iam:CreateRole', 'sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'organizations:LeaveOrganization', 'account:CloseAccount'];

/** Whether an IAM action pattern (with * and ?) matches an action, case-insensitively as IAM does. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

/** The actions of a list that are, or may match, an escalating action. */
export function escalatingActions(actions: string[]): string[] {
  return actions.filter((action) => ESCALATING.some((re) => re.test(action)) || EXAMPLES.some((example) => actionMatches(action, example)));
}
