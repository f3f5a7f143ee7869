import { awscdk, Component, TaskShell } from 'projen';
import { EXECUTION_POLICY_NAME, pipelineStackName } from '../settings/constants';
import { SourceProvider } from '../settings/enums';
import { PREVIEW_ACCESS_CONTEXT, previewAccessStackName } from '../settings/preview-names';
import { gitHubEnterprisePreviewWebhookCommands, gitHubEnterpriseWebhookCommand } from '../settings/pull-request-events';
import { findPlaceholders, ResolvedServiceSettings } from '../settings/resolve';

/** Where the acceptance tests live; the unit test run (`*.test.ts`) never picks them up. */
export const ACCEPTANCE_TEST_MATCH = '<rootDir>/test/acceptance/**/*.acceptance.ts';

/** The acceptance test run, against the service at SERVICE_URL: of a stage, a preview or a sandbox. */
const ACCEPTANCE_TEST_COMMAND = `jest --testMatch '${ACCEPTANCE_TEST_MATCH}' --coverage=false`;

/**
 * The service's own tasks: `dev`, `test:acceptance`, the `sandbox` tasks when previews are on,
 * and a `deploy` that deploys the pipeline stack, or refuses while a placeholder is left in `.projenrc.ts`.
 */
export class ServiceTasks extends Component {
  constructor(project: awscdk.AwsCdkTypeScriptApp, settings: ResolvedServiceSettings) {
    super(project);

    project.addTask('dev', {
      description: 'Run the app locally on PORT (default 3000), restarting on every change',
      exec: 'tsx watch --clear-screen=false src/server.generated.ts',
    });

    project.addTask('invoke', {
      description: 'Run the Lambda handler locally with event files (default: every sample in test/events) and print the responses',
      exec: 'tsx src/invoke.generated.ts',
      receiveArgs: true,
    });

    project.addTask('test:acceptance', {
      description: 'Run the acceptance tests against the service at SERVICE_URL',
      exec: ACCEPTANCE_TEST_COMMAND,
      receiveArgs: true,
    });

    if (settings.previews) {
      addSandboxTasks(project);
      project.addTask('previews:access', {
        description: `Deploy, once, the roles previews and sandboxes deploy with into the dev account (${settings.previews.hostStage.account}; its administrator's credentials)`,
        exec: `cdk deploy -c ${PREVIEW_ACCESS_CONTEXT}=true ${previewAccessStackName(settings.serviceName)}`,
        receiveArgs: true,
      });
    }

    const bootstrapArgs = [
      `--pipeline ${settings.pipelineAccount}/${settings.pipelineRegion}`,
      ...settings.stages.map((stage) => `--stage ${stage.account}/${stage.region}`),
      // Deploys run with a policy computed from the stages' own resources, not AdministratorAccess.
      `--execution-policy-name ${EXECUTION_POLICY_NAME}`,
    ];
    const bootstrap = project.addTask('bootstrap', {
      description: 'Print the cdk bootstrap command of every account and region (add --run to run them)',
      exec: `serverless-service bootstrap ${bootstrapArgs.join(' ')}`,
      receiveArgs: true,
    });
    const source = settings.sourceRepository;
    const webhooks = [
      ...settings.pullRequestBuilds ? [gitHubEnterpriseWebhookCommand(settings.serviceName, source.branch, settings.pipelineRegion)] : [],
      ...settings.previews ? gitHubEnterprisePreviewWebhookCommands(settings.serviceName, source.branch, settings.pipelineRegion) : [],
    ];
    if (source.provider === SourceProvider.GITHUB_ENTERPRISE && webhooks.length > 0) {
      bootstrap.say([
        'GitHub Enterprise Server: CloudFormation cannot create the webhooks of pull-request builds and previews. Once the pipeline',
        'is deployed, create them once, with credentials for the pipeline account:',
        ...webhooks.map((command) => `  ${command}`),
        `then add the payloadUrl and secret each prints as a webhook of ${source.repositoryUrl} in GitHub Enterprise Server`,
        '(Settings, Hooks: content type application/json, the secret, events: pull requests).',
      ].join('\n'));
    }

    project.addTask('audit', {
      description: 'Fail on a known high or critical vulnerability in the dependencies the service ships (the pipeline and pull-request builds run it)',
      // Runtime dependencies only: they are what the Lambda bundle holds. Run `npm audit` for the rest.
      exec: 'npm audit --audit-level=high --omit=dev',
    });

    project.addTask('template:merge', {
      description: 'Merge the installed template\'s improvements into the files this service owns (three-way, from the version each came from; --dry-run prints the diff)',
      exec: 'serverless-service template-merge',
      receiveArgs: true,
    });

    project.addTask('execution-policy', {
      description: 'Print the least-privilege CloudFormation execution policy of a stage account, from cdk.out (--account ID)',
      exec: 'serverless-service execution-policy',
      receiveArgs: true,
    });

    project.addTask('permissions-boundary', {
      description: 'Print the permissions boundary of every role the stages create in a stage account, from cdk.out (--account ID)',
      exec: 'serverless-service permissions-boundary',
      receiveArgs: true,
    });

    project.addTask('drift', {
      description: 'Detect drift of a stage\'s stack now and print each resource that differs from its template (--stage NAME; AWS credentials of the stage account)',
      exec: 'serverless-service drift',
      receiveArgs: true,
    });

    // `upgrade` runs npx npm-check-updates, whose install prompt would stop it without a terminal
    // (CI); the upgrade task itself is locked, so the answer is given to every task.
    project.tasks.addEnvironment('npm_config_yes', 'true');

    // The pipeline app deploys itself after its first deploy: watch and hotswap make no sense here.
    project.removeTask('watch');

    const deploy = project.cdkTasks.deploy;
    deploy.reset();
    deploy.description = 'Deploy the pipeline stack (once; after that every merge deploys itself)';
    const placeholders = findPlaceholders(settings);
    if (placeholders.length > 0) {
      const message = [
        'Refusing to deploy: these options in .projenrc.ts still hold placeholder values:',
        ...placeholders.map((p) => `  - ${p.option}${p.value === undefined ? '' : ` (${p.value})`}`),
        'Set them to your real AWS accounts and repository connection, run npx projen, then deploy again.',
      ].join('\n');
      deploy.exec(`node -e 'console.error(${JSON.stringify(message)}); process.exit(1)'`);
    } else {
      // The pipeline's builds install from the registry: a dependency on a local file could not be installed there.
      deploy.exec('serverless-service check-dependencies');
      deploy.exec(`cdk deploy ${pipelineStackName(settings.serviceName)}`, { receiveArgs: true });
    }
  }
}

/** A developer's own copy of the service in the development account (`serverless-service sandbox`). */
function addSandboxTasks(project: awscdk.AwsCdkTypeScriptApp): void {
  project.addTask('sandbox', {
    description: 'Deploy your own copy of the service into the dev account and print its URL (--watch: then redeploy code changes with hotswap; --name NAME)',
    exec: 'serverless-service sandbox deploy',
    receiveArgs: true,
  });
  project.addTask('sandbox:destroy', {
    description: 'Destroy your sandbox (--name NAME)',
    exec: 'serverless-service sandbox destroy',
    receiveArgs: true,
  });
  project.addTask('sandbox:list', {
    description: 'List the sandboxes of this service in the dev account, with their status and age',
    exec: 'serverless-service sandbox list',
    receiveArgs: true,
  });
  project.addTask('sandbox:test', {
    description: 'Run the acceptance tests against your sandbox (SERVICE_SANDBOX=NAME for another), or the service at SERVICE_URL when set',
    // The assignment fails with `sandbox url` (no sandbox deployed), so the tests never run without a URL.
    exec: `SERVICE_URL="\${SERVICE_URL:-$(serverless-service sandbox url)}" && export SERVICE_URL && ${ACCEPTANCE_TEST_COMMAND}`,
    // projen's built-in shell has no command substitution: it would leave SERVICE_URL empty, without an error.
    shell: TaskShell.sh(),
    receiveArgs: true,
  });
}
