/*
 * A customer-managed key kept outside the stack: its key ARN, an alias ARN or an alias name.
 * alias/aws/… names AWS-managed keys, which the account cannot restrict, so they are never trusted.
 * Kept apart from the schema so the gate's bundle can check --trusted-key without loading zod.
 */
export const TRUSTED_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key\/[A-Za-z0-9-]+|alias\/(?!aws\/)[A-Za-z0-9/_-]+)|alias\/(?!aws\/)[A-Za-z0-9/_-]+)$/;

export const TRUSTED_KEY_EXPECTED =
  'a KMS key ARN ("arn:aws:kms:us-east-1:444455556666:key/1234abcd-…"), an alias ARN or an alias name ("alias/central-sns"), not an AWS-managed alias/aws/…';
