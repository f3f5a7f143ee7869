/**
 * What an approver reads before releasing to a stage: the change sets of its stacks (the answers
 * of `aws cloudformation describe-change-set`), summarized with replacements first, and whether
 * the change set about to execute is the one that was reviewed.
 */

/** The parts of a DescribeChangeSet answer the summary reads. */
export interface ChangeSetAnswer {
  readonly StackId?: string;
  readonly StackName: string;
  readonly ChangeSetId?: string;
  readonly ChangeSetName?: string;
  readonly Status?: string;
  readonly StatusReason?: string;
  readonly Changes?: ReadonlyArray<{
    readonly Type?: string;
    readonly ResourceChange?: {
      readonly Action?: string;
      readonly LogicalResourceId?: string;
      readonly ResourceType?: string;
      readonly Replacement?: string;
    };
  }>;
}

/** What a change does to a resource, most disruptive first: the order the summary lists them in. */
const KINDS = ['replaced', 'maybe replaced', 'removed', 'added', 'imported', 'modified', 'changed'] as const;
export type ChangeKind = typeof KINDS[number];

/** One resource a change set changes. */
export interface ResourceChangeLine {
  readonly stack: string;
  readonly kind: ChangeKind;
  readonly logicalId: string;
  readonly resourceType: string;
}

/** CloudFormation's two ways of saying a template changes nothing (the change set then FAILED). */
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/**
 * The status the review step writes for a stack that does not exist yet: its first release
 * creates it, so there is no change set to describe, only a stack to add.
 */
export const NEW_STACK = 'NEW_STACK';

/** Whether a change set holds no change: empty, or refused by CloudFormation for having none. */
export function isEmptyChangeSet(answer: ChangeSetAnswer): boolean {
  if (answer.Status === NEW_STACK) return false;
  return (answer.Changes ?? []).length === 0 || (answer.Status === 'FAILED' && NO_CHANGES.test(answer.StatusReason ?? ''));
}

/** A change set CloudFormation could not make (a template error, a missing permission): nothing to review. */
function failure(answer: ChangeSetAnswer): string | undefined {
  if (answer.Status !== 'FAILED' || NO_CHANGES.test(answer.StatusReason ?? '')) return undefined;
  return `The change set of ${answer.StackName} failed: ${answer.StatusReason ?? 'no reason given'}`;
}

function kindOf(action: string | undefined, replacement: string | undefined): ChangeKind {
  switch (action) {
    case 'Add': return 'added';
    case 'Remove': return 'removed';
    case 'Import': return 'imported';
    case 'Modify':
      if (replacement === 'True') return 'replaced';
      return replacement === 'Conditional' ? 'maybe replaced' : 'modified';
    default: return 'changed'; // Dynamic, SyncWithActual, or an action added later
  }
}

/** The resources the change sets change, replacements first, then removals, additions and modifications. */
export function resourceChanges(answers: ChangeSetAnswer[]): ResourceChangeLine[] {
  const lines = answers.filter((answer) => !isEmptyChangeSet(answer)).flatMap((answer) => answer.Status === NEW_STACK
    ? [{ stack: answer.StackName, kind: 'added' as const, logicalId: '(new stack)', resourceType: 'AWS::CloudFormation::Stack' }]
    : (answer.Changes ?? [])
      .filter((change) => change.ResourceChange)
      .map((change) => ({
        stack: answer.StackName,
        kind: kindOf(change.ResourceChange!.Action, change.ResourceChange!.Replacement),
        logicalId: change.ResourceChange!.LogicalResourceId ?? '?',
        resourceType: change.ResourceChange!.ResourceType ?? '?',
      })));
  return lines.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
}

/** The console page of a change set, in the stage account (the approver signs in there). */
export function changeSetConsoleUrl(answer: ChangeSetAnswer, region: string): string | undefined {
  if (!answer.StackId || !answer.ChangeSetId) return undefined;
  return `${stacksConsoleUrl(region)}/changesets/changes`
    + `?stackId=${encodeURIComponent(answer.StackId)}&changeSetId=${encodeURIComponent(answer.ChangeSetId)}`;
}

/** The console page of the region's stacks. */
function stacksConsoleUrl(region: string): string {
  const host = region.startsWith('cn-') ? `${region}.console.amazonaws.cn` : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudformation/home?region=${region}#/stacks`;
}

/** The counts of a set of changes, in the summary's order: "1 replaced, 2 added". */
function counts(lines: ResourceChangeLine[]): string {
  return KINDS.map((kind) => [kind, lines.filter((line) => line.kind === kind).length] as const)
    .filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${kind}`).join(', ');
}

/** The summary as the approval shows it. */
export interface ChangeSetSummary {
  /** Every change, one per line, replacements first: the notification's and the build log's text. */
  readonly text: string;
  /** One line of at most `maxShort` characters: the approval's comment (CodePipeline allows 500). */
  readonly short: string;
  /** The console page of the first change set that changes something (else of the stage's stacks): the approval's review link. */
  readonly url: string;
}

/** Summarizes the change sets of a stage's stacks for its approver; throws on a change set that failed. */
export function summarizeChangeSets(stageName: string, answers: ChangeSetAnswer[], region: string, maxShort = 400): ChangeSetSummary {
  const failures = answers.map(failure).filter((f): f is string => f !== undefined);
  if (failures.length > 0) throw new Error(failures.join('\n'));
  const lines = resourceChanges(answers);
  const changing = answers.find((answer) => !isEmptyChangeSet(answer));
  // Without a change set to show (no change, a new stack), the link opens the stage's stacks.
  const url = (changing ? changeSetConsoleUrl(changing, region) : undefined) ?? stacksConsoleUrl(region);
  if (lines.length === 0) {
    const text = `${stageName}: no infrastructure change (${answers.map((a) => a.StackName).join(', ') || 'no stack'}): the release changes no resource.`;
    return { text, short: text.slice(0, maxShort), url };
  }
  const replaced = lines.filter((line) => line.kind === 'replaced' || line.kind === 'maybe replaced');
  const head = `${stageName}: ${counts(lines)}.`;
  const text = [
    head,
    ...replaced.length > 0 ? [`Replaced, with a new physical resource (data in it is lost unless kept elsewhere): ${replaced.map((l) => l.logicalId).join(', ')}.`] : [],
    ...lines.map((line) => `  ${line.kind.toUpperCase().padEnd(14)} ${line.stack}/${line.logicalId} (${line.resourceType})`),
  ].join('\n');
  const callout = replaced.length > 0 ? ` REPLACED: ${replaced.map((l) => `${l.logicalId} (${l.resourceType})`).join(', ')}.` : '';
  const full = `${head}${callout}`;
  const short = full.length <= maxShort ? full : `${full.slice(0, maxShort - 1)}…`;
  return { text, short, url };
}

/**
 * How the change set about to execute differs from the one the approver reviewed: the resources
 * changed in one and not the other, or changed differently. Empty when they are the same.
 */
export function changeSetDifferences(reviewed: ChangeSetAnswer[], executing: ChangeSetAnswer[]): string[] {
  const key = (line: ResourceChangeLine) => `${line.stack}/${line.logicalId} (${line.resourceType}) ${line.kind}`;
  const before = new Set(resourceChanges(reviewed).map(key));
  const after = new Set(resourceChanges(executing).map(key));
  return [
    ...[...after].filter((k) => !before.has(k)).map((k) => `not reviewed: ${k}`),
    ...[...before].filter((k) => !after.has(k)).map((k) => `reviewed, no longer in the change set: ${k}`),
  ];
}

/** A value as one shell word, for a file the build's shell sources. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

/** The summary in AWS Chatbot's custom notification format (Chatbot drops any other message). */
export function chatNotification(serviceName: string, stageName: string, summary: ChangeSetSummary): string {
  return JSON.stringify({
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${serviceName}: release to ${stageName} awaits approval`,
      description: summary.url ? `${summary.text}\n\nChange set: ${summary.url}` : summary.text,
    },
  });
}
