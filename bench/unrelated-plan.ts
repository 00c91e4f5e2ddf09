import type { TerraformJson } from "../tests/support/gate";
import { planFromSynth } from "../tests/support/plan";

/*
 * A plan made mostly of resources no rule is about: a shipped environment's stack beside thousands
 * of EC2 instances (each with user data, block devices and tags, about 9 KB of plan JSON), rendered
 * as `terraform show -json` writes it. Platform teams gate plans of whole accounts, where DynamoDB is
 * a small part; the gate's cost there must grow with the bytes, not with what the rules look for.
 */

const USER_DATA = `#!/bin/bash\n${"echo configuring the web tier >> /var/log/boot.log\n".repeat(30)}`;

function instance(index: number, subnet: string): Record<string, unknown> {
  return {
    ami: "ami-0c55b159cbfafe1f0",
    instance_type: "m6i.large",
    subnet_id: `\${${subnet}.id}`,
    user_data: USER_DATA,
    monitoring: true,
    ebs_optimized: true,
    root_block_device: { volume_size: 50, volume_type: "gp3", encrypted: true, delete_on_termination: true },
    metadata_options: { http_tokens: "required", http_endpoint: "enabled", http_put_response_hop_limit: 1 },
    tags: { Name: `web-${index}`, Team: "web", CostCenter: "cc-1234", Service: "storefront" },
  };
}

function withInstances(stack: TerraformJson, count: number): TerraformJson {
  const subnet = Object.keys(stack.resource.aws_subnet ?? {})[0];
  if (subnet === undefined)
    throw new Error("unrelated-plan: the stack has no aws_subnet to place instances in");
  const instances = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`web_${i}`, instance(i, `aws_subnet.${subnet}`)]),
  );
  return { ...stack, resource: { ...stack.resource, aws_instance: instances } };
}

/** The stack's update plan grown with unrelated instances to about targetBytes; returns the plan's JSON. */
export function unrelatedPlan(
  stack: TerraformJson,
  targetBytes: number,
  target: { accountId: string; region: string },
): { text: string; instances: number } {
  const render = (count: number) => JSON.stringify(planFromSynth(withInstances(stack, count), target));
  const base = render(0).length;
  const perInstance = render(1).length - base;
  const instances = Math.max(1, Math.round((targetBytes - base) / perInstance));
  return { text: render(instances), instances };
}
