import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import type { Environment } from "../config/schema";

/**
 * Remote state in S3 when the environment names a bucket, local state otherwise (so synth and plan
 * work offline). Locking uses S3 itself (`use_lockfile`, Terraform ≥ 1.10): cdktf's S3Backend has
 * no such property yet, so it is set with an override.
 */
export function configureBackend(stack: TerraformStack, env: Environment): void {
  if (!env.backend) {
    new LocalBackend(stack, { path: `terraform.${env.name}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: env.backend.bucket,
    key: stateKey(env),
    region: env.backend.region,
    encrypt: env.backend.encrypt,
    kmsKeyId: env.backend.kmsKeyId,
  });
  if (env.backend.useLockfile) stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

/** The state object's key; the lock file is `<key>.tflock` beside it, which the pipeline roles are scoped to. */
export function stateKey(env: Pick<Environment, "name" | "backend">): string {
  return env.backend?.key ?? `ddb-guardrails/${env.name}.tfstate`;
}
