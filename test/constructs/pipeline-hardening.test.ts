import { Template } from 'aws-cdk-lib/assertions';
import { pipelineStack } from '../helpers/pipeline';

// The fixture's prod stage is in eu-central-1: the pipeline (eu-west-1) replicates its artifacts there.
const stack = pipelineStack();
const pipeline = Template.fromStack(stack);
const support = Template.fromStack(stack.pipeline.pipeline.crossRegionSupport['eu-central-1'].stack);

describe.each([
  ['the artifact bucket', pipeline, 'PipelineArtifactsBucket'],
  ['the replication bucket of another region', support, 'CrossRegionCodePipelineReplicationBucket'],
])('%s', (_name, template, bucketPrefix) => {
  const buckets = template.findResources('AWS::S3::Bucket');
  const bucketId = Object.keys(buckets).find((id) => id.startsWith(bucketPrefix) && !id.includes('AccessLogs'))!;
  const logsId = Object.keys(buckets).find((id) => id.includes('AccessLogs'))!;

  test('writes its server access logs to a bucket of their own', () => {
    expect(buckets[bucketId].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId }, LogFilePrefix: expect.stringMatching(/Bucket\/$/),
    });
    expect(buckets[bucketId].DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/AccessLogsPolicy/)]));
  });

  test('keeps those logs a year, private, S3-encrypted (as log delivery requires) and reachable over TLS only', () => {
    expect(buckets[logsId].Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365, Status: 'Enabled' })] },
    });
    const statements = Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .filter((p) => p.Properties.Bucket.Ref === logsId).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
    ]));
  });

  test('is encrypted with a customer-managed key that rotates', () => {
    const encryption = buckets[bucketId].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
    expect(encryption.SSEAlgorithm).toBe('aws:kms');
    const resources = template.toJSON().Resources;
    // The key by its ARN, or (across regions) by an alias whose target is the key.
    const aliasId = JSON.stringify(encryption.KMSMasterKeyID).match(/"Ref":"([^"]+Alias[^"]*)"/)?.[1];
    const [keyId] = (aliasId ? resources[aliasId].Properties.TargetKeyId : encryption.KMSMasterKeyID)['Fn::GetAtt'];
    expect(resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
  });
});
