import { validateEnvironment } from "../../config/validate";
import { contextFor } from "../../gate/context";
import { definition } from "../support/synth";

describe("environment context", () => {
  it("passes the environment's trusted keys, and adds the ones given as flags", () => {
    const d = definition();
    d.trustedKeys = ["alias/central-sns"];
    const env = validateEnvironment(d, "environments/dev.ts");
    const environments = new Map([[env.name, env]]);
    const today = "2026-01-01";
    expect(contextFor("dev", environments, { today }).trusted_keys).toEqual(["alias/central-sns"]);
    expect(
      contextFor("dev", environments, { today, trustedKeys: ["alias/central-logs", "alias/central-sns"] })
        .trusted_keys,
    ).toEqual(["alias/central-sns", "alias/central-logs"]);
    expect(contextFor("qa", environments, { today }).trusted_keys).toBeUndefined();
    expect(contextFor("qa", environments, { today, trustedKeys: ["alias/x"] }).trusted_keys).toEqual([
      "alias/x",
    ]);
  });
});
