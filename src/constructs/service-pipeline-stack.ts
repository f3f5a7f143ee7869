import { Stack, StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { ServiceStage } from './service-stage';

/**
 * The repository the pipeline builds from.
 */
export interface PipelineSourceProps {
  /**
   * Owner of the repository (organisation, user, workspace or group).
   */
  readonly owner: string;

  /**
   * Name of the repository.
   */
  readonly repository: string;

  /**
   * Branch whose commits are released.
   */
  readonly branch: string;

  /**
   * ARN of the CodeConnections (or CodeStar Connections) connection to the repository.
   */
  readonly connectionArn: string;
}

/**
 * One stage of the pipeline.
 */
export interface PipelineStageProps {
  /**
   * Name of the stage; the construct id of its CDK Stage.
   */
  readonly name: string;

  /**
   * AWS account id the stage deploys to.
   */
  readonly account: string;

  /**
   * AWS region the stage deploys to.
   */
  readonly region: string;

  /**
   * Whether a person approves in the pipeline before the stage deploys.
   *
   * @default false
   */
  readonly manualApproval?: boolean;
}

/**
 * Properties of a `ServicePipelineStack`.
 */
export interface ServicePipelineStackProps extends StackProps {
  /**
   * Short name of the service.
   */
  readonly serviceName: string;

  /**
   * The repository the pipeline builds from.
   */
  readonly source: PipelineSourceProps;

  /**
   * The stages to deploy to, in order.
   */
  readonly stages: PipelineStageProps[];

  /**
   * Folder holding the bundled Lambda handler, as the synth step leaves it.
   */
  readonly lambdaCodePath: string;

  /**
   * Node.js major version of the CodeBuild steps.
   *
   * @default "22"
   */
  readonly nodeVersion?: string;
}

/**
 * The service's own delivery pipeline: source, build (the service's projen build:
 * compile, lint, tests, bundle and synth), self-mutation, then each stage in order,
 * each with an optional manual approval before it and the acceptance tests after it.
 */
export class ServicePipelineStack extends Stack {
  /** The pipeline. */
  public readonly pipeline: pipelines.CodePipeline;

  /** The stages, in deployment order. */
  public readonly serviceStages: ServiceStage[];

  constructor(scope: Construct, id: string, props: ServicePipelineStackProps) {
    super(scope, id, props);

    if (props.stages.length === 0) {
      throw new Error('ServicePipelineStack needs at least one stage to deploy to.');
    }

    const { owner, repository, branch, connectionArn } = props.source;
    const source = pipelines.CodePipelineSource.connection(`${owner}/${repository}`, branch, { connectionArn });
    const installCommands = ['npm ci'];

    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      pipelineName: `${props.serviceName}-pipeline`,
      // Artifacts must be readable in the stage accounts when they are not the pipeline's.
      crossAccountKeys: props.stages.some((stage) => stage.account !== this.account),
      selfMutation: true,
      synth: new pipelines.ShellStep('Synth', {
        input: source,
        installCommands,
        commands: ['npx projen build'],
        primaryOutputDirectory: 'cdk.out',
      }),
      codeBuildDefaults: {
        buildEnvironment: {
          buildImage: codebuild.LinuxBuildImage.STANDARD_7_0,
          environmentVariables: {
            CDK_DISABLE_CLI_TELEMETRY: { value: 'true' },
          },
        },
        partialBuildSpec: codebuild.BuildSpec.fromObject({
          phases: { install: { 'runtime-versions': { nodejs: props.nodeVersion ?? '22' } } },
        }),
      },
    });

    this.serviceStages = props.stages.map((stageProps) => {
      const stage = new ServiceStage(this, stageProps.name, {
        serviceName: props.serviceName,
        lambdaCodePath: props.lambdaCodePath,
        env: { account: stageProps.account, region: stageProps.region },
      });
      this.pipeline.addStage(stage, {
        pre: stageProps.manualApproval
          ? [new pipelines.ManualApprovalStep(`Approve-${stageProps.name}`, {
            comment: `Release ${props.serviceName} to ${stageProps.name}?`,
          })]
          : [],
        post: [
          new pipelines.ShellStep('AcceptanceTests', {
            input: source,
            envFromCfnOutputs: { SERVICE_URL: stage.apiUrlOutput },
            installCommands,
            commands: ['npx projen test:acceptance'],
          }),
        ],
      });
      return stage;
    });
  }
}
