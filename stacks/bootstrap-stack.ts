import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { bootstrapStackName, type Bootstrap } from "../config/bootstrap-schema";
import { STATE_KEY_ALIAS, stateKeyAliasArn } from "../config/bootstrap";
import type { Environment } from "../config/schema";
import { GitHubOidcProvider } from "./github-oidc";
import type { DeploymentTarget } from "./iam/arns";
import { PipelineRoles } from "./pipeline-roles";
import { StateBucket } from "./state-bucket";
import { bootstrapFacts } from "../config/stack-facts";
import { FACTS_KEY } from "../gate/facts";

export interface BootstrapStackProps {
  bootstrap: Bootstrap;
  /** The validated environments the bootstrap lists, in its order. */
  environments: Environment[];
}

/**
 * What one AWS account needs before any pipeline can deploy to it, applied once by an administrator:
 * the Terraform state bucket and its key, GitHub's OIDC identity provider, and per environment a
 * plan role, a deploy role and the permissions boundary of the roles the environment creates.
 * The stack is named `bootstrap-<name>`.
 */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: StateBucket;
  readonly github: GitHubOidcProvider;
  readonly pipelines: PipelineRoles[];

  constructor(scope: Construct, props: BootstrapStackProps) {
    const { bootstrap } = props;
    const name = bootstrapStackName(bootstrap.name);
    super(scope, name);
    const target: DeploymentTarget = {
      accountId: bootstrap.account.id,
      region: bootstrap.account.region,
      organizationId: bootstrap.account.organizationId,
    };
    const tags = { ...bootstrap.tags, environment: name };
    // The gate reads the stack's facts from the stack itself (gate/facts.ts).
    this.addOverride(`//.${FACTS_KEY}`, bootstrapFacts(bootstrap, props.environments));

    // The first apply cannot use the bucket it creates: local state, then `terraform init -migrate-state`.
    if (bootstrap.remoteState) {
      new S3Backend(this, {
        bucket: bootstrap.stateBucket,
        key: `ddb-guardrails/${name}.tfstate`,
        region: bootstrap.account.region,
        encrypt: true,
        kmsKeyId: stateKeyAliasArn(bootstrap),
      });
      this.addOverride("terraform.backend.s3.use_lockfile", true);
    } else {
      new LocalBackend(this, { path: `terraform.${name}.tfstate` });
    }
    new AwsProvider(this, "aws", {
      region: bootstrap.account.region,
      allowedAccountIds: [bootstrap.account.id],
      defaultTags: [{ tags: { ...tags, "managed-by": "ddb-guardrails" } }],
    });

    this.stateBucket = new StateBucket(this, "state", {
      target,
      bucketName: bootstrap.stateBucket,
      keyAlias: STATE_KEY_ALIAS,
      tags: { ...tags, "data-classification": "confidential" },
    });
    this.github = new GitHubOidcProvider(this, "github", { tags });
    this.pipelines = props.environments.map(
      (environment) =>
        new PipelineRoles(this, `pipeline-${environment.name}`, {
          environment,
          repository: bootstrap.repository,
          github: this.github,
          stateBucket: this.stateBucket,
          sessionDurationSeconds: bootstrap.sessionDurationSeconds,
        }),
    );
  }
}
