import { Lazy } from "cdktf";

/*
 * IAM policy documents as typed objects, rendered with JSON.stringify so the synthesized Terraform
 * holds plain JSON strings (with `${…}` references inside) that any policy tool can read.
 * Fn.jsonencode would render HCL expressions instead, which no policy tool parses.
 */

type BaseOperator =
  | "StringEquals"
  | "StringNotEquals"
  | "StringEqualsIgnoreCase"
  | "StringLike"
  | "StringNotLike"
  | "NumericEquals"
  | "NumericLessThan"
  | "NumericLessThanEquals"
  | "NumericGreaterThan"
  | "NumericGreaterThanEquals"
  | "ArnEquals"
  | "ArnLike"
  | "ArnNotEquals"
  | "Bool"
  | "IpAddress"
  | "NotIpAddress";

/**
 * Only operators IAM accepts. The talk's slide writes `NumericGreaterThanOrEqualTo`, which IAM
 * rejects; this type makes that mistake a compile error.
 */
export type ConditionOperator = `${"" | "ForAllValues:" | "ForAnyValue:"}${BaseOperator}${"" | "IfExists"}`;

export type Conditions = Partial<Record<ConditionOperator, Record<string, string | string[]>>>;

export type Principal =
  "*" | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[] };

export interface PolicyStatement {
  /** Says why the statement exists; shown in findings and in the console. */
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: Principal;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Conditions;
}

/**
 * A policy that grant methods add statements to after construction; it renders at synth time,
 * so a resource can take the policy before every grant is known.
 */
export class PolicyDocument {
  private readonly statements: PolicyStatement[] = [];

  constructor(...statements: PolicyStatement[]) {
    this.addStatements(...statements);
  }

  addStatements(...statements: PolicyStatement[]): void {
    for (const statement of statements) {
      if (this.statements.some((existing) => existing.Sid === statement.Sid)) {
        throw new Error(`Policy statement ids must be unique: "${statement.Sid}" is already in this policy`);
      }
      this.statements.push(statement);
    }
  }

  get isEmpty(): boolean {
    return this.statements.length === 0;
  }

  toJSON(): { Version: "2012-10-17"; Statement: PolicyStatement[] } {
    return { Version: "2012-10-17", Statement: this.statements };
  }

  /** The document as a JSON string, resolved when the stack synthesizes. */
  render(): string {
    return Lazy.stringValue({ produce: () => JSON.stringify(this.toJSON()) });
  }
}

/** Combines condition blocks; keys under the same operator from both sides are kept together. */
export function mergeConditions(...blocks: Conditions[]): Conditions {
  const merged: Conditions = {};
  for (const block of blocks) {
    for (const [operator, keys] of Object.entries(block) as [
      ConditionOperator,
      Record<string, string | string[]>,
    ][]) {
      const existing = merged[operator] ?? {};
      for (const key of Object.keys(keys)) {
        if (key in existing) throw new Error(`Condition ${operator} on ${key} is set twice`);
      }
      merged[operator] = { ...existing, ...keys };
    }
  }
  return merged;
}

/** Refuses any request to `resources` not made over TLS. */
export function denyInsecureTransport(action: string, resources: string | string[]): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
