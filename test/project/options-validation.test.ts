import * as fs from 'fs';
import { Testing } from 'projen';
import { serviceOptions } from './project-fixture';
import { ServerlessServiceProject, ServerlessServiceProjectOptions } from '../../src';

const badOptions: Array<[string, Partial<ServerlessServiceProjectOptions>, RegExp]> = [
  ['a short account id', { pipelineAccount: '12345' }, /'pipelineAccount' must be a 12-digit AWS account id, got "12345"/],
  ['a stage account with letters', { stages: [{ name: 'dev', account: '12345678901x' }] }, /'stages\[0\].account' must be a 12-digit AWS account id, got "12345678901x"/],
  ['a made-up region', { pipelineRegion: 'europe' }, /'pipelineRegion' must be an AWS region such as "eu-west-1", got "europe"/],
  ['a stage region in capitals', { stages: [{ name: 'dev', account: '123456789012', region: 'EU-WEST-1' }] }, /'stages\[0\].region' must be an AWS region/],
  ['two stages with one name', { stages: [{ name: 'dev', account: '123456789012' }, { name: 'Dev', account: '123456789013' }] }, /'stages\[1\].name' repeats the stage name "Dev"/],
  ['a stage name with a space', { stages: [{ name: 'pre prod', account: '123456789012' }] }, /'stages\[0\].name' must start with a letter .* got "pre prod"/],
  ['no stage at all', { stages: [] }, /'stages' must list at least one stage/],
  ['a GitHub URL as connection', { sourceRepository: { connectionArn: 'https://github.com/acme/orders' } }, /'sourceRepository.connectionArn' must be a connection ARN .* got "https:\/\/github.com\/acme\/orders"/],
  ['a branch with a space', { sourceRepository: { branch: 'my branch' } }, /'sourceRepository.branch' must be a valid git branch name, got "my branch"/],
  ['a service name in capitals', { serviceName: 'Orders' }, /'serviceName' must be 1 to 40 lower-case letters.*got "Orders"/],
  ['a repository name with a slash', { sourceRepository: { name: 'acme/orders' } }, /'sourceRepository.name' must be a repository name without slashes/],
];

describe('a bad option', () => {
  test.each(badOptions)('(%s) fails with a message naming it, and writes nothing', (_case, overrides, message) => {
    const options = serviceOptions(overrides);

    expect(() => new ServerlessServiceProject(options)).toThrow(message);
    expect(fs.readdirSync(options.outdir!)).toEqual([]);
  });

  test('errors list every bad option at once and say where to fix them', () => {
    expect(() => new ServerlessServiceProject(serviceOptions({ pipelineAccount: '1', pipelineRegion: 'x' })))
      .toThrow(/^Invalid options for ServerlessServiceProject in \.projenrc\.ts \(nothing was written\):\n {2}- 'pipelineAccount'.*\n {2}- 'pipelineRegion'/);
  });
});

test('a stage without region deploys to the pipeline region', () => {
  const options = serviceOptions({ pipelineRegion: 'eu-west-1', stages: [{ name: 'dev', account: '123456789012' }] });
  const files = Testing.synth(new ServerlessServiceProject(options));
  expect(files['src/main.generated.ts']).toContain('"region": "eu-west-1"');
});
