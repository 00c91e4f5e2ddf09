import { z } from "zod";
import { TRUSTED_KEY, TRUSTED_KEY_EXPECTED } from "./trusted-keys";

/*
 * The shape of one environment definition (environments/<name>.ts).
 *
 * Every message below is phrased as what is *expected*: the validator prefixes the field path and
 * what it found, so a message reads "teams[0].grants[0].table: found "Prodcts"; expected …".
 * Cross-field rules (unknown tables, overlapping key ranges, production invariants) live in
 * ./rules.ts so this file stays a plain description of the data.
 */

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
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

/**
 * Ceilings on what an on-demand table or index may consume, in request units per second: a runaway
 * client or a stolen credential then meets throttling instead of an unbounded bill, and cannot starve
 * the table's other readers. DynamoDB's `on_demand_throughput` (MaxReadRequestUnits / MaxWriteRequestUnits).
 */
const onDemandThroughput = z.strictObject({
  maxReadRequestUnits: z.number().int().positive("a positive whole number of read request units per second"),
  maxWriteRequestUnits: z
    .number()
    .int()
    .positive("a positive whole number of write request units per second"),
});
export type OnDemandThroughputConfig = z.infer<typeof onDemandThroughput>;

const globalSecondaryIndex = z.strictObject({
  name: z.string().regex(TABLE_NAME, "an index name of 3-255 letters, digits, '_', '-' or '.'"),
  partitionKey: keyAttribute,
  sortKey: keyAttribute.optional(),
  projection: projection.default("ALL"),
  /** On-demand ceilings for this index; defaults to the table's `onDemandThroughput`. */
  onDemandThroughput: onDemandThroughput.optional(),
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
  /**
   * How far back point-in-time recovery reaches, 1-35 days. Defaults to 35, the most DynamoDB keeps
   * (the price does not depend on it); production environments may not go below 35.
   */
  pointInTimeRecoveryDays: z
    .number()
    .int("a whole number of days")
    .min(1, "at least 1 day")
    .max(35, "at most 35 days (DynamoDB's longest recovery window)")
    .default(35),
  /**
   * Request-unit ceilings for an on-demand (PAY_PER_REQUEST) table, also applied to each index that
   * sets none of its own. Omitted means unbounded; required for on-demand tables in production.
   */
  onDemandThroughput: onDemandThroughput.optional(),
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

const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;

/**
 * An IPv4 CIDR block allowed to reach the interface endpoint (any prefix length from /8 to /32):
 * on-premises ranges arriving over VPN or Direct Connect. Never 0.0.0.0/0.
 */
const clientCidr = z
  .string()
  .regex(CIDR, 'an IPv4 CIDR block such as "192.168.0.0/16"')
  .refine((value) => {
    const [a, b, c, d, bits] = value.split(/[./]/).map(Number);
    return [a, b, c, d].every((octet) => octet <= 255) && bits >= 8 && bits <= 32;
  }, "an IPv4 CIDR block with octets ≤ 255 and a prefix length from /8 to /32 (never 0.0.0.0/0)");

/**
 * Optional: a DynamoDB Interface VPC endpoint (AWS PrivateLink) for clients outside the VPC, such as
 * on-premises networks over VPN or Direct Connect. Billed per hour and per GB. The gateway endpoint
 * stays the path for traffic inside the VPC; every aws:SourceVpce condition names both endpoints.
 */
const interfaceEndpoint = z.strictObject({
  /** Networks whose clients may connect on 443; the endpoint's security group admits nothing else. */
  allowedCidrs: z.array(clientCidr).min(1, "at least one client CIDR block allowed to reach the endpoint"),
  /**
   * Private subnets for the endpoint's network interfaces (one per availability zone). Required with
   * network.mode "existing"; with "create", omit it and the environment's private subnets are used.
   */
  subnetIds: z
    .array(z.string().regex(SUBNET_ID, 'a subnet id such as "subnet-0a1b2c3d4e5f67890"'))
    .min(1, "at least one private subnet id")
    .optional(),
});
export type InterfaceEndpointConfig = z.infer<typeof interfaceEndpoint>;

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

const BACKUP_VAULT_ARN =
  /^arn:aws[a-z-]*:backup:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d:\d{12}:backup-vault:[A-Za-z0-9_.-]{2,50}$/;
const days = (what: string) =>
  z.number().int(`a whole number of days ${what}`).positive(`a positive number of days ${what}`);

/**
 * AWS Backup of every table into a vault of this environment, encrypted with its own customer-managed
 * key and locked in compliance mode: once `changeableForDays` have passed, nobody (the account root
 * included) can shorten retention, delete a recovery point early or remove the lock. Point-in-time
 * recovery is deleted with the table; these recovery points are not.
 */
const backup = z.strictObject({
  /** Defaults to true in production and staging, false in development; production may not turn it off. */
  enabled: z.boolean().optional(),
  /** When the backup plan runs: an AWS Backup cron expression, in UTC. Defaults to daily at 03:00. */
  schedule: z
    .string()
    .regex(/^cron\(\S+( \S+){5}\)$/, 'an AWS Backup schedule such as "cron(0 3 * * ? *)"')
    .default("cron(0 3 * * ? *)"),
  /** Days each recovery point is kept (the plan rule's lifecycle delete_after). Defaults to 35. */
  retentionDays: days("to keep each recovery point").default(35),
  /** The vault lock (compliance mode). Recovery points outside [min, max] retention are refused. */
  lock: z
    .strictObject({
      /** Cooling-off days before the lock becomes immutable (AWS: at least 3). Defaults to 3. */
      changeableForDays: z
        .number()
        .int("a whole number of days")
        .min(3, "at least 3 days (AWS Backup's shortest compliance-mode grace time)")
        .default(3),
      /** Shortest retention the vault accepts. Defaults to 35; production may not go below 35. */
      minRetentionDays: days("as the shortest retention the vault accepts").default(35),
      /** Longest retention the vault accepts. Defaults to 365. */
      maxRetentionDays: days("as the longest retention the vault accepts").default(365),
    })
    .prefault({}),
  /**
   * A copy of every recovery point in a vault of another region or account (which must already exist
   * and admit backup:CopyIntoBackupVault from this account). Omit for no copy.
   */
  copy: z
    .strictObject({
      destinationVaultArn: z
        .string()
        .regex(
          BACKUP_VAULT_ARN,
          'a backup vault ARN such as "arn:aws:backup:us-west-2:111122223333:backup-vault:dr-vault"',
        ),
      /** Days the copy is kept; defaults to the backup's retentionDays. */
      retentionDays: days("to keep each copy").optional(),
    })
    .optional(),
});
export type BackupConfig = z.infer<typeof backup>;

export const tags = z
  .record(
    z.string().regex(TAG_KEY, "a tag key of 1-128 letters, digits, spaces or _.:/=+-@"),
    z.string().max(256),
  )
  .refine(
    (value) => typeof value.owner === "string" && value.owner.length > 0,
    'an "owner" tag naming the team that runs the environment',
  );

/** An AWS account of the organization, and the region a stack of it deploys to. */
export const accountSchema = z.strictObject({
  id: z.string().regex(ACCOUNT_ID, 'a 12-digit AWS account id such as "111122223333"'),
  region: z.string().regex(REGION, 'an AWS region such as "us-east-1"'),
  organizationId: z
    .string()
    .regex(
      ORGANIZATION_ID,
      'an AWS Organizations id such as "o-a1b2c3d4e5" (o- and 10-32 lowercase letters or digits)',
    ),
});

export const environmentSchema = z.strictObject({
  name: z
    .string()
    .regex(
      ENVIRONMENT_NAME,
      "an environment name of 2-16 lowercase letters, digits or '-', starting with a letter",
    ),
  tier: z.enum(TIERS, { message: `a tier: ${TIERS.map((t) => `"${t}"`).join(", ")}` }),
  account: accountSchema,
  /** Remote state; omitted means a local backend, which is fine offline and refused in production. */
  backend: backend.optional(),
  network,
  /**
   * Optional DynamoDB Interface VPC endpoint (see interfaceEndpoint above); omitted means none, and the
   * gateway endpoint is the only way in.
   */
  interfaceEndpoint: interfaceEndpoint.optional(),
  /**
   * Global tables: every table gets a replica in each region listed, encrypted with a key of its own
   * in that region, with point-in-time recovery and deletion protection. Defaults to [] (no replicas;
   * replicated writes are billed per region). Each must be a region name other than account.region,
   * listed once.
   */
  replicaRegions: z.array(z.string().regex(REGION, 'an AWS region such as "us-west-2"')).default([]),
  /** KMS key deletion window; defaults to 30 days in production and 7 elsewhere. */
  keyDeletionWindowDays: z.number().int().min(7, "at least 7 days").max(30, "at most 30 days").optional(),
  /**
   * Customer-managed KMS keys this environment uses but does not create (for example kept in a central
   * security account, whose key policies live there): key ARNs, alias ARNs or alias names. The gate
   * counts them as customer-managed keys; any other key the stack names but does not declare is
   * reported as "cannot verify". Omitted means none.
   */
  trustedKeys: z.array(z.string().regex(TRUSTED_KEY, TRUSTED_KEY_EXPECTED)).optional(),
  tables: z.array(table).min(1, "at least one table"),
  teams: z.array(team).default([]),
  alerts,
  /** AWS Backup with a locked vault; see `backup` above for each field's default. */
  backup: backup.prefault({}),
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
