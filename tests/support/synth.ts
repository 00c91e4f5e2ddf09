import { join } from "node:path";
import { Testing } from "cdktf";
import type { Bootstrap } from "../../config/bootstrap-schema";
import type { Environment, EnvironmentDefinition } from "../../config/schema";
import { validateEnvironment } from "../../config/validate";
import dev from "../../environments/dev";
import { BootstrapStack } from "../../stacks/bootstrap-stack";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { bundleFunction } from "../../stacks/function-bundle";
import type { PolicyStatement } from "../../stacks/iam/policy-document";

export const ALERT_FUNCTION_ENTRY = join(__dirname, "..", "..", "functions", "deletion-alert", "handler.ts");

type Block = Record<string, unknown>;

/** A synthesized stack: the cdk.tf.json string cdktf's matchers take, and the parsed document. */
export interface SynthesizedStack {
  stack: EnvironmentStack;
  synthesized: string;
  json: {
    resource: Record<string, Record<string, Block>>;
    terraform: Block;
    provider: Record<string, Block[]>;
  };
}

/** A valid definition to mutate in tests: the shipped dev environment, deep-copied. */
export function definition(): EnvironmentDefinition {
  return structuredClone(dev);
}

export function environment(mutate: (d: EnvironmentDefinition) => void = () => undefined): Environment {
  const d = definition();
  mutate(d);
  return validateEnvironment(d, "tests/support/synth.ts");
}

/** Synthesizes an environment's stack with construct validations on, as `cdktf synth` does. */
export function synthesize(env: Environment = environment()): SynthesizedStack {
  const app = Testing.app();
  const stack = new EnvironmentStack(app, {
    environment: env,
    alertFunction: bundleFunction(ALERT_FUNCTION_ENTRY),
  });
  const synthesized = Testing.synth(stack, true);
  return { stack, synthesized, json: JSON.parse(synthesized) };
}

/** A synthesized bootstrap stack (with construct validations on), shaped like SynthesizedStack. */
export function synthesizeBootstrap(
  bootstrap: Bootstrap,
  environments: Environment[],
): Omit<SynthesizedStack, "stack"> & { stack: BootstrapStack } {
  const app = Testing.app();
  const stack = new BootstrapStack(app, { bootstrap, environments });
  const synthesized = Testing.synth(stack, true);
  return { stack, synthesized, json: JSON.parse(synthesized) };
}

/** The resources of one type, as [terraform name, block] pairs. */
export function resources(synth: Pick<SynthesizedStack, "json">, type: string): [string, Block][] {
  return Object.entries(synth.json.resource[type] ?? {});
}

/** The only resource of a type (fails the test if there are several or none). */
export function single(synth: Pick<SynthesizedStack, "json">, type: string): Block {
  const found = resources(synth, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0][1];
}

/** Whether a synthesized attribute is a reference to the given resource type, e.g. `${aws_kms_key.x.arn}`. */
export function referencesType(value: unknown, type: string): boolean {
  return typeof value === "string" && new RegExp(`^\\$\\{${type}\\.[^.}]+\\.[a-z_]+\\}$`).test(value);
}

export function policyStatements(block: Block, attribute = "policy"): PolicyStatement[] {
  const document = JSON.parse(String(block[attribute])) as { Statement: PolicyStatement[] };
  return document.Statement;
}

export function statement(statements: PolicyStatement[], sid: string): PolicyStatement {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${statements.map((s) => s.Sid).join(", ")}`);
  return found;
}

export const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
