import fc from "fast-check";

/*
 * Random inputs shaped like what the gate is handed: cdk.tf.json-like and plan-like documents whose
 * resources carry random values and random IAM policy documents, in every form IAM accepts.
 */

type Json = unknown;

/** The resource types the rules look at, plus names no rule knows. */
const RESOURCE_TYPES = [
  "aws_dynamodb_table",
  "aws_dynamodb_table_replica",
  "aws_dynamodb_resource_policy",
  "aws_kms_key",
  "aws_iam_role",
  "aws_iam_role_policy",
  "aws_iam_policy",
  "aws_vpc_endpoint",
  "aws_cloudtrail",
  "aws_cloudwatch_log_group",
  "aws_sns_topic",
  "aws_lambda_function",
  "aws_s3_bucket",
  "aws_unrelated_thing",
];

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const resourceType = fc.constantFrom(...RESOURCE_TYPES);

/** A key in any letter case, as IAM accepts none but users write all. */
function anyCase(key: string): fc.Arbitrary<string> {
  return fc.constantFrom(key, key.toLowerCase(), key.toUpperCase());
}

const stringOrList = (item: fc.Arbitrary<string>) => fc.oneof(item, fc.array(item, { maxLength: 3 }));

const action = fc.constantFrom(
  "*",
  "dynamodb:*",
  "dynamodb:GetItem",
  "dynamodb:Query",
  "dynamodb:Put*",
  "DynamoDB:deleteTable",
  "kms:Decrypt",
  "s3:GetObject",
  "iam:PassRole",
  "dynamodb:Get?tem",
);
const resource = fc.constantFrom(
  "*",
  "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
  "arn:aws:dynamodb:us-east-1:111122223333:table/Orders/index/*",
  "arn:aws:dynamodb:*:*:table/*",
  "${aws_dynamodb_table.t.arn}",
  "arn:aws:kms:us-east-1:111122223333:key/abc",
);
const principal = fc.oneof(
  fc.constant("*"),
  fc.dictionary(
    fc.constantFrom("AWS", "Service", "Federated", "aws"),
    stringOrList(fc.string({ maxLength: 40 })),
    {
      maxKeys: 2,
    },
  ),
);

const conditionValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.integer(),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
);
const condition = fc.dictionary(
  fc.constantFrom(
    "StringEquals",
    "StringLike",
    "ForAllValues:StringLike",
    "ForAnyValue:StringEquals",
    "Bool",
    "IpAddress",
    "StringEqualsIfExists",
    "Null",
    "UnknownOperator",
  ),
  fc.oneof(
    fc.dictionary(
      fc.constantFrom(
        "aws:SourceVpce",
        "dynamodb:LeadingKeys",
        "dynamodb:Attributes",
        "aws:PrincipalOrgID",
        "aws:SourceIp",
        "dynamodb:Select",
      ),
      conditionValue,
      { maxKeys: 3 },
    ),
    conditionValue,
  ),
  { maxKeys: 3 },
);

/** One statement: any subset of elements, Not* variants included, keys in any case. */
const statement: fc.Arbitrary<Json> = fc
  .record(
    {
      Sid: fc.string({ maxLength: 8 }),
      Effect: fc.constantFrom("Allow", "Deny", "allow", "Maybe"),
      Action: stringOrList(action),
      NotAction: stringOrList(action),
      Resource: stringOrList(resource),
      NotResource: stringOrList(resource),
      Principal: principal,
      NotPrincipal: principal,
      Condition: condition,
    },
    { requiredKeys: [] },
  )
  .chain((record) =>
    fc
      .tuple(...Object.keys(record).map((key) => anyCase(key)))
      .map((keys) => Object.fromEntries(keys.map((key, i) => [key, Object.values(record)[i]]))),
  );

/** An IAM policy document as a resource attribute holds it: a JSON string (usually) or an object. */
export const iamPolicyDocument: fc.Arbitrary<Json> = fc
  .record({
    Version: fc.constantFrom("2012-10-17", "2008-10-17"),
    Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 })),
  })
  .chain((document) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constant(JSON.stringify(document)) },
      { weight: 1, arbitrary: fc.constant(document as Json) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify(document).slice(0, 20)) },
    ),
  );

/** Attribute values: mostly scalars and small objects, sometimes a policy document. */
const attributeValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: iamPolicyDocument },
  {
    weight: 1,
    arbitrary: fc.constantFrom("${aws_kms_key.k.arn}", "${aws_dynamodb_table.t.name}", "${var.x}"),
  },
);

const body = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      "policy",
      "assume_role_policy",
      "name",
      "kms_key_arn",
      "server_side_encryption",
      "point_in_time_recovery",
      "deletion_protection_enabled",
      "tags",
      "service_name",
      "enable_key_rotation",
      "provider",
    ),
    fc.string({ maxLength: 6 }),
  ),
  attributeValue,
  { maxKeys: 6 },
);

/** Something shaped like a cdk.tf.json: resource (and sometimes data and provider) blocks. */
export const cdktfDocument: fc.Arbitrary<Json> = fc.record(
  {
    resource: fc.dictionary(resourceType, fc.dictionary(name, body, { maxKeys: 3 }), { maxKeys: 5 }),
    data: fc.dictionary(resourceType, fc.dictionary(name, body, { maxKeys: 2 }), { maxKeys: 2 }),
    provider: fc.record({ aws: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 2 }) }),
  },
  { requiredKeys: ["resource"] },
);

const planResource = fc
  .tuple(resourceType, name, fc.constantFrom("managed", "data"), body)
  .map(([type, resourceName, mode, values]) => ({
    address: `${mode === "data" ? "data." : ""}${type}.${resourceName}`,
    mode,
    type,
    name: resourceName,
    values,
  }));

const actions = fc.constantFrom(
  ["no-op"],
  ["create"],
  ["update"],
  ["delete"],
  ["delete", "create"],
  ["create", "delete"],
  ["read"],
);

/** Something shaped like `terraform show -json` of a plan, consistent or not across its sections. */
export const planDocument: fc.Arbitrary<Json> = fc
  .tuple(
    fc.array(planResource, { maxLength: 6 }),
    fc.array(actions, { minLength: 6, maxLength: 6 }),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .map(([resources, changeActions, noise]) => ({
    format_version: "1.2",
    planned_values: {
      root_module: { resources, child_modules: [{ address: "module.m", resources: resources.slice(0, 1) }] },
    },
    resource_changes: resources.map((r, i) => ({
      address: r.address,
      mode: r.mode,
      type: r.type,
      name: r.name,
      change: {
        actions: changeActions[i],
        before: i % 2 === 0 ? r.values : null,
        after: r.values,
        after_unknown: i % 3 === 0 ? { arn: true } : {},
      },
    })),
    configuration: {
      provider_config: { aws: { expressions: { region: { constant_value: "us-east-1" } } } },
      root_module: {
        resources: resources.map((r) => ({
          address: r.address,
          mode: r.mode,
          type: r.type,
          name: r.name,
          expressions: { policy: { references: ["aws_kms_key.k.arn", "aws_kms_key.k"] } },
        })),
      },
    },
    prior_state: noise,
  }));

/** How a stack is written at each level of a block (tests/support/terraform-json-forms.ts). */
export const arrayForms = fc.record({
  sections: fc.integer({ min: 0, max: 3 }),
  types: fc.integer({ min: 0, max: 3 }),
  bodies: fc.integer({ min: 0, max: 3 }),
});
