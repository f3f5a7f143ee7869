import { ServerlessServiceProject } from '../../src';
import { REAL_DETAILS, serviceOptions } from '../helpers/project';

function nextSteps(overrides = {}): string {
  const lines: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
  const project = new ServerlessServiceProject(serviceOptions(overrides));
  const component = project.components.find((c) => c.constructor.name === 'NextSteps')!;
  component.postProjectCreation({} as any);
  log.mockRestore();
  return lines.join('\n');
}

test('projen new ends by naming the placeholders to fill in, then bootstrap and deploy', () => {
  const text = nextSteps();
  expect(text).toContain('Service orders created. Next:');
  expect(text).toContain('in .projenrc.ts, set: pipelineAccount, sourceRepository.owner, sourceRepository.connectionArn, stages[0].account, stages[1].account, stages[2].account; then npx projen');
  expect(text).toMatch(/npx projen bootstrap[\s\S]*npx projen deploy/);
});

test('with every detail filled in, it asks only to check them', () => {
  expect(nextSteps(REAL_DETAILS)).toContain('check the accounts and connection in .projenrc.ts');
});

test('with previews on, it names the sandbox: the developer\'s own copy in the development stage\'s account', () => {
  expect(nextSteps()).toMatch(/\n {2}6\. npx projen sandbox {16}deploys your own copy into the dev account \(--watch redeploys code as you save\)\n/);
  expect(nextSteps({ stages: [{ name: 'test', account: '210987654321' }, { name: 'live', account: '109876543210' }] }))
    .toContain('deploys your own copy into the test account');
});

test('with previews off, it does not', () => {
  expect(nextSteps({ previews: { enabled: false } })).not.toContain('npx projen sandbox');
  expect(nextSteps({ stages: [{ name: 'prod', account: '109876543210' }] })).not.toContain('sandbox');
});
