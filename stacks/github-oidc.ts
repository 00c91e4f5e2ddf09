import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";
import { PolicyDocument } from "./iam/policy-document";

/** GitHub Actions' token issuer; its condition keys are `<host>:aud` and `<host>:sub`. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

export interface GitHubRepository {
  owner: string;
  name: string;
}

/** What a workflow run may assume a role as: a pull request, or a job in a GitHub environment. */
export type GitHubSubject = { pullRequest: true } | { environment: string };

/** The token's `sub` claim for a subject, e.g. `repo:example-org/ddb-guardrails:environment:prod`. */
export function subjectClaim(repository: GitHubRepository, subject: GitHubSubject): string {
  const repo = `repo:${repository.owner}/${repository.name}`;
  return "pullRequest" in subject ? `${repo}:pull_request` : `${repo}:environment:${subject.environment}`;
}

/**
 * The account's IAM OIDC identity provider for GitHub Actions. AWS validates GitHub's tokens against
 * its own trusted certificate authorities, so no thumbprint is pinned.
 */
export class GitHubOidcProvider extends Construct {
  readonly provider: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: { tags: Record<string, string> }) {
    super(scope, id);
    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
      tags: props.tags,
    });
  }

  get arn(): string {
    return this.provider.arn;
  }

  /**
   * A trust policy admitting only this repository's workflow runs as `subject`: both the audience
   * and the subject are pinned, without wildcards. Without `sub`, any repository on GitHub could
   * assume the role (GR-FGA-009).
   */
  trustFor(sid: string, repository: GitHubRepository, subject: GitHubSubject): PolicyDocument {
    return new PolicyDocument({
      Sid: sid,
      Effect: "Allow",
      Principal: { Federated: this.arn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: subjectClaim(repository, subject),
        },
      },
    });
  }
}
