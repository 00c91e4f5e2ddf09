// zod/mini: the same validation as zod's chained API, in a fraction of the code the CLI bundle has to
// load at every start (the classic API and its locales are most of what the CLI would compile).
import * as z from "zod/mini";

export const SEVERITIES = ["critical", "high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const waiverSchema = z.strictObject({
  rule: z.string().check(z.regex(/^GR-[A-Z]+-\d{3}$/, 'a rule id such as "GR-ENC-001"')),
  address: z.string().check(z.minLength(1, "the exact resource address the finding names")),
  stack: z.optional(z.string().check(z.minLength(1))),
  reason: z
    .string()
    .check(z.trim(), z.minLength(10, "a reason of at least 10 characters: why the risk is accepted")),
  expires: z.iso.date("an expiry date as YYYY-MM-DD"),
});
export type Waiver = z.infer<typeof waiverSchema>;

/** One result of the policy: a problem with one resource of one stack. */
export const findingSchema = z.object({
  rule: z.string(),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  address: z.string(),
  stack: z.string(),
  message: z.string(),
  status: z.enum(["violation", "waived"]),
  waiver: z.optional(z.partial(waiverSchema)),
});
export type Finding = z.infer<typeof findingSchema>;

/** What the gate hands the policy for one stack. */
export interface PolicyInput {
  stack: string;
  document: unknown;
  /** A plan's synthesized stack: what the plan leaves unknown is read from it. */
  configuration?: unknown;
  context: EnvironmentContext;
  waivers: Waiver[];
}

export interface EnvironmentContext {
  organization_id?: string;
  account_id?: string;
  tier?: string;
  key_arns?: string[];
  /** Days the environment's locked backup vault must keep each recovery point at least (GR-DP-003). */
  backup_min_retention_days?: number;
  /** Customer-managed keys kept outside the stack (key ARNs, alias ARNs, alias names). */
  trusted_keys?: string[];
  /** Today, YYYY-MM-DD (UTC): the policy has no clock, and waivers expire. */
  today: string;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Most severe first, then by rule and address, so reports are stable. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.rule.localeCompare(b.rule) ||
    a.address.localeCompare(b.address) ||
    a.message.localeCompare(b.message)
  );
}
