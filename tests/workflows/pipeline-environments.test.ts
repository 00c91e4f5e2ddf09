import {
  describeEnvironment,
  environmentMatrix,
  main,
  PipelineError,
} from "../../scripts/pipeline-environments";
import { environment } from "../support/synth";

const withState = environment((d) => {
  d.name = "eu-prod";
  d.tier = "production";
  d.backend = { bucket: "state-bucket-example", region: "eu-west-1" };
  d.account.region = "eu-west-1";
  d.tables[0].onDemandThroughput = { maxReadRequestUnits: 4000, maxWriteRequestUnits: 1000 };
});
const localState = environment((d) => {
  d.name = "sandbox";
  delete d.backend;
});
const staging = environment((d) => {
  d.name = "qa";
  d.tier = "staging";
  d.backend = { bucket: "state-bucket-example", region: "us-east-1" };
});

describe("pipeline-environments", () => {
  it("orders the matrix as a change is promoted: development, staging, production", () => {
    const { include } = environmentMatrix([withState, staging, localState]);
    expect(include.map((entry) => entry.environment)).toEqual(["sandbox", "qa", "eu-prod"]);
  });

  it("names each plan role variable after its environment, in the characters variables allow", () => {
    const [entry] = environmentMatrix([withState]).include;
    expect(entry).toEqual({
      environment: "eu-prod",
      tier: "production",
      account: withState.account.id,
      region: "eu-west-1",
      plan_role_variable: "AWS_PLAN_ROLE_ARN_EU_PROD",
    });
  });

  it("prints one environment as key=value lines for $GITHUB_OUTPUT", () => {
    expect(describeEnvironment([withState], "eu-prod", { deployable: true })).toBe(
      [
        "environment=eu-prod",
        "tier=production",
        `account=${withState.account.id}`,
        "region=eu-west-1",
        "plan_role_variable=AWS_PLAN_ROLE_ARN_EU_PROD",
        "",
      ].join("\n"),
    );
  });

  it("refuses to deploy an environment whose state would stay on the runner", () => {
    expect(describeEnvironment([localState], "sandbox")).toContain("environment=sandbox\n");
    expect(() => describeEnvironment([localState], "sandbox", { deployable: true })).toThrow(
      new PipelineError(
        "environments/sandbox.ts has no backend: the pipeline cannot deploy an environment whose state would stay on a throw-away runner; set backend: { bucket, region } to the account's state bucket",
      ),
    );
  });

  it("takes its arguments as the workflows pass them", () => {
    const environments = () => [withState, localState];
    expect(main(["matrix"], environments)).toMatch(/^matrix=\{"include":\[\{"environment":"sandbox",/);
    expect(main(["show", "eu-prod", "--deployable"], environments)).toContain("account=");
    expect(() => main(["show", "sandbox", "--deployable"], environments)).toThrow(/has no backend/);
    expect(() => main(["show"], environments)).toThrow(/^usage: /);
    expect(() => main(["matrix", "--verbose"], environments)).toThrow(/Unknown option '--verbose'/);
  });
});
