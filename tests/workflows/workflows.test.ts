import "@microsoft/jest-sarif";
import { spawnSync } from "node:child_process";
import { FACTS_KEY } from "../../gate/facts";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { EXIT, main as gateCli } from "../../gate/cli";
import { main as pipelineEnvironments, PipelineError } from "../../scripts/pipeline-environments";
import {
  shippedEnvironments,
  synthesizedStack,
  TODAY,
  type TerraformJson,
  shippedFacts,
} from "../support/gate";
import { planFromSynth } from "../support/plan";
import {
  actionOf,
  commandOf,
  GITHUB_FILES,
  loadPins,
  loadWorkflows,
  needsOf,
  ROOT,
  splitRedirect,
  stepEnvironment,
  steps,
  stepUsing,
  substitute,
  usesLines,
  workflow,
  type Job,
  type Step,
  type Workflow,
} from "../support/workflows";

declare module "expect" {
  interface Matchers<R> {
    toBeValidSarifLog(): R;
  }
}

/*
 * The workflows cannot run here, so this file holds them to the rules in the README's pipeline section
 * and runs every command their steps run (npm scripts, the gate CLI) with the same arguments.
 */

const workflows = loadWorkflows();
const pullRequest = workflow(workflows, "pull-request.yml");
const deploy = workflow(workflows, "deploy.yml");
const deployEnvironment = workflow(workflows, "deploy-environment.yml");
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  engines: { node: string };
};
const ENVIRONMENT_FILES = readdirSync(join(ROOT, "environments"))
  .filter((file) => file.endsWith(".ts"))
  .map((file) => basename(file, ".ts"))
  .sort();

/** Every job with steps, with its workflow. */
const jobsWithSteps: [string, Workflow, Job][] = workflows.flatMap((wf) =>
  Object.entries(wf.jobs)
    .filter(([, job]) => job.steps !== undefined)
    .map(([id, job]): [string, Workflow, Job] => [`${wf.file}#${id}`, wf, job]),
);

const runSteps = jobsWithSteps.flatMap(([id, wf, job]) =>
  steps(job)
    .filter((step) => step.run !== undefined)
    .map((step): [string, Workflow, Job, Step] => [id, wf, job, step]),
);

/** The matrix context of the pull-request plans and the inputs context of a deploy, for one environment. */
const contextFor = (environment: string): Record<string, string> => ({
  "matrix.environment": environment,
  "inputs.environment": environment,
  "matrix.node": "24",
});

const argvOf = (wf: Workflow, job: Job, step: Step, environment = "dev") =>
  splitRedirect(commandOf(step, stepEnvironment(wf, job, step, contextFor(environment))));

const isGate = (step: Step) => step.run?.trim().startsWith("node bin/ddb-guardrails.js") ?? false;
const isTerraform = (step: Step, subcommand: string) =>
  new RegExp(`^terraform -chdir="\\$STACK_DIR" ${subcommand}\\b`).test(step.run?.trim() ?? "");

describe("workflow hygiene", () => {
  it("finds the pull-request, deploy, deploy-environment and release workflows", () => {
    expect(workflows.map((wf) => wf.file)).toEqual([
      "deploy-environment.yml",
      "deploy.yml",
      "pull-request.yml",
      "release.yml",
    ]);
  });

  it.each(workflows.map((wf) => [wf.file, wf] as const))(
    "%s never runs on pull_request_target or workflow_run",
    (_file, wf) => {
      expect(Object.keys(wf.on)).not.toContain("pull_request_target");
      expect(Object.keys(wf.on)).not.toContain("workflow_run");
      expect(wf.text).not.toContain("pull_request_target");
    },
  );

  it.each(workflows.map((wf) => [wf.file, wf] as const))(
    "%s grants contents: read at the top and nothing more",
    (_file, wf) => {
      expect(wf.permissions).toEqual({ contents: "read" });
    },
  );

  it.each(jobsWithSteps)("%s has a timeout", (_id, _wf, job) => {
    expect(job["timeout-minutes"]).toEqual(expect.any(Number));
    expect(job["timeout-minutes"]).toBeGreaterThan(0);
    expect(job["timeout-minutes"]).toBeLessThanOrEqual(60);
  });

  it("widens permissions only where a step needs it", () => {
    const needsFor: Record<string, (job: Job) => boolean> = {
      "security-events": (job) => stepUsing(job, "github/codeql-action/upload-sarif").length > 0,
      actions: (job) => stepUsing(job, "github/codeql-action/upload-sarif").length > 0,
      "id-token": (job) =>
        stepUsing(job, "aws-actions/configure-aws-credentials").length > 0 ||
        job.uses === "./.github/workflows/deploy-environment.yml",
    };
    const widened = workflows.flatMap((wf) =>
      Object.entries(wf.jobs).flatMap(([id, job]) =>
        Object.entries(typeof job.permissions === "object" ? job.permissions : {})
          .filter(([scope]) => scope !== "contents")
          .map(([scope, level]) => ({
            job: `${wf.file}#${id}`,
            scope,
            level,
            needed: needsFor[scope]?.(job),
          })),
      ),
    );
    for (const grant of widened) expect(grant).toMatchObject({ needed: true });
    for (const wf of workflows) {
      for (const job of Object.values(wf.jobs)) {
        expect(typeof job.permissions === "string" ? job.permissions : "").not.toMatch(/all/);
        if (typeof job.permissions !== "object") continue;
        // Only a job that creates a release writes to the repository's contents.
        const releases = steps(job).some((s) => s.run?.trim().startsWith("gh release create"));
        expect(job.permissions.contents).toBe(releases ? "write" : "read");
      }
    }
    // Code-scanning writes are granted to exactly one job: the one that uploads the SARIF report.
    expect(widened.filter((grant) => grant.scope === "security-events")).toEqual([
      { job: "pull-request.yml#gate", scope: "security-events", level: "write", needed: true },
    ]);
  });

  it("pins every action to a release commit of .github/action-pins.md, its tag in a comment", () => {
    const pins = loadPins();
    expect(pins.length).toBeGreaterThanOrEqual(9);
    for (const wf of workflows) {
      const lines = usesLines(wf.text);
      const parsed = Object.values(wf.jobs).flatMap((job) => [
        ...(job.uses ? [job.uses] : []),
        ...steps(job).flatMap((step) => (step.uses ? [step.uses] : [])),
      ]);
      // Every `uses` the parser sees is on a line of its own, where its comment can be read.
      expect(lines.map((line) => line.reference).sort()).toEqual(parsed.sort());
      for (const { line, reference, comment } of lines) {
        if (reference.startsWith("./")) continue;
        const where = `${wf.file}:${line} ${reference}`;
        const match = /^([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@([0-9a-f]{40})$/.exec(reference);
        expect({ where, pinnedToSha: match !== null }).toEqual({ where, pinnedToSha: true });
        const pin = pins.find((p) => p.repository === match?.[1] && p.commit === match?.[3]);
        expect({ where, pin: pin?.commit }).toEqual({ where, pin: match?.[3] });
        expect({ where, comment }).toEqual({ where, comment: pin?.tag });
      }
    }
  });

  it("calls only local reusable workflows, with no steps of their own", () => {
    for (const wf of workflows) {
      for (const job of Object.values(wf.jobs)) {
        if (job.uses === undefined) continue;
        expect(job.uses).toMatch(/^\.\/\.github\/workflows\/[\w-]+\.yml$/);
        expect(existsSync(join(ROOT, job.uses))).toBe(true);
        expect(job.steps).toBeUndefined();
      }
    }
  });

  it("checks out without leaving the token in .git/config", () => {
    const checkouts = jobsWithSteps.flatMap(([, , job]) => stepUsing(job, "actions/checkout"));
    expect(checkouts.length).toBe(jobsWithSteps.length);
    for (const step of checkouts) expect(step.with?.["persist-credentials"]).toBe(false);
  });

  it("uses no secrets: AWS through OIDC roles, nothing to echo", () => {
    for (const wf of workflows) expect(wf.text).not.toMatch(/secrets\./);
  });

  it("puts no ${{ }} expression inside a shell command: values reach it through env", () => {
    const withExpressions = runSteps.filter(([, , , step]) => step.run?.includes("${{")).map(([id]) => id);
    expect(withExpressions).toEqual([]);
  });

  it("never auto-approves", () => {
    for (const wf of workflows) expect(wf.text).not.toMatch(/auto-approve/);
  });
});

describe("every step runs one command the tests know", () => {
  /** What each kind of command may be; anything else fails. */
  function kind(argv: string[], redirect?: { op: string; file: string }): string {
    const [program, first, ...rest] = argv;
    if (program === "npm" && first === "ci") return "npm ci";
    if (program === "npm" && first === "test" && rest.length === 0) return "npm test";
    if (program === "npm" && first === "run") {
      const script = rest[0] === "--silent" ? rest[1] : rest[0];
      expect({ script, defined: script in packageJson.scripts }).toEqual({ script, defined: true });
      return "npm run";
    }
    if (program === "node" && first === "bin/ddb-guardrails.js") return "gate";
    // Only a release of the tag that triggered the run, verified to exist, with the assets
    // `npm run release:assets` wrote.
    if (program === "gh" && first === "release" && rest[0] === "create") {
      expect(rest[1]).toBe(GITHUB_FILES.GITHUB_REF_NAME);
      expect(rest).toContain("--verify-tag");
      expect(rest.at(-1)).toBe("release/ddb-guardrails-*");
      return "release";
    }
    if (program === "terraform" && first.startsWith("-chdir=")) return `terraform ${rest[0]}`;
    if (program === "cat" && argv.length === 2 && redirect?.file === GITHUB_FILES.GITHUB_STEP_SUMMARY) {
      return "summary";
    }
    throw new Error(`unknown command: ${argv.join(" ")}`);
  }

  it.each(runSteps.map(([id, wf, job, step]) => [`${id}: ${step.run?.trim()}`, wf, job, step] as const))(
    "%s",
    (_name, wf, job, step) => {
      const { argv, redirect } = argvOf(wf, job, step);
      expect(kind(argv, redirect)).toEqual(expect.any(String));
    },
  );

  it("installs with npm ci, without audit or funding calls", () => {
    const installs = runSteps.filter(([, , , step]) => step.run?.trim().startsWith("npm ci"));
    expect(installs.length).toBeGreaterThan(0);
    for (const [, , , step] of installs) expect(step.run?.trim()).toBe("npm ci --no-audit --no-fund");
  });
});

describe("pull request", () => {
  const jobs = pullRequest.jobs;

  it("runs on pull requests to main, cancelling superseded runs", () => {
    expect(pullRequest.on).toEqual({ pull_request: { branches: ["main"] } });
    expect(pullRequest.concurrency).toEqual({
      group: "pull-request-${{ github.event.pull_request.number }}",
      "cancel-in-progress": true,
    });
  });

  it("runs npm test on Node 22 and 24 with the npm cache, keeping engines >=20 for this machine", () => {
    const testJobs = Object.values(jobs).filter((job) =>
      steps(job).some((s) => s.run?.trim() === "npm test"),
    );
    expect(testJobs).toHaveLength(1);
    const [test] = testJobs;
    expect(test.strategy?.matrix).toEqual({ node: [22, 24] });
    expect(stepUsing(test, "actions/setup-node")[0].with).toEqual({
      "node-version": "${{ matrix.node }}",
      cache: "npm",
    });
    expect(packageJson.engines.node).toBe(">=20");
  });

  it("sets up every other Node job on 24 with the npm cache", () => {
    for (const [, , job] of jobsWithSteps) {
      for (const step of stepUsing(job, "actions/setup-node")) {
        expect(step.with?.cache).toBe("npm");
        expect(["${{ matrix.node }}", 24]).toContainEqual(step.with?.["node-version"]);
      }
    }
  });

  it("caches the Go build of the pinned tools wherever they are built", () => {
    for (const [id, , job] of jobsWithSteps) {
      const runs = steps(job).map((s) => s.run?.trim());
      const builds = runs.findIndex(
        (run) => run === "npm run install:opa" || run === "npm run lint:workflows",
      );
      if (builds < 0) continue;
      const cache = steps(job).findIndex((s) => s.uses && actionOf(s.uses) === "actions/cache");
      expect({ id, cachedBeforeBuild: cache >= 0 && cache < builds }).toEqual({
        id,
        cachedBeforeBuild: true,
      });
      const { path, key } = steps(job)[cache].with ?? {};
      expect(String(path).split("\n").filter(Boolean)).toEqual(["~/.cache/go-build", "~/go/pkg/mod"]);
      expect(String(key)).toContain("hashFiles('scripts/install-opa.sh', 'scripts/install-actionlint.sh')");
      expect(stepUsing(job, "actions/setup-go")[0].with?.cache).toBe(false);
    }
  });

  it("lints the workflows with the pinned actionlint", () => {
    expect(jobs.workflows.steps?.map((s) => s.run).filter(Boolean)).toEqual(["npm run lint:workflows"]);
    expect(packageJson.scripts["lint:workflows"]).toBe(
      "bash scripts/install-actionlint.sh && .tools/bin/actionlint",
    );
    expect(readFileSync(join(ROOT, "scripts", "install-actionlint.sh"), "utf8")).toContain(
      'ACTIONLINT_VERSION="1.7.12"',
    );
    expect(readFileSync(join(ROOT, ".ci", "run"), "utf8")).toMatch(/^npm run lint:workflows$/m);
  });

  // bin/ddb-guardrails.js runs dist/cli.js, which is built output: a job builds it, or downloads it
  // with the synthesized stacks from the job that did.
  it.each(jobsWithSteps.filter(([, , job]) => steps(job).some(isGate)))(
    "%s runs the compiled gate only after building or downloading it",
    (_id, wf, job) => {
      const all = steps(job);
      const firstGate = all.findIndex(isGate);
      const built = all.findIndex((s) => s.run?.trim() === "npm run build:cli");
      const [download] = stepUsing(job, "actions/download-artifact");
      if (built >= 0) {
        expect(built).toBeLessThan(firstGate);
        return;
      }
      expect(download).toBeDefined();
      expect(all.indexOf(download)).toBeLessThan(firstGate);
      const name = download.with?.name;
      const uploads = workflows
        .flatMap((w) => Object.values(w.jobs).flatMap((j) => stepUsing(j, "actions/upload-artifact")))
        .filter((s) => s.with?.name === name);
      expect(uploads.length).toBeGreaterThan(0);
      for (const upload of uploads) expect(String(upload.with?.path).split("\n")).toContain("dist");
      expect(wf.file).toBeDefined();
    },
  );

  it("gates cdktf.out after synth: SARIF to code scanning and markdown to the run summary", () => {
    const gate = jobs.gate;
    const runs = steps(gate).map((s) => s.run?.trim());
    expect(runs.indexOf("npm run synth")).toBeLessThan(runs.indexOf("npm run build:policies"));
    const sarif = steps(gate).find((s) => isGate(s) && s.run?.includes("--format sarif"));
    const { argv } = argvOf(pullRequest, gate, sarif as Step);
    expect(argv).toEqual([
      "node",
      "bin/ddb-guardrails.js",
      "check",
      "cdktf.out",
      "--format",
      "sarif",
      "--output",
      "guardrails.sarif",
    ]);
    const [upload] = stepUsing(gate, "github/codeql-action/upload-sarif");
    expect(upload.with?.sarif_file).toBe("guardrails.sarif");
    expect(upload.if).toMatch(/^\$\{\{ !cancelled\(\) && hashFiles\('guardrails\.sarif'\) != '' && /);
    expect(steps(gate).indexOf(upload)).toBeGreaterThan(steps(gate).indexOf(sarif as Step));
    expect(gate.permissions).toEqual({ contents: "read", "security-events": "write", actions: "read" });
    expectSummaryAfterMarkdown(pullRequest, gate);
  });

  it("plans every environment from a matrix the script reads from environments/", () => {
    const list = jobs.environments;
    const step = steps(list).find((s) => s.id === "list") as Step;
    expect(list.outputs).toEqual({ matrix: "${{ steps.list.outputs.matrix }}" });
    const { argv, redirect } = argvOf(pullRequest, list, step);
    expect(argv).toEqual(["npm", "run", "--silent", "pipeline:environments", "--", "matrix"]);
    expect(redirect).toEqual({ op: ">>", file: GITHUB_FILES.GITHUB_OUTPUT });
    expect(jobs.plan.strategy?.matrix).toBe("${{ fromJSON(needs.environments.outputs.matrix) }}");
    expect(needsOf(jobs.plan).sort()).toEqual(["environments", "gate"]);
    // Every matrix value the plan job reads exists in every entry the script emits.
    const used = new Set([...JSON.stringify(jobs.plan).matchAll(/matrix\.(\w+)/g)].map((m) => m[1]));
    for (const entry of pipelineMatrix().include) {
      for (const key of used) expect({ key, present: key in entry }).toEqual({ key, present: true });
    }
  });

  it("plans with the read-only role through OIDC, never locking the state it cannot write", () => {
    const plan = jobs.plan;
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(plan.environment).toBeUndefined(); // the plan roles trust repo:…:pull_request, not an environment
    const [credentials] = stepUsing(plan, "aws-actions/configure-aws-credentials");
    expect(credentials.with).toEqual({
      "role-to-assume": "${{ vars[matrix.plan_role_variable] }}",
      "aws-region": "${{ matrix.region }}",
      "allowed-account-ids": "${{ matrix.account }}",
      "role-session-name": "plan-${{ matrix.environment }}-${{ github.run_id }}",
    });
    const planStep = steps(plan).find((s) => isTerraform(s, "plan")) as Step;
    expect(argvOf(pullRequest, plan, planStep).argv).toContain("-lock=false");
    expect(steps(plan).some((s) => isTerraform(s, "apply"))).toBe(false);
    expectGatedPlan(pullRequest, plan, { applies: false });
  });
});

describe("deploy", () => {
  const callers = Object.entries(deploy.jobs).filter(
    ([, job]) => job.uses === "./.github/workflows/deploy-environment.yml",
  );
  const job = deployEnvironment.jobs.deploy;

  it("runs on pushes to main", () => {
    expect(deploy.on).toEqual({ push: { branches: ["main"] } });
    expect(deployEnvironment.on).toEqual({
      workflow_call: { inputs: { environment: expect.objectContaining({ type: "string", required: true }) } },
    });
  });

  it("deploys dev, then staging, then prod, after one synth and gate", () => {
    const order: string[] = [];
    let previous = "synth";
    for (;;) {
      const next = callers.find(([, caller]) => needsOf(caller).includes(previous));
      if (next === undefined) break;
      expect(needsOf(next[1])).toEqual([previous]);
      order.push(next[1].with?.environment ?? "");
      previous = next[0];
    }
    expect(order).toEqual(["dev", "staging", "prod"]);
    expect(callers.map(([id, caller]) => [id, caller.with?.environment])).toEqual(order.map((e) => [e, e]));
    for (const [, caller] of callers)
      expect(caller.permissions).toEqual({ contents: "read", "id-token": "write" });
    // Every environment in environments/ is deployed, in the promotion order the matrix script gives.
    expect(order).toEqual(pipelineMatrix().include.map((entry) => entry.environment));
    expect([...order].sort()).toEqual(ENVIRONMENT_FILES);
  });

  it("runs each deploy in the GitHub environment of its name, one at a time, never cancelling an apply", () => {
    expect(job.environment).toBe("${{ inputs.environment }}");
    expect(job.concurrency).toEqual({
      group: "deploy-${{ inputs.environment }}",
      "cancel-in-progress": false,
    });
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    for (const environment of ["dev", "staging", "prod"]) {
      expect(substitute(String(job.environment), contextFor(environment))).toBe(environment);
    }
  });

  it("assumes the environment's deploy role in the account and region environments/ names", () => {
    const [credentials] = stepUsing(job, "aws-actions/configure-aws-credentials");
    expect(credentials.with).toEqual({
      "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
      "aws-region": "${{ steps.environment.outputs.region }}",
      "allowed-account-ids": "${{ steps.environment.outputs.account }}",
      "role-session-name": "deploy-${{ inputs.environment }}-${{ github.run_id }}",
    });
    const facts = steps(job).find((s) => s.id === "environment") as Step;
    expect(steps(job).indexOf(facts)).toBeLessThan(steps(job).indexOf(credentials));
    const { argv, redirect } = argvOf(deployEnvironment, job, facts, "prod");
    expect(argv).toEqual([
      "npm",
      "run",
      "--silent",
      "pipeline:environments",
      "--",
      "show",
      "prod",
      "--deployable",
    ]);
    expect(redirect).toEqual({ op: ">>", file: GITHUB_FILES.GITHUB_OUTPUT });
    const used = [...JSON.stringify(job).matchAll(/steps\.environment\.outputs\.(\w+)/g)].map((m) => m[1]);
    // The same arguments, run for every environment: facts for those with remote state, a refusal otherwise.
    for (const env of shippedEnvironments) {
      const args = argvOf(deployEnvironment, job, facts, env.name).argv.slice(5);
      if (env.backend === undefined) {
        expect(() => pipelineEnvironments(args)).toThrow(PipelineError);
        continue;
      }
      const output = Object.fromEntries(
        pipelineEnvironments(args)
          .trim()
          .split("\n")
          .map((line) => line.split("=")),
      );
      expect(output).toMatchObject({
        environment: env.name,
        account: env.account.id,
        region: env.account.region,
      });
      for (const key of used) expect(output).toHaveProperty(key);
    }
  });

  it("gates the exact saved plan it then applies", () => {
    expectGatedPlan(deployEnvironment, job, { applies: true });
    expectSummaryAfterMarkdown(deployEnvironment, job);
  });

  it("gates the synthesized stacks before any environment", () => {
    const synth = deploy.jobs.synth;
    const gate = steps(synth).find(isGate) as Step;
    expect(argvOf(deploy, synth, gate).argv.slice(2, 4)).toEqual(["check", "cdktf.out"]);
    expect(stepUsing(synth, "actions/upload-artifact")[0].with?.name).toBe("synth");
    expect(stepUsing(job, "actions/download-artifact")[0].with?.name).toBe("synth");
  });
});

/** A markdown report written to a file is appended to the run summary even when the gate failed. */
function expectSummaryAfterMarkdown(wf: Workflow, job: Job): void {
  const all = steps(job);
  const markdown = all.filter((s) => isGate(s) && s.run?.includes("--format markdown"));
  expect(markdown.length).toBeGreaterThan(0);
  for (const step of markdown) {
    const { argv } = argvOf(wf, job, step);
    const output = argv[argv.indexOf("--output") + 1];
    const summary = all.find((s) => {
      if (!s.run?.startsWith("cat ")) return false;
      const words = argvOf(wf, job, s);
      return words.argv[1] === output && words.redirect?.file === GITHUB_FILES.GITHUB_STEP_SUMMARY;
    });
    expect(summary).toBeDefined();
    expect(all.indexOf(summary as Step)).toBeGreaterThan(all.indexOf(step));
    expect(summary?.if).toMatch(/^\$\{\{ !cancelled\(\) && hashFiles\(/);
  }
}

/**
 * init, plan -out X, show -json X > <env>.plan.json, the gate on that JSON with --config cdktf.out, the
 * JSON kept as an artifact, and (when deploying) apply X: the same file, in that order, nothing skipped.
 */
function expectGatedPlan(wf: Workflow, job: Job, options: { applies: boolean }): void {
  for (const environment of ["dev", "staging", "prod"]) {
    const all = steps(job);
    const at = (predicate: (s: Step) => boolean) => {
      const index = all.findIndex(predicate);
      expect(index).toBeGreaterThanOrEqual(0);
      return { index, ...argvOf(wf, job, all[index], environment) };
    };
    const credentials = all.findIndex(
      (s) => s.uses && actionOf(s.uses) === "aws-actions/configure-aws-credentials",
    );
    const init = at((s) => isTerraform(s, "init"));
    const plan = at((s) => isTerraform(s, "plan"));
    const show = at((s) => isTerraform(s, "show"));
    const gate = at((s) => isGate(s) && Boolean(s.run?.includes("--config")));
    const chdir = `-chdir=cdktf.out/stacks/${environment}`;
    for (const step of [init, plan, show]) expect(step.argv[1]).toBe(chdir);
    expect(credentials).toBeGreaterThanOrEqual(0);
    expect(credentials).toBeLessThan(init.index);
    expect(init.index).toBeLessThan(plan.index);
    expect(plan.index).toBeLessThan(show.index);
    expect(show.index).toBeLessThan(gate.index);

    const saved = `${environment}.tfplan`;
    expect(plan.argv).toContain(`-out=${saved}`);
    expect(plan.argv).toContain("-input=false");
    expect(show.argv.slice(2)).toEqual(["show", "-json", saved]);
    expect(show.redirect).toEqual({ op: ">", file: `${environment}.plan.json` });
    expect(gate.argv.slice(2, 6)).toEqual(["check", `${environment}.plan.json`, "--config", "cdktf.out"]);
    expect(all[gate.index].if).toBeUndefined();
    expect(all[gate.index]["continue-on-error"]).toBeUndefined();

    const [upload] = stepUsing(job, "actions/upload-artifact");
    expect(substitute(String(upload.with?.path), contextFor(environment))).toBe(`${environment}.plan.json`);
    expect(all.indexOf(upload)).toBeGreaterThan(gate.index);

    const applies = all.filter((s) => isTerraform(s, "apply"));
    if (!options.applies) {
      expect(applies).toEqual([]);
      continue;
    }
    expect(applies).toHaveLength(1);
    const apply = at((s) => isTerraform(s, "apply"));
    expect(apply.argv).toEqual(["terraform", chdir, "apply", "-input=false", saved]);
    expect(apply.index).toBeGreaterThan(gate.index);
    // Runs only when every step before it, the gate included, succeeded.
    expect(all[apply.index].if).toBeUndefined();
    for (const step of all.slice(plan.index, apply.index)) {
      if (isTerraform(step, "plan") || isTerraform(step, "show")) expect(step.run).not.toMatch(/\|\||;|&&/);
    }
  }
  const [terraform] = stepUsing(job, "hashicorp/setup-terraform");
  expect(terraform.with?.terraform_wrapper).toBe(false);
  // S3-native state locking (use_lockfile) needs Terraform 1.10 or later.
  const [major, minor] = String(terraform.with?.terraform_version).split(".").map(Number);
  expect(major > 1 || (major === 1 && minor >= 10)).toBe(true);
}

let matrix: { include: Record<string, string>[] } | undefined;

/** The matrix exactly as the pull-request workflow gets it: the npm script's output. */
function pipelineMatrix(): { include: Record<string, string>[] } {
  if (matrix !== undefined) return matrix;
  const result = spawnSync("npm", ["run", "--silent", "pipeline:environments", "--", "matrix"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  const match = /^matrix=(\{.*\})\n$/.exec(result.stdout);
  expect(match).not.toBeNull();
  matrix = JSON.parse(match?.[1] ?? "{}") as { include: Record<string, string>[] };
  return matrix;
}

describe("the environment matrix", () => {
  it("lists every file in environments/, promotion order, with what the plan job needs", () => {
    const { include } = pipelineMatrix();
    expect(include.map((entry) => entry.environment).sort()).toEqual(ENVIRONMENT_FILES);
    for (const env of shippedEnvironments) {
      expect(include).toContainEqual({
        environment: env.name,
        tier: env.tier,
        account: env.account.id,
        region: env.account.region,
        plan_role_variable: `AWS_PLAN_ROLE_ARN_${env.name.toUpperCase()}`,
      });
    }
    expect(include.map((entry) => entry.tier)).toEqual(
      [...include.map((entry) => entry.tier)].sort(
        (a, b) =>
          ["development", "staging", "production"].indexOf(a) -
          ["development", "staging", "production"].indexOf(b),
      ),
    );
  });

  it("refuses unknown environments and usage mistakes", () => {
    expect(() => pipelineEnvironments(["show", "qa"])).toThrow(
      /no environment "qa" in environments\/ \(found: /,
    );
    expect(() => pipelineEnvironments(["list"])).toThrow(/usage: pipeline-environments matrix/);
    expect(() => pipelineEnvironments(["matrix", "extra"])).toThrow(/usage/);
  });
});

describe("the gate commands the workflows run", () => {
  // Each command runs in a folder laid out like the runner's workspace after its earlier steps.
  const cwd = process.cwd();
  let clean: Record<string, TerraformJson>;

  beforeAll(() => {
    clean = Object.fromEntries(shippedEnvironments.map((env) => [env.name, synthesizedStack(env.name)]));
  });
  afterAll(() => process.chdir(cwd));

  function workspace(stacks: Record<string, TerraformJson>): string {
    const dir = mkdtempSync(join(tmpdir(), "workspace-"));
    const manifest: Record<string, unknown> = {};
    for (const env of shippedEnvironments) {
      const document = stacks[env.name];
      mkdirSync(join(dir, "cdktf.out", "stacks", env.name), { recursive: true });
      // The facts `cdktf synth` writes into each stack (Testing.synth leaves out "//").
      const carrying = { "//": { [FACTS_KEY]: shippedFacts.get(env.name) }, ...document };
      writeFileSync(
        join(dir, "cdktf.out", "stacks", env.name, "cdk.tf.json"),
        JSON.stringify(carrying, null, 2),
      );
      manifest[env.name] = {
        name: env.name,
        synthesizedStackPath: `stacks/${env.name}/cdk.tf.json`,
        workingDirectory: `stacks/${env.name}`,
      };
      const plan = planFromSynth(document, { accountId: env.account.id, region: env.account.region });
      writeFileSync(join(dir, `${env.name}.plan.json`), JSON.stringify(plan, null, 2));
    }
    writeFileSync(
      join(dir, "cdktf.out", "manifest.json"),
      JSON.stringify({ version: "0.21.0", stacks: manifest }),
    );
    return dir;
  }

  function unencryptedDev(): Record<string, TerraformJson> {
    const dev = structuredClone(clean.dev);
    const [table] = Object.values(dev.resource.aws_dynamodb_table);
    delete table.server_side_encryption;
    return { ...clean, dev };
  }

  /** Every gate call of every workflow, for every environment it runs for. */
  const calls = jobsWithSteps.flatMap(([id, wf, job]) =>
    steps(job)
      .filter(isGate)
      .flatMap((step) =>
        (step.run?.includes("$ENVIRONMENT") ? ["dev", "staging", "prod"] : ["dev"]).map((environment) => ({
          name: `${id}: ${step.name ?? step.run} (${environment})`,
          environment,
          argv: argvOf(wf, job, step, environment).argv.slice(2),
        })),
      ),
  );

  async function run(dir: string, argv: string[]): Promise<{ code: number; report: string }> {
    process.chdir(dir);
    try {
      let stdout = "";
      const code = await gateCli([...argv, "--today", TODAY], {
        stdout: (t) => (stdout += t),
        stderr: () => undefined,
      });
      const output = argv.indexOf("--output");
      return { code, report: output < 0 ? stdout : readFileSync(join(dir, argv[output + 1]), "utf8") };
    } finally {
      process.chdir(cwd);
    }
  }

  it("are the CLI of this repository", () => {
    expect(calls.length).toBeGreaterThanOrEqual(7);
    expect(existsSync(join(ROOT, "bin", "ddb-guardrails.js"))).toBe(true);
  });

  it.each(calls.map((call) => [call.name, call] as const))(
    "%s passes the shipped stacks",
    async (_n, call) => {
      const dir = workspace(clean);
      try {
        const { code, report } = await run(dir, call.argv);
        expect(code).toBe(EXIT.clean);
        const format = call.argv[call.argv.indexOf("--format") + 1];
        if (format === "sarif") expect(JSON.parse(report)).toBeValidSarifLog();
        if (format === "markdown") expect(report).toMatch(/^## ddb-guardrails: passed\n/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.each(calls.filter((call) => call.environment === "dev").map((call) => [call.name, call] as const))(
    "%s fails the step on a violation and still writes its report",
    async (_n, call) => {
      const dir = workspace(unencryptedDev());
      try {
        const { code, report } = await run(dir, call.argv);
        expect(code).toBe(EXIT.violations);
        expect(report).toContain("GR-ENC-001");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("the README's pipeline section", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The pipeline"), readme.indexOf("### What a deploy needs"));

  it("names every workflow file and the variables the workflows read", () => {
    expect(section.length).toBeGreaterThan(1000);
    for (const wf of workflows) expect(section).toContain(`\`${wf.file}\``);
    const variables = new Set(
      workflows.flatMap((wf) => [...wf.text.matchAll(/\bvars\.(\w+)/g)].map((m) => m[1])),
    );
    expect([...variables]).toEqual(["AWS_DEPLOY_ROLE_ARN"]);
    for (const variable of variables) expect(section).toContain(`\`${variable}\``);
    // The plan roles' variables are named by the matrix script.
    for (const entry of pipelineMatrix().include) {
      expect(entry.plan_role_variable.startsWith("AWS_PLAN_ROLE_ARN_")).toBe(true);
    }
    expect(section).toContain("`AWS_PLAN_ROLE_ARN_<ENV>`");
  });

  it("lists as required checks only jobs the pull-request workflow has", () => {
    const checks = /requires the (.*) checks/s.exec(section)?.[1] ?? "";
    const named = [...checks.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThanOrEqual(3);
    const jobNames = Object.values(pullRequest.jobs).map((job) => job.name ?? "");
    for (const name of named) {
      const pattern = new RegExp(`^${name.replace(/<env>/, ".+").replace(/[()]/g, "\\$&")}`);
      expect({
        name,
        exists: jobNames.some((job) => pattern.test(substitute(job, contextFor("dev")))),
      }).toEqual({
        name,
        exists: true,
      });
    }
  });

  it("gives no auto-approve advice anywhere", () => {
    expect(readme).not.toMatch(/--auto-approve/);
  });
});
