import { DefaultStackSynthesizer, Lazy, Stack, Stage } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { acknowledge } from './nag';

/** The CDK bootstrap's role or bucket of an account and region, by its default name. */
function bootstrapName(template: string, account: string, region: string): string {
  const partition = RegionInfo.get(region).partition ?? 'aws';
  return template.replace('${AWS::Partition}', partition).replace(/\$\{AWS::AccountId\}/g, account)
    .replace('${AWS::Region}', region).replace('${Qualifier}', DefaultStackSynthesizer.DEFAULT_QUALIFIER);
}

/** How the review and verify steps reach a stage account: the bootstrap roles every deploy uses. */
export interface StageAccountAccess {
  readonly account: string;
  readonly region: string;
}

const deployRole = (a: StageAccountAccess) => bootstrapName(DefaultStackSynthesizer.DEFAULT_DEPLOY_ROLE_ARN, a.account, a.region);
const publishingRole = (a: StageAccountAccess) => bootstrapName(DefaultStackSynthesizer.DEFAULT_FILE_ASSET_PUBLISHING_ROLE_ARN, a.account, a.region);

/** The name of the change set the review step makes for a commit (CloudFormation: a letter, then letters, digits, hyphens). */
const REVIEW_CHANGE_SET = 'review-$CODEBUILD_RESOLVED_SOURCE_VERSION';

const PROFILES = [
  'aws configure set profile.deploy.role_arn "$DEPLOY_ROLE_ARN" && aws configure set profile.deploy.credential_source EcsContainer',
];

/**
 * Before the approval: a change set of each stack of the stage, made from the very templates the
 * deploy will use (the synth output), named after the commit, described, summarized (replacements
 * first), and sent to the notifications; SUMMARY and CHANGE_SET_URL become the approval's comment
 * and review link. A stack that does not exist yet is reported as created. CloudFormation reads a
 * template over 51,200 bytes only from S3: the template goes to the stage account's bootstrap bucket first.
 */
export const REVIEW_COMMANDS = [
  ...PROFILES,
  'aws configure set profile.publish.role_arn "$PUBLISH_ROLE_ARN" && aws configure set profile.publish.credential_source EcsContainer',
  'mkdir -p review',
  'for entry in $REVIEW_STACKS; do stack="${entry%%=*}"; template="${entry#*=}"; '
  + 'if aws cloudformation describe-stacks --profile deploy --region "$STAGE_REGION" --stack-name "$stack" > /dev/null 2>&1; then '
  + 'key="review/$CODEBUILD_RESOLVED_SOURCE_VERSION/$stack.template.json"; '
  + 'aws s3 cp "cdk.out/$template" "s3://$ASSET_BUCKET/$key" --profile publish --region "$STAGE_REGION" --only-show-errors || exit 1; '
  + `aws cloudformation delete-change-set --profile deploy --region "$STAGE_REGION" --stack-name "$stack" --change-set-name "${REVIEW_CHANGE_SET}" > /dev/null 2>&1; `
  + `aws cloudformation create-change-set --profile deploy --region "$STAGE_REGION" --stack-name "$stack" --change-set-name "${REVIEW_CHANGE_SET}" `
  + '--template-url "https://$ASSET_BUCKET.s3.$STAGE_REGION.amazonaws.com/$key" --capabilities CAPABILITY_NAMED_IAM CAPABILITY_AUTO_EXPAND '
  + '--role-arn "$CFN_EXEC_ROLE_ARN" --description "Reviewed before the approval of $CODEBUILD_RESOLVED_SOURCE_VERSION" > /dev/null || exit 1; '
  // The waiter fails on a change set without changes: the description says which it was.
  + `aws cloudformation wait change-set-create-complete --profile deploy --region "$STAGE_REGION" --stack-name "$stack" --change-set-name "${REVIEW_CHANGE_SET}" || true; `
  + `aws cloudformation describe-change-set --profile deploy --region "$STAGE_REGION" --stack-name "$stack" --change-set-name "${REVIEW_CHANGE_SET}" > "review/$stack.json" || exit 1; `
  + 'else echo "$stack does not exist yet: this release creates it"; printf \'{"StackName":"%s","Status":"NEW_STACK"}\' "$stack" > "review/$stack.json"; fi; done',
  'npx serverless-service change-set summary --service "$SERVICE_NAME" --stage "$STAGE_NAME" --region "$STAGE_REGION" '
  + '--env review/approval.env --chat review/chat.json review/*.json > review/summary.txt || { cat review/summary.txt; exit 1; }',
  'cat review/summary.txt && . ./review/approval.env && export SUMMARY CHANGE_SET_URL',
  'aws sns publish --topic-arn "$TOPIC_ARN" --subject "$SERVICE_NAME: release to $STAGE_NAME awaits approval" --message file://review/summary.txt > /dev/null',
  'if [ -n "$CHAT_TOPIC_ARN" ]; then aws sns publish --topic-arn "$CHAT_TOPIC_ARN" --message file://review/chat.json > /dev/null; fi',
];

/**
 * Between the deploy's own change set and its execution: the change set about to execute must be
 * the one reviewed before the approval (same resources, same actions), or nothing is deployed. A
 * rollback execution (CodePipeline rolling the stage back to its last good release) and a stack's
 * first release, reviewed as a new stack, have no reviewed change set to compare.
 */
export const VERIFY_COMMANDS = [
  ...PROFILES,
  'type=$(aws codepipeline get-pipeline-execution --pipeline-name "$PIPELINE_NAME" --pipeline-execution-id "$EXECUTION_ID" '
  + '--query pipelineExecution.executionType --output text) || exit 1; '
  + 'if [ "$type" = ROLLBACK ]; then echo "A rollback to the last successful release: there is no reviewed change set to compare"; '
  + `elif aws cloudformation describe-change-set --profile deploy --region "$STAGE_REGION" --stack-name "$STACK_NAME" --change-set-name "${REVIEW_CHANGE_SET}" > reviewed.json 2> /dev/null; then `
  + 'aws cloudformation describe-change-set --profile deploy --region "$STAGE_REGION" --stack-name "$STACK_NAME" --change-set-name PipelineChange > executing.json || exit 1; '
  + 'npx serverless-service change-set compare reviewed.json executing.json || exit 1; '
  + 'elif [ "$(aws cloudformation describe-stacks --profile deploy --region "$STAGE_REGION" --stack-name "$STACK_NAME" '
  + '--query "Stacks[0].StackStatus" --output text)" = REVIEW_IN_PROGRESS ]; then echo "$STACK_NAME is created by this release, as reviewed"; '
  + 'else echo "The change set reviewed for $CODEBUILD_RESOLVED_SOURCE_VERSION is gone: another release changed $STACK_NAME since the approval. '
  + 'Nothing was deployed: run the release again to review its change set."; exit 1; fi',
];

/** Where the review's notifications go: known only once the notifications are built, after the pipeline. */
export interface ReviewTopics {
  topicArn?: string;
  chatTopicArn?: string;
}

/** Points the review steps at the notifications' topics and lets them publish there, once both exist. */
export function notifyReviews(
  reviews: pipelines.CodeBuildStep[], topics: ReviewTopics, notifications: { topic: sns.ITopic; chatTopic?: sns.ITopic },
): void {
  topics.topicArn = notifications.topic.topicArn;
  topics.chatTopicArn = notifications.chatTopic?.topicArn;
  for (const review of reviews) {
    notifications.topic.grantPublish(review.project);
    notifications.chatTopic?.grantPublish(review.project);
    acknowledge(review.project, 'IAM5', 'The change set review publishes its summary to the notifications topics, which one KMS key '
      + 'encrypts: topic.grantPublish grants GenerateDataKey* (the encryption action group SNS needs) on that key only.', 'Action::kms:GenerateDataKey*');
  }
}

/** The review step of a stage, in its approval stage, before the approval. */
export function changeSetReviewStep(props: {
  readonly serviceName: string;
  readonly stage: Stage;
  readonly access: StageAccountAccess;
  readonly synthOutput: pipelines.IFileSetProducer;
  readonly topics: ReviewTopics;
  readonly base: Omit<pipelines.CodeBuildStepProps, 'commands'>;
}): pipelines.CodeBuildStep {
  const { access, stage } = props;
  const stacks = stage.node.findAll().filter(Stack.isStack)
    .map((stack) => `${stack.stackName}=${stage.artifactId}/${stack.templateFile}`);
  return new pipelines.CodeBuildStep('ChangeSet', {
    ...props.base,
    additionalInputs: { 'cdk.out': props.synthOutput },
    commands: REVIEW_COMMANDS,
    env: {
      SERVICE_NAME: props.serviceName,
      STAGE_NAME: stage.stageName,
      STAGE_REGION: access.region,
      REVIEW_STACKS: stacks.join(' '),
      DEPLOY_ROLE_ARN: deployRole(access),
      PUBLISH_ROLE_ARN: publishingRole(access),
      CFN_EXEC_ROLE_ARN: bootstrapName(DefaultStackSynthesizer.DEFAULT_CLOUDFORMATION_ROLE_ARN, access.account, access.region),
      ASSET_BUCKET: bootstrapName(DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME, access.account, access.region),
      TOPIC_ARN: Lazy.uncachedString({ produce: () => props.topics.topicArn ?? '' }),
      CHAT_TOPIC_ARN: Lazy.uncachedString({ produce: () => props.topics.chatTopicArn ?? '' }),
    },
    rolePolicyStatements: [
      ...props.base.rolePolicyStatements ?? [],
      new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [deployRole(access), publishingRole(access)] }),
    ],
  });
}

/** The verify step of one stack, between its change set and the execution. */
export function changeSetVerifyStep(props: {
  readonly stack: Stack;
  readonly access: StageAccountAccess;
  readonly pipelineName: string;
  readonly pipelineArn: string;
  readonly base: Omit<pipelines.CodeBuildStepProps, 'commands'>;
}): pipelines.CodeBuildStep {
  return new pipelines.CodeBuildStep('Verify', {
    ...props.base,
    commands: VERIFY_COMMANDS,
    env: {
      STACK_NAME: props.stack.stackName,
      STAGE_REGION: props.access.region,
      DEPLOY_ROLE_ARN: deployRole(props.access),
      PIPELINE_NAME: props.pipelineName,
      EXECUTION_ID: '#{codepipeline.PipelineExecutionId}',
    },
    rolePolicyStatements: [
      ...props.base.rolePolicyStatements ?? [],
      new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [deployRole(props.access)] }),
      new iam.PolicyStatement({ actions: ['codepipeline:GetPipelineExecution'], resources: [props.pipelineArn] }),
    ],
  });
}

/**
 * A manual approval whose comment and review link hold the review step's variables (its summary
 * and the change set's console page). CDK Pipelines' ManualApprovalStep takes no variable.
 */
export class ReviewedApprovalStep extends pipelines.Step implements pipelines.ICodePipelineActionFactory {
  constructor(id: string, private readonly approval: { readonly comment: string; readonly reviewUrl: string }) {
    super(id);
    this.discoverReferencedOutputs(approval);
  }

  public produceAction(stage: codepipeline.IStage, options: pipelines.ProduceActionOptions): pipelines.CodePipelineActionFactoryResult {
    stage.addAction(new actions.ManualApprovalAction({
      actionName: options.actionName,
      runOrder: options.runOrder,
      additionalInformation: this.approval.comment,
      externalEntityLink: this.approval.reviewUrl,
    }));
    return { runOrdersConsumed: 1 };
  }
}
