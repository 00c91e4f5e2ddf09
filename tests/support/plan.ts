import { createHash } from "node:crypto";
import type { TerraformJson } from "./gate";

/*
 * Renders a synthesized cdk.tf.json as the JSON Terraform prints for a saved plan
 * (`terraform show -json plan.tfplan`), following the documented format (format_version 1.2):
 * planned_values.root_module.resources[] {address, mode, type, name, provider_name,
 * schema_version, values, sensitive_values}, resource_changes[] {address, mode, type, name,
 * change {actions, before, after, after_unknown}}, configuration.root_module.resources[]
 * {address, mode, type, name, provider_config_key, expressions}.
 *
 * It plans an *update* of an environment that already exists, so every value is known: each
 * `${type.name.attr}` token becomes the concrete value AWS would have assigned (ARNs, ids, names),
 * nested blocks become lists (a plan always writes blocks as lists), and the configuration keeps
 * each attribute's references, as Terraform records them. Use `unknown` to model a first apply.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Attributes that are maps, not blocks: the only objects a plan keeps as objects. */
const MAP_ATTRIBUTES = new Set(["tags", "tags_all", "variables"]);

interface Target {
  accountId: string;
  region: string;
}

const TOKEN = /\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

function hex(seed: string, length: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const ID_PREFIX: Record<string, string> = {
  aws_vpc: "vpc",
  aws_subnet: "subnet",
  aws_route_table: "rtb",
  aws_vpc_endpoint: "vpce",
  aws_default_security_group: "sg",
  aws_route_table_association: "rtbassoc",
};

/** The value AWS gives an attribute of an existing resource (what `terraform show` would print). */
function computed(type: string, name: string, values: JsonObject, attr: string, target: Target): Json {
  const { accountId: account, region } = target;
  const label = String(values.name ?? values.function_name ?? values.bucket ?? values.name_prefix ?? name);
  const id =
    type === "aws_iam_openid_connect_provider"
      ? `arn:aws:iam::${account}:oidc-provider/${String(values.url ?? label).replace(/^https:\/\//, "")}`
      : type === "aws_kms_key"
        ? uuid(name)
        : ID_PREFIX[type] !== undefined
          ? `${ID_PREFIX[type]}-${hex(name, 17)}`
          : type === "aws_sqs_queue"
            ? `https://sqs.${region}.amazonaws.com/${account}/${label}`
            : label;
  const arns: Record<string, string> = {
    aws_dynamodb_table: `arn:aws:dynamodb:${region}:${account}:table/${label}`,
    aws_kms_key: `arn:aws:kms:${region}:${account}:key/${uuid(name)}`,
    aws_sns_topic: `arn:aws:sns:${region}:${account}:${label}`,
    aws_sqs_queue: `arn:aws:sqs:${region}:${account}:${label}`,
    aws_iam_role: `arn:aws:iam::${account}:role${String(values.path ?? "/")}${label}`,
    aws_iam_policy: `arn:aws:iam::${account}:policy${String(values.path ?? "/")}${label}`,
    aws_iam_openid_connect_provider: `arn:aws:iam::${account}:oidc-provider/${String(values.url ?? label).replace(/^https:\/\//, "")}`,
    aws_lambda_function: `arn:aws:lambda:${region}:${account}:function:${label}`,
    aws_cloudwatch_event_rule: `arn:aws:events:${region}:${account}:rule/${label}`,
    aws_cloudwatch_log_group: `arn:aws:logs:${region}:${account}:log-group:${label}`,
    aws_s3_bucket: `arn:aws:s3:::${label}`,
    aws_cloudtrail: `arn:aws:cloudtrail:${region}:${account}:trail/${label}`,
    aws_vpc_endpoint: `arn:aws:ec2:${region}:${account}:vpc-endpoint/${id}`,
  };
  switch (attr) {
    case "arn":
      return arns[type] ?? `arn:aws:${type.replace(/^aws_/, "")}:${region}:${account}:${label}`;
    case "id":
      return id;
    case "key_id":
      return uuid(name);
    case "url":
      return `https://sqs.${region}.amazonaws.com/${account}/${label}`;
    case "stream_arn":
      return `${arns.aws_dynamodb_table}/stream/2026-01-01T00:00:00.000`;
    default:
      return values[attr] ?? label;
  }
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface PlanOptions extends Target {
  /** Addresses whose computed attributes are not yet known (resources a first apply creates). */
  unknown?: ReadonlySet<string>;
}

export function planFromSynth(document: TerraformJson, options: PlanOptions): JsonObject {
  const blocks: { address: string; type: string; name: string; body: JsonObject }[] = [];
  for (const [type, named] of Object.entries(document.resource)) {
    for (const [name, body] of Object.entries(named)) {
      blocks.push({ address: `${type}.${name}`, type, name, body: body as JsonObject });
    }
  }
  const bodies = new Map(blocks.map((b) => [b.address, b]));
  const unknownAddresses = options.unknown ?? new Set<string>();

  const resolveString = (text: string): { value: string; refs: string[]; unknown: boolean } => {
    const refs: string[] = [];
    let unknown = false;
    const value = text.replace(TOKEN, (_match, address: string, attr: string) => {
      refs.push(`${address}.${attr}`, address);
      if (unknownAddresses.has(address)) unknown = true;
      const target = bodies.get(address);
      if (!target) return `${address}.${attr}`;
      return String(computed(target.type, target.name, target.body, attr, options));
    });
    return { value, refs, unknown };
  };

  /** The planned value of an attribute, its configuration expression, and whether it is unknown. */
  const convert = (key: string, value: Json): { planned: Json; expression: Json; unknown: Json } => {
    if (typeof value === "string") {
      const { value: planned, refs, unknown } = resolveString(value);
      return {
        planned: unknown ? null : planned,
        expression: refs.length > 0 ? { references: [...new Set(refs)] } : { constant_value: value },
        unknown,
      };
    }
    if (Array.isArray(value)) {
      const items = value.map((item) => convert(key, item));
      const blockList = value.every(isObject);
      return {
        planned: items.map((i) => i.planned),
        expression: blockList ? items.map((i) => i.expression) : { constant_value: value },
        unknown: items.some((i) => i.unknown === true) ? items.map((i) => i.unknown) : false,
      };
    }
    if (isObject(value)) {
      const entries = Object.entries(value).map(([k, v]) => [k, convert(k, v)] as const);
      const planned = Object.fromEntries(entries.map(([k, c]) => [k, c.planned]));
      const unknownInside = Object.fromEntries(
        entries.filter(([, c]) => c.unknown !== false).map(([k, c]) => [k, c.unknown]),
      );
      if (MAP_ATTRIBUTES.has(key)) {
        const refs = entries.flatMap(([, c]) =>
          isObject(c.expression) && Array.isArray(c.expression.references) ? c.expression.references : [],
        );
        return {
          planned,
          expression: refs.length > 0 ? { references: refs } : { constant_value: value },
          unknown: Object.keys(unknownInside).length > 0 ? unknownInside : false,
        };
      }
      return {
        planned: [planned],
        expression: [Object.fromEntries(entries.map(([k, c]) => [k, c.expression]))],
        unknown: Object.keys(unknownInside).length > 0 ? [unknownInside] : false,
      };
    }
    return { planned: value, expression: { constant_value: value }, unknown: false };
  };

  const planned: JsonObject[] = [];
  const changes: JsonObject[] = [];
  const configuration: JsonObject[] = [];
  for (const block of blocks) {
    const values: JsonObject = {};
    const expressions: JsonObject = {};
    const afterUnknown: JsonObject = {};
    for (const [key, value] of Object.entries(block.body)) {
      if (key === "//" || key === "depends_on" || key === "lifecycle" || key === "provider") continue;
      const c = convert(key, value);
      values[key] = c.planned;
      expressions[key] = c.expression;
      if (c.unknown !== false) afterUnknown[key] = c.unknown;
    }
    for (const attr of ["arn", "id"]) {
      if (unknownAddresses.has(block.address)) {
        afterUnknown[attr] = true;
      } else {
        values[attr] ??= computed(block.type, block.name, block.body, attr, options);
      }
    }
    const resource = { address: block.address, mode: "managed", type: block.type, name: block.name };
    planned.push({
      ...resource,
      provider_name: "registry.terraform.io/hashicorp/aws",
      schema_version: 0,
      values,
      sensitive_values: {},
    });
    changes.push({
      ...resource,
      provider_name: "registry.terraform.io/hashicorp/aws",
      change: {
        actions: unknownAddresses.has(block.address) ? ["create"] : ["no-op"],
        before: unknownAddresses.has(block.address) ? null : values,
        after: values,
        after_unknown: afterUnknown,
      },
    });
    configuration.push({ ...resource, provider_config_key: "aws", expressions, schema_version: 0 });
  }
  return {
    format_version: "1.2",
    terraform_version: "1.10.5",
    planned_values: { root_module: { resources: planned } },
    resource_changes: changes,
    configuration: {
      provider_config: {
        aws: {
          name: "aws",
          full_name: "registry.terraform.io/hashicorp/aws",
          expressions: { region: { constant_value: options.region } },
        },
      },
      root_module: { resources: configuration },
    },
  };
}
