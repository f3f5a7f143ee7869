import { Annotations, CfnResource, IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Puts every IAM role of a stage under the stage's path, CDK's own provider roles included: the
 * stage account's execution policy lets CloudFormation act on roles under that path only.
 */
export class RolePaths implements IAspect {
  constructor(private readonly path: string) {}

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::IAM::Role') return;
    const given = node instanceof iam.CfnRole ? node.path : undefined;
    if (given !== undefined && given !== this.path) {
      Annotations.of(node).addError(`This role has the path ${given}: every role of the stage must be under ${this.path}, `
        + 'the only path its deploy permissions reach. Remove the path.');
      return;
    }
    node.addPropertyOverride('Path', this.path);
  }
}
