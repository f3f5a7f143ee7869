import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AlarmForwarding } from './alarm-forwarding';
import { DriftDetection } from './drift-detection';
import { alarmReaderRole } from './private/stage-alarms';
import { ServiceApi } from './service-api';
import { ServiceDashboard } from './service-dashboard';
import { FunctionPolicyStatementProps } from '../settings/service-settings';
import { DRIFT_DETECTION_OFF, stageValues } from '../settings/stage-defaults';
import { StageSettingsProps } from '../settings/stage-settings';

/**
 * Properties of a `ServiceStack`.
 */
export interface ServiceStackProps extends StackProps {
  /**
   * Short name of the service.
   */
  readonly serviceName: string;

  /**
   * Name of the stage this stack belongs to.
   *
   * @default "dev"
   */
  readonly stageName?: string;

  /**
   * Folder holding the bundled Lambda handler.
   */
  readonly lambdaCodePath: string;

  /**
   * Settings of this stage.
   *
   * @default - the defaults of the PRODUCTION profile
   */
  readonly settings?: StageSettingsProps;

  /**
   * Extra permissions of the function.
   *
   * @default - none beyond writing its logs
   */
  readonly functionPolicyStatements?: FunctionPolicyStatementProps[];

  /**
   * Route the pre-traffic hook calls on a new version before it receives any traffic.
   *
   * @default "/api/v1/health"
   */
  readonly healthPath?: string;

  /**
   * Account of the pipeline that deploys this stack. When given, the stack forwards its alarms
   * there, and lets it read them (its alarm gates and bake time).
   *
   * @default - the stack is not deployed by a pipeline
   */
  readonly pipelineAccount?: string;

  /**
   * Region of the pipeline that deploys this stack. Alarm state changes are forwarded to
   * the pipeline's account and region, where its notifications topic is.
   *
   * @default - the stack's region
   */
  readonly pipelineRegion?: string;

  /**
   * Whether this is a disposable copy of a stage (a preview, a sandbox): it has no alarms,
   * dashboard, drift detection or provisioned concurrency (see `ServiceApi`).
   *
   * @default false
   */
  readonly disposable?: boolean;
}

/**
 * Everything one stage of the service runs: its API and function, their canary deployment and
 * alarms, a dashboard and its drift detection; deployed by a pipeline, also what lets the pipeline
 * see the alarms.
 */
export class ServiceStack extends Stack {
  /** The service's API. */
  public readonly serviceApi: ServiceApi;

  /** Stack output holding the API's base URL; acceptance tests read it as SERVICE_URL. */
  public readonly apiUrlOutput: CfnOutput;

  /** The role the pipeline reads the stage's alarms with, when a pipeline deploys the stack. */
  public readonly alarmReaderRole?: iam.Role;

  /** The stack's scheduled drift detection, unless the stage's `driftDetectionSchedule` is "off". */
  public readonly driftDetection?: DriftDetection;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const stageName = props.stageName ?? 'dev';

    this.serviceApi = new ServiceApi(this, 'Service', {
      serviceName: props.serviceName,
      stageName,
      lambdaCodePath: props.lambdaCodePath,
      settings: props.settings,
      functionPolicyStatements: props.functionPolicyStatements,
      healthPath: props.healthPath,
      disposable: props.disposable,
    });
    this.apiUrlOutput = new CfnOutput(this, 'ApiUrl', {
      description: `Base URL of the ${props.serviceName} API`,
      value: this.serviceApi.url,
    });
    // A copy's stage makes everything in it DESTROY (ServiceStage).
    if (props.disposable) return;

    new ServiceDashboard(this, 'Dashboard', {
      dashboardName: `${props.serviceName}-${stageName}`,
      serviceApi: this.serviceApi,
    });

    // The settings are valid here: ServiceApi has checked them.
    const { driftDetectionSchedule } = stageValues(props.settings)!;
    if (driftDetectionSchedule !== DRIFT_DETECTION_OFF) {
      this.driftDetection = new DriftDetection(this, 'DriftDetection', {
        serviceName: props.serviceName, stageName, schedule: driftDetectionSchedule, logRetention: this.serviceApi.logRetention,
      });
      this.serviceApi.traceFunction(this.driftDetection.reportFunction);
    }

    if (props.pipelineAccount) {
      this.alarmReaderRole = alarmReaderRole(this, props.serviceName, stageName, props.pipelineAccount);
      const pipelineRegion = props.pipelineRegion ?? this.region;
      // In the pipeline's own account and region, the central rule sees the alarms directly.
      if (AlarmForwarding.isNeeded(this, props.pipelineAccount, pipelineRegion)) {
        new AlarmForwarding(this, 'AlarmForwarding', {
          serviceName: props.serviceName,
          targetAccount: props.pipelineAccount,
          targetRegion: pipelineRegion,
        });
      }
    }
  }
}
