import { Aspects, CfnResource, Duration, IAspect, Stack } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, allowStatements, logicalIdOf, nagArnPrefix, nagText, NagStatement, wildcardFindings } from './nag';
import { ResolvedPackageRegistry } from '../../settings/resolve';

/**
 * Hardens what aws-cdk-lib/pipelines generates, once the pipeline is built: server access logs
 * for the artifact buckets (the deployable code and templates of every stage), and the
 * acknowledgment of the wildcard grants aws-cdk-lib writes into the pipeline's roles, each
 * with the reason it is confined, and only where the grant is exactly that.
 */
export function hardenPipeline(pipeline: pipelines.CodePipeline, registry?: ResolvedPackageRegistry): void {
  const codePipeline = pipeline.pipeline;
  const support = Object.values(codePipeline.crossRegionSupport);
  [codePipeline.artifactBucket, ...support.map((s) => s.replicationBucket)].forEach(addServerAccessLogs);
  // An Aspect, because the policies are complete only at synthesis (extensions and notifications add grants after this).
  Aspects.of(pipeline).add(new GeneratedGrants(pipeline, registry));
}

/** The IAM5 findings aws-cdk-lib always writes into a CodeBuild project's role: its own log group and report groups. */
export function codeBuildFindings(project: codebuild.CfnProject): string[] {
  const id = logicalIdOf(project);
  return [
    `Resource::${nagArnPrefix(project, 'logs')}:log-group:/aws/codebuild/<${id}>:*`,
    `Resource::${nagArnPrefix(project, 'codebuild')}:report-group/<${id}>-*`,
  ];
}

/** The grants of the builds that install from the platform team's registry (see package-registry.ts). */
export function registryGrants(registry?: ResolvedPackageRegistry): GeneratedGrant[] {
  return [
    ...registry?.codeArtifact ? [{ finding: 'Resource::*', within: ['sts:GetServiceBearerToken'], conditional: true, reason: BEARER_TOKEN_REASON }] : [],
    ...registry?.npmTokenSecretArn ? [{ finding: `Resource::${registry.npmTokenSecretArn}*`, within: ['secretsmanager:GetSecretValue'], reason: SECRET_REASON }] : [],
  ];
}

const SECRET_REASON = 'The build reads the registry\'s token from this one secret (a SECRETS_MANAGER environment variable): aws-cdk-lib '
  + 'grants it by the secret\'s ARN followed by "*", which matches that secret\'s ARN with or without its six-character suffix, no other secret.';

/** Why a build that installs from CodeArtifact may get a service bearer token on "*". */
const BEARER_TOKEN_REASON = 'sts:GetServiceBearerToken supports no resource-level permission (its only resource is "*"); '
  + 'the statement\'s condition limits it to CodeArtifact\'s tokens (sts:AWSServiceName codeartifact.amazonaws.com), which '
  + 'aws codeartifact login needs to read the one repository the other statements name.';

export const CODEBUILD_REASON = 'aws-cdk-lib grants each CodeBuild project its own log group (":*" are the group\'s '
  + 'streams) and its own report groups (named after the project, hence "-*"); the project\'s logical id names the one project.';

/** Writes the server access logs of `bucket` to a new bucket beside it (S3-managed encryption: the only kind log delivery takes). */
function addServerAccessLogs(bucket: s3.IBucket): void {
  const scope = bucket.node.scope as Construct;
  const logs = new s3.Bucket(scope, `${bucket.node.id}AccessLogs`, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ expiration: Duration.days(365) }],
  });
  const prefix = `${bucket.node.id}/`;
  // No aws:SourceArn condition: naming the source bucket here would make the two depend on each other.
  logs.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [logs.arnForObjects(`${prefix}*`)],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account } },
  }));
  const source = bucket.node.defaultChild as s3.CfnBucket;
  source.loggingConfiguration = { destinationBucketName: logs.bucketName, logFilePrefix: prefix };
  source.node.addDependency(logs.policy!);
  acknowledge(logs, 'S1', 'This bucket receives the server access logs of the pipeline\'s artifact bucket; '
    + 'logging the log bucket itself would only log each log delivery. Its policy lets only S3 log delivery write to it.');
}

/** A wildcard aws-cdk-lib writes, acknowledged only where every statement using it stays within `within`. */
export interface GeneratedGrant {
  readonly finding: string;
  /** For an Action finding, the resources its statements may name; for a Resource finding, the actions. */
  readonly within?: string[];
  readonly onlyIn?: (policy: iam.CfnPolicy) => boolean;
  /** Whether every statement using the finding must carry a condition. */
  readonly conditional?: boolean;
  readonly reason: string;
}

class GeneratedGrants implements IAspect {
  private grants?: GeneratedGrant[];

  constructor(private readonly pipeline: pipelines.CodePipeline, private readonly registry?: ResolvedPackageRegistry) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof iam.CfnPolicy)) return;
    this.grants ??= [...generatedGrants(this.pipeline), ...registryGrants(this.registry)];
    const statements = allowStatements(node);
    for (const finding of wildcardFindings(statements)) {
      const grant = this.grants.find((g) => g.finding === finding && (!g.onlyIn || g.onlyIn(node)) && stays(statements, g));
      if (grant) acknowledge(node, 'IAM5', grant.reason, finding);
    }
  }
}

/** Whether every statement using the finding's action (or resource) stays within the grant's resources (or actions). */
function stays(statements: NagStatement[], grant: GeneratedGrant): boolean {
  if (!grant.within) return true;
  const [kind, value] = [grant.finding.slice(0, grant.finding.indexOf('::')), grant.finding.slice(grant.finding.indexOf('::') + 2)];
  const using = statements.filter((s) => (kind === 'Action' ? s.actions : s.resources).includes(value));
  return using.every((s) => (kind === 'Action' ? s.resources : s.actions).every((v) => grant.within!.includes(v))
    && (!grant.conditional || s.conditional));
}

function generatedGrants(pipeline: pipelines.CodePipeline): GeneratedGrant[] {
  const codePipeline = pipeline.pipeline;
  const stack = Stack.of(pipeline);
  const partition = nagText(stack, stack.partition);
  const support = Object.values(codePipeline.crossRegionSupport);
  const bucketArn = `<${logicalIdOf(codePipeline.artifactBucket.node.defaultChild as CfnResource)}.Arn>`;
  const replicaArns = support.map((s) => `arn:${partition}:s3:::${nagText(stack, s.replicationBucket.bucketName)}`);
  const storage = [bucketArn, `${bucketArn}/*`, ...replicaArns.flatMap((arn) => [arn, `${arn}/*`])];
  const key = codePipeline.artifactBucket.encryptionKey;
  const keys = key ? [nagText(stack, key.keyArn)] : [];
  const pipelineRole = (codePipeline.role as iam.Role).node.tryFindChild('DefaultPolicy');
  const selfMutation = pipeline.selfMutationProject.role?.node.tryFindChild('DefaultPolicy');
  const assets = pipeline.node.tryFindChild('Assets');
  const inside = (scope: IConstruct | undefined) => (policy: iam.CfnPolicy) => scope !== undefined && policy.node.scopes.includes(scope);

  const artifacts = 'aws-cdk-lib grants the pipeline\'s roles its own artifact storage only (bucket.grantRead/grantReadWrite): '
    + 'these wildcards are its standard S3 action groups and the objects of the pipeline\'s artifact buckets, no other bucket.';
  const artifactKey = 'aws-cdk-lib grants the pipeline\'s roles the artifact bucket\'s KMS key only (key.grantEncryptDecrypt): '
    + 'GenerateDataKey* and ReEncrypt* are its standard encryption action groups, on that one key.';
  return [
    ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*']
      .map((action) => ({ finding: `Action::${action}`, within: storage, reason: artifacts })),
    ...storage.filter((arn) => arn.endsWith('/*')).map((arn) => ({ finding: `Resource::${arn}`, reason: artifacts })),
    ...['kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((action) => ({ finding: `Action::${action}`, within: keys, reason: artifactKey })),
    // The pipeline role also encrypts for the other regions' replication buckets, whose keys it may only name by "*".
    ...['kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((action) => ({
      finding: `Action::${action}`, within: [...keys, '*'], onlyIn: inside(pipelineRole), reason: artifactKey,
    })),
    ...support.length === 0 ? [] : [{
      finding: 'Resource::*',
      within: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      onlyIn: inside(pipelineRole),
      reason: 'A stage in another region than the pipeline gets a replication bucket there, encrypted by a key of that '
        + 'region\'s support stack; aws-cdk-lib cannot reference a key ARN across regions and grants the pipeline role its '
        + 'KMS encryption actions on "*" (no other action). That key\'s policy delegates to the pipeline account\'s IAM, so '
        + 'the role may use, for these actions only, any key of the pipeline account whose policy does the same; the role '
        + 'trusts the CodePipeline service only.',
    }],
    ...pipeline.node.findAll().filter((c): c is codebuild.CfnProject => c instanceof codebuild.CfnProject)
      .flatMap(codeBuildFindings).map((finding) => ({ finding, reason: CODEBUILD_REASON })),

    {
      finding: 'Resource::*',
      within: ['cloudformation:DescribeStacks', 's3:ListBucket'],
      onlyIn: inside(selfMutation),
      reason: 'Self-mutation runs `cdk deploy` of the pipeline stack, which reads stacks and lists the bootstrap bucket '
        + 'before it knows their names; both are read-only, and deploying goes through the bootstrap roles.',
    },
    {
      finding: `Resource::arn:*:iam::${nagText(stack, stack.account)}:role/*`,
      within: ['sts:AssumeRole'],
      onlyIn: inside(selfMutation),
      conditional: true,
      reason: 'Self-mutation assumes the CDK bootstrap roles of the pipeline account only: the statement\'s condition '
        + 'limits it to roles tagged aws-cdk:bootstrap-role (deploy, file-publishing, image-publishing).',
    },
    ...[
      { finding: 'Resource::*', within: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'] },
      { finding: `Resource::${nagArnPrefix(stack, 'logs')}:log-group:/aws/codebuild/*`, within: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'] },
      {
        finding: `Resource::${nagArnPrefix(stack, 'codebuild')}:report-group/*`,
        within: ['codebuild:BatchPutCodeCoverages', 'codebuild:BatchPutTestCases', 'codebuild:CreateReport', 'codebuild:CreateReportGroup', 'codebuild:UpdateReport'],
      },
    ].map((g) => ({
      ...g,
      onlyIn: inside(assets),
      reason: 'aws-cdk-lib/pipelines shares one role among all asset-publishing CodeBuild projects and their pipeline '
        + 'actions, and writes its policy before those projects exist: it can only name them by wildcard. The role may '
        + 'start and watch builds, write CodeBuild logs and reports, read the pipeline\'s artifacts and assume the '
        + 'bootstrap file-publishing roles, nothing else.',
    })),
  ];
}
