import type { TerraformJson } from "./gate";

/*
 * A stack written in the array forms Terraform's JSON syntax allows (HCL's JSON spec): at each level
 * of a block (the section, a type's names, a body) an array of objects reads like the one object
 * CDKTF writes.
 */

type Block = Record<string, unknown>;

/** Deals a JSON object's properties round-robin into `parts` objects, empty ones dropped. */
function dealt(object: Record<string, unknown>, parts: number): Record<string, unknown>[] {
  const hands: Record<string, unknown>[] = Array.from({ length: parts }, () => ({}));
  Object.entries(object).forEach(([k, v], i) => (hands[i % parts][k] = v));
  return hands.filter((hand) => Object.keys(hand).length > 0);
}

/** How a stack is written at each level: 0 as one object (CDKTF's way), n as an array of n objects. */
export interface ArrayForms {
  sections: number;
  types: number;
  bodies: number;
}

export function inArrayForms(stack: TerraformJson, forms: ArrayForms): Record<string, unknown> {
  const level = (object: Record<string, unknown>, parts: number): unknown =>
    parts === 0 ? object : dealt(object, parts);
  const section = (blocks: Record<string, Record<string, Block>>) =>
    level(
      Object.fromEntries(
        Object.entries(blocks).map(([type, named]) => [
          type,
          level(
            Object.fromEntries(
              Object.entries(named).map(([name, body]) => [name, level(body, forms.bodies)]),
            ),
            forms.types,
          ),
        ]),
      ),
      forms.sections,
    );
  const data = stack.data as Record<string, Record<string, Block>> | undefined;
  return {
    ...stack,
    resource: section(stack.resource),
    ...(data === undefined ? {} : { data: section(data) }),
  };
}
