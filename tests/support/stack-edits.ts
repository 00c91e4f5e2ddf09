import type { TerraformJson } from "./gate";

/*
 * Edits to a synthesized stack, for the tests that make one mistake in a real stack and check the
 * exact finding it gives: finding a resource block, and rewriting a policy document held as a JSON
 * string (as the stacks write them).
 */

export type Block = Record<string, unknown>;

/** The first resource of a type that matches, as [logical name, block]; fails the test when none does. */
export function findBlock(
  stack: TerraformJson,
  type: string,
  predicate: (block: Block, name: string) => boolean = () => true,
): [string, Block] {
  const found = Object.entries(stack.resource[type] ?? {}).find(([name, block]) => predicate(block, name));
  if (!found) throw new Error(`no ${type} matches`);
  return found;
}

/** Parses the policy document in a block's attribute, lets `edit` change it, and writes it back. */
export function editDocument<D>(block: Block, attribute: string, edit: (document: D) => void): void {
  const document = JSON.parse(String(block[attribute])) as D;
  edit(document);
  block[attribute] = JSON.stringify(document);
}

/** A team's role in a shipped environment stack (stacks/iam/role-names.ts names it). */
export const teamRole = (stack: TerraformJson, team = "books") =>
  findBlock(stack, "aws_iam_role", (role) => String(role.name).endsWith(`-${team}-data-access`));

/** The inline policy of a team's role. */
export const teamPolicy = (stack: TerraformJson, team = "books") => {
  const [role] = teamRole(stack, team);
  return findBlock(stack, "aws_iam_role_policy", (policy) => policy.role === `\${aws_iam_role.${role}.id}`);
};
