import {
  evaluate,
  shippedEnvironments,
  synthesizedStack,
  violations,
  type TerraformJson,
} from "../support/gate";
import { planFromSynth } from "../support/plan";
import { editDocument, findBlock, teamPolicy, teamRole, type Block } from "../support/stack-edits";

/*
 * The tightened rules on a real stack: each edit gives exactly the findings listed (none, for
 * statements that cannot touch a table), in the synthesized stack and in its plan rendering.
 */

interface Statement {
  Sid?: string;
  Principal?: unknown;
  Condition?: unknown;
  [key: string]: unknown;
}

const first = findBlock;

const edit = (block: Block, attribute: string, change: (statements: Statement[]) => void) =>
  editDocument<{ Statement: Statement[] }>(block, attribute, (document) => change(document.Statement));

const dev = shippedEnvironments.find((e) => e.name === "dev");
if (!dev) throw new Error("no dev environment");
const target = { accountId: dev.account.id, region: dev.account.region };

const CASES: Record<string, (stack: TerraformJson) => string[][]> = {
  "Action * on S3 buckets grants nothing on tables": (stack) => {
    edit(teamPolicy(stack)[1], "policy", (statements) =>
      statements.push({
        Sid: "Buckets",
        Effect: "Allow",
        Action: "*",
        Resource: ["arn:aws:s3:::*", "arn:aws:s3:::*/*"],
      }),
    );
    return [];
  },
  "Action * on a managed policy's ARN grants nothing on tables": (stack) => {
    edit(teamPolicy(stack)[1], "policy", (statements) =>
      statements.push({
        Sid: "ManagedPolicy",
        Effect: "Allow",
        Action: "*",
        Resource: "arn:aws:iam::aws:policy/AdministratorAccess",
      }),
    );
    return [];
  },
  "a trust policy naming another account's root without an organization or external id": (stack) => {
    const [name, role] = teamRole(stack);
    edit(role, "assume_role_policy", (statements) => {
      statements[0].Principal = { AWS: "arn:aws:iam::999999999999:root" };
      delete statements[0].Condition;
    });
    return [["GR-FGA-006", `aws_iam_role.${name}`]];
  },
  "another account's root trusted within the organization": (stack) => {
    edit(teamRole(stack)[1], "assume_role_policy", (statements) => {
      statements[0].Principal = { AWS: "arn:aws:iam::999999999999:root" };
    });
    return [];
  },
  "a malformed principal and a Resource in a trust policy": (stack) => {
    const [name, role] = teamRole(stack);
    edit(role, "assume_role_policy", (statements) => {
      statements[0].Principal = { AWS: "arn:aws:iam::root" };
      statements[0].Resource = "*";
    });
    return [["GR-FGA-007", `aws_iam_role.${name}`]];
  },
  "a trail without global service events": (stack) => {
    const [name, trail] = first(stack, "aws_cloudtrail");
    trail.include_global_service_events = false;
    return [["GR-MON-002", `aws_cloudtrail.${name}`]];
  },
  "a topic encrypted under an alias the stack does not declare": (stack) => {
    const [name, topic] = first(stack, "aws_sns_topic");
    topic.kms_master_key_id = "alias/MyAlias";
    return [["GR-ENC-005", `aws_sns_topic.${name}`]];
  },
};

describe("resource-aware and tightened IAM rules on the dev stack", () => {
  describe.each(Object.entries(CASES))("%s", (_name, mutate) => {
    const stack = synthesizedStack("dev");
    const expected = mutate(stack);
    const verdict = (document: unknown) =>
      violations(evaluate("dev", document)).map((f) => [f.rule, f.address]);

    it("in the synthesized stack", () => {
      expect(verdict(stack)).toEqual(expected);
    });

    it("in its plan", () => {
      expect(verdict(planFromSynth(stack, target))).toEqual(expected);
    });
  });

  it("says cannot verify for a key named outside the stack", () => {
    const stack = synthesizedStack("dev");
    CASES["a topic encrypted under an alias the stack does not declare"](stack);
    const [finding] = violations(evaluate("dev", stack));
    expect(finding.message).toContain(
      "cannot verify that kms_master_key_id alias/MyAlias is a customer-managed key",
    );
  });
});
