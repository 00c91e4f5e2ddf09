import { z } from "zod";
import { accountSchema, ENVIRONMENT_NAME, S3_BUCKET, tags } from "./schema";

/*
 * The shape of one account's bootstrap definition (bootstrap/<name>.ts): what an administrator
 * deploys once per account so that everything else can go through the pipeline. Messages are
 * phrased as what is expected, as in ./schema.ts. Rules that need the environments (that each
 * one exists, lives in this account and keeps its state in this bucket) are in ./bootstrap.ts.
 */

const ACCOUNT_NAME = /^[a-z][a-z0-9-]{1,15}$/;
// GitHub's own limits: owners are 1-39 letters, digits or single hyphens; repositories 1-100 of [A-Za-z0-9._-].
const GITHUB_OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const GITHUB_REPOSITORY = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

export const bootstrapSchema = z.strictObject({
  /** The account's short name; the file is bootstrap/<name>.ts and the stack bootstrap-<name>. */
  name: z
    .string()
    .regex(ACCOUNT_NAME, "an account name of 2-16 lowercase letters, digits or '-', starting with a letter"),
  /** region is where the state bucket lives; environments may deploy to other regions of the account. */
  account: accountSchema,
  /** The GitHub repository whose workflows may assume the pipeline roles, and no other. */
  repository: z.strictObject({
    owner: z.string().regex(GITHUB_OWNER, 'a GitHub user or organization name such as "example-org"'),
    name: z.string().regex(GITHUB_REPOSITORY, 'a GitHub repository name such as "ddb-guardrails"'),
  }),
  /** The Terraform state bucket this stack creates; every listed environment's backend names it. */
  stateBucket: z.string().regex(S3_BUCKET, "an S3 bucket name of 3-63 lowercase letters, digits, '.' or '-'"),
  /**
   * false for the very first apply, from an administrator's workstation, while the bucket does not
   * exist yet (local state); true once that state has been migrated into the bucket it created.
   */
  remoteState: z.boolean().default(false),
  /** The environments (environments/<name>.ts) deployed to this account: each gets a plan and a deploy role. */
  environments: z
    .array(z.string().regex(ENVIRONMENT_NAME, "the name of an environment defined in environments/<name>.ts"))
    .min(1, "at least one environment deployed to this account"),
  /** GitHub OIDC sessions last at most this long (seconds); a plan or apply must finish within it. */
  sessionDurationSeconds: z
    .number()
    .int()
    .min(900, "at least 900 seconds")
    .max(43200, "at most 43200 seconds")
    .default(3600),
  tags,
});

/** What a bootstrap file is written as (defaults may be omitted). */
export type BootstrapDefinition = z.input<typeof bootstrapSchema>;
/** A validated bootstrap, defaults filled in. */
export type Bootstrap = z.output<typeof bootstrapSchema>;

/** Identity function that gives a bootstrap file its type (and editor completion). */
export function defineBootstrap(definition: BootstrapDefinition): BootstrapDefinition {
  return definition;
}

/** The stack an account's bootstrap synthesizes to: `cdktf deploy bootstrap-<name>`. */
export const bootstrapStackName = (name: string): string => `bootstrap-${name}`;
