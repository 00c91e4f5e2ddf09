import {
  evaluate,
  shippedEnvironments,
  synthesizedStack,
  violations,
  type TerraformJson,
} from "../support/gate";
import { planFromSynth } from "../support/plan";
import { editDocument, findBlock, type Block } from "../support/stack-edits";

/*
 * Mistakes beyond the mutation matrix's one per rule, on what replicas and the interface endpoint
 * add: each must give exactly one finding, in the cdk.tf.json and in its plan rendering.
 */

interface Statement {
  Sid?: string;
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

const only = findBlock;

const editPolicy = (block: Block, edit: (statements: Statement[]) => void) =>
  editDocument<{ Statement: Statement[] }>(block, "policy", (document) => edit(document.Statement));

const interfaceEndpoint = (stack: TerraformJson) =>
  only(stack, "aws_vpc_endpoint", (e) => e.vpc_endpoint_type === "Interface");
const gatewayEndpoint = (stack: TerraformJson) =>
  only(stack, "aws_vpc_endpoint", (e) => e.vpc_endpoint_type === "Gateway");

const CASES: [string, string, string, (stack: TerraformJson) => string][] = [
  [
    "a team role that requires only the gateway endpoint",
    "staging",
    "GR-NET-003",
    (stack) => {
      const [name, policy] = only(stack, "aws_iam_role_policy", (p) => String(p.role).includes("books"));
      const [gateway] = gatewayEndpoint(stack);
      editPolicy(policy, (statements) => {
        for (const s of statements) {
          if (s.Condition?.StringEquals?.["aws:SourceVpce"]) {
            s.Condition.StringEquals["aws:SourceVpce"] = `\${aws_vpc_endpoint.${gateway}.id}`;
          }
        }
      });
      return `aws_iam_role_policy.${name}`;
    },
  ],
  [
    "a table resource policy that denies the replication role",
    "prod",
    "GR-DP-006",
    (stack) => {
      const [name, policy] = only(stack, "aws_dynamodb_resource_policy");
      editPolicy(policy, (statements) => {
        delete statements[0].Condition?.ArnNotEquals;
      });
      return `aws_dynamodb_resource_policy.${name}`;
    },
  ],
  [
    "a replica without deletion protection",
    "prod",
    "GR-DP-006",
    (stack) => {
      const [name, table] = only(stack, "aws_dynamodb_table");
      delete (table.replica as Block[])[0].deletion_protection_enabled;
      return `aws_dynamodb_table.${name}`;
    },
  ],
  [
    "an interface endpoint policy that describes everything",
    "staging",
    "GR-NET-002",
    (stack) => {
      const [name, endpoint] = interfaceEndpoint(stack);
      editPolicy(endpoint, (statements) => {
        statements[1].Action = "dynamodb:Describe*";
      });
      return `aws_vpc_endpoint.${name}`;
    },
  ],
  [
    "an interface endpoint without a security group",
    "staging",
    "GR-NET-006",
    (stack) => {
      const [name, endpoint] = interfaceEndpoint(stack);
      delete endpoint.security_group_ids;
      delete stack.resource.aws_security_group;
      return `aws_vpc_endpoint.${name}`;
    },
  ],
  [
    "a replica key whose region's rule no longer forwards its events to the alerts",
    "prod",
    "GR-MON-001",
    (stack) => {
      // The alert region's rule still lists the replica key, but never sees its events.
      const [rule] = only(stack, "aws_cloudwatch_event_rule", (r) => String(r.name).endsWith("-us-west-2"));
      const [target] = only(stack, "aws_cloudwatch_event_target", (t) => String(t.rule).includes(rule));
      Reflect.deleteProperty(stack.resource.aws_cloudwatch_event_rule, rule);
      Reflect.deleteProperty(stack.resource.aws_cloudwatch_event_target, target);
      const [name] = only(stack, "aws_dynamodb_table");
      return `aws_dynamodb_table.${name}`;
    },
  ],
];

const targets = Object.fromEntries(
  shippedEnvironments.map((e) => [e.name, { accountId: e.account.id, region: e.account.region }]),
);

describe.each(CASES)("%s", (_what, environment, rule, mutate) => {
  const stack = synthesizedStack(environment);
  const expectedAddress = mutate(stack);
  const verdict = (document: unknown) =>
    violations(evaluate(environment, document)).map((f) => [f.rule, f.address]);

  it("gives exactly that rule on that resource", () => {
    expect(verdict(stack)).toEqual([[rule, expectedAddress]]);
  });

  it("gives the same verdict from the plan", () => {
    expect(verdict(planFromSynth(stack, targets[environment]))).toEqual([[rule, expectedAddress]]);
  });
});

describe.each(["prod", "staging"])("a first apply of %s", (environment) => {
  it("reads no unknown replica key, endpoint id or security group as a mistake", () => {
    const stack = synthesizedStack(environment);
    const everything = new Set(
      Object.entries(stack.resource).flatMap(([type, named]) =>
        Object.keys(named).map((n) => `${type}.${n}`),
      ),
    );
    const findings = violations(
      evaluate(environment, planFromSynth(stack, { ...targets[environment], unknown: everything })),
    );
    for (const finding of findings) expect(finding.message).toMatch(/unknown until apply/);
  });
});
