import { bootstrapStackName } from "../../config/bootstrap-schema";
import { catalog, evaluate, shippedBootstraps, shippedEnvironments, synthesizedStack } from "../support/gate";
import { readFileSync } from "node:fs";
import { join } from "node:path";

describe("the shipped environments", () => {
  it("ship with no waivers", () => {
    const file = JSON.parse(readFileSync(join(__dirname, "..", "..", "waivers.json"), "utf8")) as {
      waivers: unknown[];
    };
    expect(file.waivers).toEqual([]);
  });

  it("are gated by every rule in the catalog", () => {
    expect(catalog().length).toBeGreaterThanOrEqual(4);
  });

  it.each(shippedEnvironments.map((env) => env.name))("%s passes every rule with zero findings", (name) => {
    expect(evaluate(name, synthesizedStack(name))).toEqual([]);
  });

  it.each(shippedBootstraps.map((b) => bootstrapStackName(b.name)))(
    "%s (an account's bootstrap) passes every rule with zero findings",
    (name) => {
      expect(evaluate(name, synthesizedStack(name))).toEqual([]);
    },
  );
});
