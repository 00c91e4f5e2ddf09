import { z } from "zod";

/*
 * The shape of one environment definition (environments/<name>.ts).
 *
 * Every message below is phrased as what is *expected*: the validator prefixes the field path and
 * what it found, so a message reads "teams[0].grants[0].table: found "Prodcts"; expected …".
 * Cross-field rules (unknown tables, overlapping key ranges, production invariants) live in
 * ./rules.ts so this file stays a plain description of the data.
 */

export const ACCOUNT_ID = /^\d{12}$/;
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{1,15}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TEAM_NAME = /^[a-z][a-z0-9-]{1,31}$/;
// Users and roles only: an account root or `*` would hand the team role to everyone in an account.
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/[A-Za-z0-9+=,.@_/-]+$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const ROUTE_TABLE_ID = /^rtb-[0-9a-f]{8,17}$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const AVAILABILITY_ZONE = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
export const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The tier decides the defaults and the invariants an environment must keep (see ./rules.ts). */
export const TIERS = ["development", "staging", "production"] as const;
export type Tier = (typeof TIERS)[number];

export const DATA_CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

const nonEmptyName = (what: string) => z.string().min(1, `a non-empty ${what}`);

const keyAttribute = z.strictObject({
  name: nonEmptyName("attribute name"),
  type: z.enum(["S", "N", "B"], { message: 'an attribute type: "S" (string), "N" (number) or "B" (binary)' }),
});
export type KeyAttribute = z.infer<typeof keyAttribute>;

const projection = z.union(
  [
    z.literal("ALL"),
    z.literal("KEYS_ONLY"),
    z.strictObject({ include: z.array(nonEmptyName("attribute name")).min(1, "at least one attribute") }),
  ],
  { message: '"ALL", "KEYS_ONLY" or { include: [attribute names] }' },
);

const globalSecondaryIndex = z.strictObject({
  name: z.string().regex(TABLE_NAME, "an index name of 3-255 letters, digits, '_', '-' or '.'"),
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  projection: projection.default("ALL"),
});
export type GlobalSecondaryIndexConfig = z.infer<typeof globalSecondaryIndex>;

const billing = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({ mode: z.literal("PAY_PER_REQUEST") }),
    z.strictObject({
      mode: z.literal("PROVISIONED"),
      readCapacity: z.number().int().positive("a positive whole number of read capacity units"),
      writeCapacity: z.number().int().positive("a positive whole number of write capacity units"),
    }),
  ],
  { message: 'billing.mode "PAY_PER_REQUEST" or "PROVISIONED" (with readCapacity and writeCapacity)' },
);

const table = z.strictObject({
  name: z.string().regex(TABLE_NAME, "a table name of 3-255 letters, digits, '_', '-' or '.'"),
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  billing: billing.default({ mode: "PAY_PER_REQUEST" }),
  globalSecondaryIndexes: z.array(globalSecondaryIndex).default([]),
  /** Change data capture; omit for no stream. */
  stream: z
    .enum(["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"], {
      message: 'a stream view type: "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES" or "KEYS_ONLY"',
    })
    .optional(),
  /** Defaults to true; production environments must keep it on. */
  deletionProtection: z.boolean().default(true),
  /** Defaults to true; production environments must keep it on (the talk: restore even deleted tables). */
  pointInTimeRecovery: z.boolean().default(true),
  dataClassification: z.enum(DATA_CLASSIFICATIONS, {
    message: `a data classification: ${DATA_CLASSIFICATIONS.map((c) => `"${c}"`).join(", ")}`,
  }),
});
export type TableConfig = z.infer<typeof table>;

const leadingKeys = z.union(
  [
    z.strictObject({
      numericRange: z.strictObject({
        min: z.number().int("a whole number"),
        max: z.number().int("a whole number"),
      }),
    }),
    z.strictObject({ prefix: z.string().min(1, "a non-empty key prefix") }),
    z.strictObject({ values: z.array(z.string().min(1)).min(1, "at least one partition key value") }),
  ],
  {
    message:
      'one of { numericRange: { min, max } } (inclusive), { prefix: "..." } or { values: [...] } limiting the partition keys the team may touch',
  },
);
export type LeadingKeysConfig = z.infer<typeof leadingKeys>;

const grant = z.strictObject({
  table: nonEmptyName("table name from this environment's tables"),
  access: z.enum(["read", "read-write"], { message: '"read" or "read-write"' }),
  leadingKeys,
  /** Every attribute the team may read or write; must include the table's key attributes. */
  attributes: z.array(nonEmptyName("attribute name")).min(1, "at least one attribute the team may access"),
  /** Global secondary indexes the team may query (same restrictions as the table). */
  indexes: z.array(nonEmptyName("index name")).default([]),
});
export type GrantConfig = z.infer<typeof grant>;

const team = z.strictObject({
  name: z
    .string()
    .regex(TEAM_NAME, "a team name of 2-32 lowercase letters, digits or '-', starting with a letter"),
  /** IAM users or roles allowed to assume the team's role. Never `*` or an account root. */
  principals: z
    .array(
      z
        .string()
        .regex(
          PRINCIPAL_ARN,
          'an IAM user or role ARN such as "arn:aws:iam::111122223333:role/BooksEditors"',
        ),
    )
    .min(1, "at least one IAM user or role ARN"),
  grants: z.array(grant).min(1, "at least one table grant"),
});
export type TeamConfig = z.infer<typeof team>;

const cidr = z
  .string()
  .regex(CIDR, 'an IPv4 CIDR block such as "10.20.0.0/16"')
  .refine((value) => {
    const [a, b, c, d, bits] = value.split(/[./]/).map(Number);
    return [a, b, c, d].every((octet) => octet <= 255) && bits >= 16 && bits <= 24;
  }, "an IPv4 CIDR block with octets ≤ 255 and a prefix length from /16 to /24");

const network = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({
      mode: z.literal("create"),
      cidr,
      availabilityZones: z
        .array(z.string().regex(AVAILABILITY_ZONE, 'an availability zone such as "us-east-1a"'))
        .min(1, "at least one availability zone")
        .max(6, "at most six availability zones"),
    }),
    z.strictObject({
      mode: z.literal("existing"),
      vpcId: z.string().regex(VPC_ID, 'a VPC id such as "vpc-0a1b2c3d4e5f67890"'),
      routeTableIds: z
        .array(z.string().regex(ROUTE_TABLE_ID, 'a route table id such as "rtb-0a1b2c3d4e5f67890"'))
        .min(1, "at least one route table id for the DynamoDB gateway endpoint"),
    }),
  ],
  {
    message: 'network.mode "create" (with cidr, availabilityZones) or "existing" (with vpcId, routeTableIds)',
  },
);
export type NetworkConfig = z.infer<typeof network>;

const backend = z.strictObject({
  bucket: z.string().regex(S3_BUCKET, "an S3 bucket name for Terraform state"),
  key: z.string().min(1, "a state object key").optional(),
  region: z.string().regex(REGION, 'an AWS region such as "us-east-1"'),
  /**
   * The KMS key (ARN, or alias ARN) that encrypts the state object. Without it the backend asks S3
   * for SSE-S3, overriding the bucket's own key; the bootstrap's key is
   * `arn:aws:kms:<region>:<account>:alias/terraform-state`.
   */
  kmsKeyId: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/, "a KMS key or alias ARN")
    .optional(),
  /** State holds secrets in plain text: always true. */
  encrypt: z.literal(true, { message: "true: Terraform state must be encrypted at rest" }).default(true),
  /** S3-native state locking (Terraform ≥ 1.10), replacing the DynamoDB lock table. */
  useLockfile: z.boolean().default(true),
});
export type BackendConfig = z.infer<typeof backend>;

const alerts = z.strictObject({
  emails: z
    .array(z.email('an e-mail address such as "dynamodb-alerts@example.com"'))
    .min(1, "at least one e-mail address"),
  /** Also record item-level (data plane) calls on the tables in CloudTrail; billed per event. */
  dataEvents: z.boolean().default(false),
  logRetentionDays: z
    .union(
      [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
        3653,
      ].map((days) => z.literal(days)) as unknown as [
        z.ZodLiteral<number>,
        z.ZodLiteral<number>,
        ...z.ZodLiteral<number>[],
      ],
      {
        message:
          "a CloudWatch Logs retention in days (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, …)",
      },
    )
    .default(365),
});
export type AlertsConfig = z.infer<typeof alerts>;

export const tags = z
  .record(
    z.string().regex(TAG_KEY, "a tag key of 1-128 letters, digits, spaces or _.:/=+-@"),
    z.string().max(256),
  )
  .refine(
    (value) => typeof value.owner === "string" && value.owner.length > 0,
    'an "owner" tag naming the team that runs the environment',
  );

export const environmentSchema = z.strictObject({
  name: z
    .string()
    .regex(
      ENVIRONMENT_NAME,
      "an environment name of 2-16 lowercase letters, digits or '-', starting with a letter",
    ),
  tier: z.enum(TIERS, { message: `a tier: ${TIERS.map((t) => `"${t}"`).join(", ")}` }),
  account: z.strictObject({
    id: z.string().regex(ACCOUNT_ID, 'a 12-digit AWS account id such as "111122223333"'),
    region: z.string().regex(REGION, 'an AWS region such as "us-east-1"'),
    organizationId: z
      .string()
      .regex(
        ORGANIZATION_ID,
        'an AWS Organizations id such as "o-a1b2c3d4e5" (o- and 10-32 lowercase letters or digits)',
      ),
  }),
  /** Remote state; omitted means a local backend, which is fine offline and refused in production. */
  backend: backend.optional(),
  network,
  /** KMS key deletion window; defaults to 30 days in production and 7 elsewhere. */
  keyDeletionWindowDays: z.number().int().min(7, "at least 7 days").max(30, "at most 30 days").optional(),
  tables: z.array(table).min(1, "at least one table"),
  teams: z.array(team).default([]),
  alerts,
  tags,
});

/** What an environment file is written as (defaults may be omitted). */
export type EnvironmentDefinition = z.input<typeof environmentSchema>;
/** A validated environment, defaults filled in. */
export type Environment = z.output<typeof environmentSchema> & { keyDeletionWindowDays: number };

/** Identity function that gives an environment file its type (and editor completion). */
export function defineEnvironment(definition: EnvironmentDefinition): EnvironmentDefinition {
  return definition;
}
