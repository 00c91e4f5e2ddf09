import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBootstraps, stateKeyAliasArn, validateBootstrap } from "../../config/bootstrap";
import type { BootstrapDefinition } from "../../config/bootstrap-schema";
import { loadEnvironments } from "../../config/load";
import type { Environment } from "../../config/schema";
import { ConfigError } from "../../config/validate";
import { bootstrapFacts, stackFactsByName } from "../../config/stack-facts";
import { environment } from "../support/synth";

const SCHEMA = join(__dirname, "..", "..", "config", "bootstrap-schema");
const shipped = loadEnvironments();
const byName = new Map(shipped.map((env) => [env.name, env]));

const definition = (): BootstrapDefinition => ({
  name: "dev",
  account: { id: "111122223333", region: "us-east-1", organizationId: "o-a1b2c3d4e5" },
  repository: { owner: "example-org", name: "ddb-guardrails" },
  stateBucket: "example-ddb-guardrails-state-111122223333",
  environments: ["dev"],
  tags: { owner: "platform-team" },
});

function messageOf(mutate: (d: BootstrapDefinition) => void, environments = byName): string {
  const d = definition();
  mutate(d);
  try {
    validateBootstrap(d, "bootstrap/dev.ts", environments);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("bootstrap definitions", () => {
  it("accept the shipped dev account and fill in defaults", () => {
    const bootstrap = validateBootstrap(definition(), "bootstrap/dev.ts", byName);
    expect(bootstrap.remoteState).toBe(false);
    expect(bootstrap.sessionDurationSeconds).toBe(3600);
    expect(stateKeyAliasArn(bootstrap)).toBe("arn:aws:kms:us-east-1:111122223333:alias/terraform-state");
  });

  it.each<[string, (d: BootstrapDefinition) => void, string]>([
    [
      "a repository owner with a wildcard",
      (d) => (d.repository.owner = "example-*"),
      'repository.owner: found "example-*"; expected a GitHub user or organization name',
    ],
    [
      "an unknown environment",
      (d) => (d.environments = ["qa"]),
      'environments[0]: found "qa"; expected an environment defined in environments/: "dev", "prod", "staging"',
    ],
    [
      "an environment of another account",
      (d) => (d.environments = ["prod"]),
      'environments[0]: found "prod"; expected an environment of account 111122223333; "prod" deploys to 777788889999',
    ],
    [
      "an environment listed twice",
      (d) => (d.environments = ["dev", "dev"]),
      'environments[1]: found "dev"; expected each environment listed once',
    ],
    [
      "a state bucket the environment does not use",
      (d) => (d.stateBucket = "another-state-bucket"),
      'set backend: { bucket: "another-state-bucket", region: "us-east-1", kmsKeyId: "arn:aws:kms:us-east-1:111122223333:alias/terraform-state" } in environments/dev.ts',
    ],
    ["an unknown field", (d) => Object.assign(d, { bucket: "x" }), 'no field named "bucket"'],
  ])("refuse %s, naming the file, the field and the fix", (_, mutate, expected) => {
    const message = messageOf(mutate);
    expect(message).toContain('Invalid bootstrap definition in bootstrap/dev.ts (bootstrap "dev")');
    expect(message).toContain(expected);
  });

  it("refuse an environment without remote state, or whose state is not encrypted with the bucket's key", () => {
    const local = environment((d) => delete d.backend);
    expect(messageOf(() => undefined, new Map([["dev", local]]))).toContain(
      "expected an environment with remote state, which the pipeline needs between runs",
    );
    const sseS3 = environment((d) => {
      if (d.backend) delete d.backend.kmsKeyId;
    });
    expect(messageOf(() => undefined, new Map([["dev", sseS3]]))).toContain(
      "expected an environment whose state is encrypted with the bucket's key",
    );
  });

  it("refuse two environments of an account where one name prefixes the other", () => {
    const eu = { ...(byName.get("dev") as Environment), name: "dev-eu" };
    const message = messageOf(
      (d) => (d.environments = ["dev", "dev-eu"]),
      new Map([...byName, ["dev-eu", eu]]),
    );
    expect(message).toContain(
      'environments[0]: found "dev"; expected a name that is not a prefix of "dev-eu"',
    );
  });

  describe("loaded from bootstrap/", () => {
    const folder = (files: Record<string, BootstrapDefinition>): string => {
      const dir = mkdtempSync(join(tmpdir(), "bootstrap-"));
      for (const [file, body] of Object.entries(files)) {
        writeFileSync(
          join(dir, file),
          `import { defineBootstrap } from ${JSON.stringify(SCHEMA)};\nexport default defineBootstrap(${JSON.stringify(body)});\n`,
        );
      }
      return dir;
    };

    it("are one file per account, named after it", () => {
      expect(loadBootstraps(shipped, folder({ "dev.ts": definition() })).map((b) => b.name)).toEqual(["dev"]);
      expect(() => loadBootstraps(shipped, folder({ "sandbox.ts": definition() }))).toThrow(
        'name: found "dev"; expected "sandbox", the file\'s name (rename one of them)',
      );
      expect(() =>
        loadBootstraps(
          shipped,
          folder({ "dev.ts": definition(), "dev2.ts": { ...definition(), name: "dev2" } }),
        ),
      ).toThrow(
        'account.id: found "111122223333"; expected an account no other bootstrap covers; bootstrap/dev.ts already does',
      );
    });

    it("are optional: a checkout without bootstrap/ deploys nothing", () => {
      expect(loadBootstraps(shipped, join(tmpdir(), "no-such-bootstrap-folder"))).toEqual([]);
    });
  });

  it("give the gate each bootstrap stack's facts, at the strictest tier of its environments", () => {
    const bootstrap = validateBootstrap(definition(), "bootstrap/dev.ts", byName);
    expect(bootstrapFacts(bootstrap, shipped)).toEqual({
      account: { id: bootstrap.account.id, organizationId: bootstrap.account.organizationId },
      tier: "development",
      definition: { file: "bootstrap/dev.ts", tables: [], teams: [], replicaRegions: [] },
    });
    const facts = stackFactsByName(shipped, loadBootstraps(shipped));
    expect(facts.get("bootstrap-prod")?.tier).toBe("production");
    expect(facts.get("bootstrap-staging")?.account.id).toBe("444455556666");
    expect(facts.get("dev")?.tier).toBe("development");
  });
});
