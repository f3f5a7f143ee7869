import { Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { NPM_TOKEN_VARIABLE } from '../../settings/constants';
import { ResolvedPackageRegistry } from '../../settings/resolve';

/**
 * What a build that installs the service's dependencies may do with the registry, and no more:
 * for CodeArtifact, get a token for the one domain (with the STS bearer token it needs) and read
 * the one repository. (A token secret is granted with the build's environment: `registryEnvironment`.)
 */
export function registryPolicyStatements(scope: Construct, registry?: ResolvedPackageRegistry): iam.PolicyStatement[] {
  if (!registry?.codeArtifact) return [];
  const { domain, domainOwner, repository, region } = registry.codeArtifact;
  const arn = (resource: string) => `arn:${Stack.of(scope).partition}:codeartifact:${region}:${domainOwner}:${resource}`;
  return [
    new iam.PolicyStatement({ actions: ['codeartifact:GetAuthorizationToken'], resources: [arn(`domain/${domain}`)] }),
    new iam.PolicyStatement({
      actions: ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'],
      resources: [arn(`repository/${domain}/${repository}`)],
    }),
    // GetServiceBearerToken names no resource: the condition limits it to CodeArtifact's tokens.
    new iam.PolicyStatement({
      actions: ['sts:GetServiceBearerToken'],
      resources: ['*'],
      conditions: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
    }),
  ];
}

/** The build's environment variables the install commands read: the registry token, from Secrets Manager (CodeBuild grants reading it). */
export function registryEnvironment(registry?: ResolvedPackageRegistry): Record<string, codebuild.BuildEnvironmentVariable> {
  if (!registry?.npmTokenSecretArn) return {};
  return { [NPM_TOKEN_VARIABLE]: { type: codebuild.BuildEnvironmentVariableType.SECRETS_MANAGER, value: registry.npmTokenSecretArn } };
}
