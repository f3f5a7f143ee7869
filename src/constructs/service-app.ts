import { App } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PreviewAccessStack } from './preview-access-stack';
import { enableNagChecks } from './private/nag';
import { ServicePipelineStackProps } from './service-pipeline-props';
import { ServicePipelineStack } from './service-pipeline-stack';
import { ServiceStage } from './service-stage';
import { pipelineStackName } from '../settings/constants';
import {
  PREVIEW_ACCESS_CONTEXT, PREVIEW_CONTEXT, previewNameProblem, SANDBOX_CONTEXT, sandboxNameProblem, sandboxStageName,
} from '../settings/preview-names';
import { assertValidSettings } from '../settings/problems';
import { pickServiceSettings, resolveServiceSettings } from '../settings/resolve';

/**
 * What a service's CDK app synthesizes, chosen by its context, so that the pipeline, the preview
 * builds and a developer all run the same `cdk` commands:
 *
 * - nothing: the pipeline stack (`<service>-pipeline`), which deploys every stage;
 * - `-c preview=pr-7`: only the preview of pull request 7 (stage `pr-7`, stack `<service>-pr-7`);
 * - `-c sandbox=alice`: only Alice's sandbox (stage `sandbox-alice`, stack `<service>-sandbox-alice`);
 * - `-c previewAccess=true`: only the stack of the roles previews deploy with (`<service>-preview-access`).
 *
 * Previews and sandboxes are disposable copies of the dev stage (`ServiceStage.copyOf`), with
 * the service's extension applied as to every stage.
 */
export class ServiceApp {
  /** Adds to `app` what its context asks for, and returns it. */
  public static addTo(app: App, props: ServicePipelineStackProps): Construct {
    const asked = [PREVIEW_CONTEXT, SANDBOX_CONTEXT, PREVIEW_ACCESS_CONTEXT].filter((key) => app.node.tryGetContext(key) !== undefined);
    if (asked.length > 1) {
      throw new Error(`Give one of the contexts ${asked.map((key) => `-c ${key}=...`).join(', ')}: each synthesizes a different app.`);
    }
    const settings = pickServiceSettings(props);
    if (asked.length === 0) return new ServicePipelineStack(app, pipelineStackName(props.serviceName ?? ''), props);

    assertValidSettings('ServiceApp', settings);
    const resolved = resolveServiceSettings(settings);
    const [key] = asked;
    const value = String(app.node.tryGetContext(key));
    if (!resolved.previews) {
      throw new Error(`-c ${key}=${value}: previews and sandboxes are off for ${resolved.serviceName} (no stage has the DEVELOPMENT `
        + 'profile, or previews.enabled is false in .projenrc.ts): they copy the development stage.');
    }
    const host = resolved.previews.hostStage;
    const env = { account: host.account, region: host.region };

    if (key === PREVIEW_ACCESS_CONTEXT) {
      const stack = new PreviewAccessStack(app, 'PreviewAccess', {
        env, serviceName: resolved.serviceName, hostStageName: host.name, pipelineAccount: resolved.pipelineAccount,
      });
      if (resolved.nagChecks) enableNagChecks(stack);
      return stack;
    }

    const problem = key === PREVIEW_CONTEXT ? previewNameProblem(value) : sandboxNameProblem(value);
    if (problem) throw new Error(problem);
    const stage = new ServiceStage(app, key === PREVIEW_CONTEXT ? value : sandboxStageName(value), {
      env,
      copyOf: host.name,
      serviceName: resolved.serviceName,
      lambdaCodePath: props.lambdaCodePath,
      settings: host.settings,
      functionPolicyStatements: resolved.functionPolicyStatements,
      healthPath: resolved.healthPath,
    });
    props.extension?.extendStage(stage);
    if (resolved.nagChecks) enableNagChecks(stage.serviceStack);
    return stage;
  }
}
