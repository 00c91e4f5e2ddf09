import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import type { NetworkConfig } from "../config/schema";
import type { DeploymentTarget } from "./iam/arns";
import { DATA_PLANE_ACTIONS } from "./iam/dynamodb-actions";
import { PolicyDocument } from "./iam/policy-document";
import type { SecureTable } from "./secure-table";

export interface DynamoDbNetworkProps {
  target: DeploymentTarget;
  /** Prefix for names and Name tags, e.g. the environment name. */
  namePrefix: string;
  /** Create a private VPC, or attach the endpoint to an existing VPC's route tables. */
  network: NetworkConfig;
}

/** The `index`-th subnet of `newPrefix` bits inside `cidr` (what Terraform's cidrsubnet does). */
export function subnetCidr(cidr: string, newPrefix: number, index: number): string {
  const [address, bits] = cidr.split("/");
  const base = address.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
  const size = 2 ** (32 - newPrefix);
  if (index >= 2 ** (newPrefix - Number(bits)))
    throw new Error(`${cidr} has no room for subnet #${index} of /${newPrefix}`);
  const start = base + index * size;
  return `${[24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join(".")}/${newPrefix}`;
}

/**
 * The talk's "VPC endpoint access to DynamoDB": a gateway endpoint on the private route tables, so
 * table traffic never leaves the AWS network, and an endpoint policy that is not "Full Access":
 * only this organization's principals, only data-plane calls, only this environment's tables.
 */
export class DynamoDbNetwork extends Construct {
  readonly endpoint: VpcEndpoint;
  private readonly endpointPolicy = new PolicyDocument();
  private readonly target: DeploymentTarget;

  constructor(scope: Construct, id: string, props: DynamoDbNetworkProps) {
    super(scope, id);
    this.target = props.target;
    const { vpcId, routeTableIds } =
      props.network.mode === "create"
        ? this.createPrivateVpc(props.namePrefix, props.network.cidr, props.network.availabilityZones)
        : props.network;
    this.endpoint = new VpcEndpoint(this, "dynamodb-endpoint", {
      vpcId,
      serviceName: `com.amazonaws.${props.target.region}.dynamodb`,
      vpcEndpointType: "Gateway",
      routeTableIds,
      policy: this.endpointPolicy.render(),
      tags: { Name: `${props.namePrefix}-dynamodb` },
    });
    this.node.addValidation({
      validate: () =>
        this.endpointPolicy.isEmpty
          ? [
              "The DynamoDB endpoint allows no table: call allowTables() or the endpoint would default to full access",
            ]
          : [],
    });
  }

  get endpointId(): string {
    return this.endpoint.id;
  }

  /** Lets the organization's principals reach these tables' data through the endpoint. */
  allowTables(tables: SecureTable[]): void {
    this.endpointPolicy.addStatements({
      Sid: "OrganizationDataAccessToEnvironmentTables",
      Effect: "Allow",
      Principal: "*",
      Action: [...DATA_PLANE_ACTIONS],
      Resource: tables.flatMap((table) => table.dataResourceArns),
      Condition: { StringEquals: { "aws:PrincipalOrgID": this.target.organizationId } },
    });
  }

  private createPrivateVpc(
    namePrefix: string,
    cidr: string,
    zones: string[],
  ): { vpcId: string; routeTableIds: string[] } {
    const vpc = new Vpc(this, "vpc", {
      cidrBlock: cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: namePrefix },
    });
    // The default security group allows all traffic between its members; strip it so nothing relies on it.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${namePrefix}-default-deny` },
    });
    const subnetPrefix = Math.min(Number(cidr.split("/")[1]) + 4, 28);
    const routeTableIds = zones.map((zone, index) => {
      const subnet = new Subnet(this, `private-subnet-${zone}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: subnetCidr(cidr, subnetPrefix, index),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${namePrefix}-private-${zone}` },
      });
      // No internet or NAT route: the only way out of these subnets to DynamoDB is the gateway endpoint.
      const routeTable = new RouteTable(this, `private-routes-${zone}`, {
        vpcId: vpc.id,
        tags: { Name: `${namePrefix}-private-${zone}` },
      });
      new RouteTableAssociation(this, `private-routes-association-${zone}`, {
        subnetId: subnet.id,
        routeTableId: routeTable.id,
      });
      return routeTable.id;
    });
    return { vpcId: vpc.id, routeTableIds };
  }
}
