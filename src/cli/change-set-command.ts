import * as fs from 'fs';
import { ChangeSetAnswer, changeSetDifferences, chatNotification, shellQuote, summarizeChangeSets } from './change-set-summary';

export const CHANGE_SET_USAGE = [
  '       serverless-service change-set summary --service NAME --stage NAME --region REGION [--env FILE] [--chat FILE] ANSWER.json...',
  '       serverless-service change-set compare REVIEWED.json EXECUTING.json',
];

function readAnswer(file: string): ChangeSetAnswer {
  const answer = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof answer?.StackName !== 'string') throw new Error(`${file} is not an answer of aws cloudformation describe-change-set (it has no StackName).`);
  return answer;
}

/**
 * `change-set summary`: prints the summary of the stage's change sets, and writes the approval's
 * variables (SUMMARY, CHANGE_SET_URL) for the build's shell and the Slack message.
 * `change-set compare`: exits 1, naming each difference, when the change set about to execute
 * is not the one reviewed.
 */
export function changeSetCommand(args: string[]): number {
  const [verb, ...rest] = args;
  if (verb === 'compare' && rest.length === 2) {
    const differences = changeSetDifferences([readAnswer(rest[0])], [readAnswer(rest[1])]);
    if (differences.length === 0) {
      console.log('The change set to execute is the one reviewed before the approval.');
      return 0;
    }
    console.error(['The change set to execute is not the one approved:', ...differences.map((d) => `  ${d}`),
      'Nothing was deployed. Run the release again to have its change set reviewed and approved.'].join('\n'));
    return 1;
  }
  if (verb !== 'summary') {
    console.error(['Usage:', ...CHANGE_SET_USAGE].join('\n'));
    return 2;
  }
  const options: Record<string, string> = {};
  const files: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const flag = /^--(service|stage|region|env|chat)$/.exec(rest[i]);
    if (flag) options[flag[1]] = rest[++i];
    else if (rest[i].startsWith('--')) throw new Error(`Unknown option "${rest[i]}" of change-set summary.`);
    else files.push(rest[i]);
  }
  for (const required of ['service', 'stage', 'region']) {
    if (!options[required]) throw new Error(`change-set summary needs --${required}.`);
  }
  const summary = summarizeChangeSets(options.stage, files.map(readAnswer), options.region);
  console.log(summary.text);
  if (options.env) {
    fs.writeFileSync(options.env, `SUMMARY=${shellQuote(summary.short)}\nCHANGE_SET_URL=${shellQuote(summary.url ?? '')}\n`);
  }
  if (options.chat) fs.writeFileSync(options.chat, chatNotification(options.service, options.stage, summary));
  return 0;
}
