import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import type { InterfaceEndpointConfig, NetworkConfig } from "../config/schema";
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
  /** Also an Interface endpoint, for clients outside the VPC (on-premises over VPN or Direct Connect). */
  interfaceEndpoint?: InterfaceEndpointConfig;
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
  readonly interfaceEndpoint?: VpcEndpoint;
  private readonly endpointPolicy = new PolicyDocument();
  private readonly interfaceEndpointPolicy = new PolicyDocument();
  private readonly target: DeploymentTarget;

  constructor(scope: Construct, id: string, props: DynamoDbNetworkProps) {
    super(scope, id);
    this.target = props.target;
    const { vpcId, routeTableIds, subnetIds } =
      props.network.mode === "create"
        ? this.createPrivateVpc(props.namePrefix, props.network.cidr, props.network.availabilityZones)
        : { ...props.network, subnetIds: props.interfaceEndpoint?.subnetIds ?? [] };
    this.endpoint = new VpcEndpoint(this, "dynamodb-endpoint", {
      vpcId,
      serviceName: `com.amazonaws.${props.target.region}.dynamodb`,
      vpcEndpointType: "Gateway",
      routeTableIds,
      policy: this.endpointPolicy.render(),
      tags: { Name: `${props.namePrefix}-dynamodb` },
    });
    if (props.interfaceEndpoint) {
      this.interfaceEndpoint = this.createInterfaceEndpoint(
        props.namePrefix,
        vpcId,
        subnetIds,
        props.interfaceEndpoint.allowedCidrs,
      );
    }
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

  /** Every DynamoDB endpoint of the environment: what each aws:SourceVpce condition must list. */
  get endpointIds(): string[] {
    return [this.endpoint.id, ...(this.interfaceEndpoint ? [this.interfaceEndpoint.id] : [])];
  }

  /** Lets the organization's principals reach these tables' data through the endpoint. */
  allowTables(tables: SecureTable[]): void {
    const organizationOnly = { StringEquals: { "aws:PrincipalOrgID": this.target.organizationId } };
    const tableAccess = {
      Sid: "OrganizationDataAccessToEnvironmentTables",
      Effect: "Allow" as const,
      Principal: "*" as const,
      Action: [...DATA_PLANE_ACTIONS],
      Resource: tables.flatMap((table) => table.dataResourceArns),
      Condition: organizationOnly,
    };
    this.endpointPolicy.addStatements(tableAccess);
    // SDKs outside the VPC call DescribeEndpoints to find where to send requests; it names no resource.
    this.interfaceEndpointPolicy.addStatements(tableAccess, {
      Sid: "OrganizationDescribesEndpoints",
      Effect: "Allow",
      Principal: "*",
      Action: "dynamodb:DescribeEndpoints",
      Resource: "*",
      Condition: organizationOnly,
    });
  }

  /**
   * An Interface endpoint in the private subnets, reachable on 443 only from the configured networks.
   * The gateway endpoint stays the path inside the VPC; this one serves clients that route into it.
   */
  private createInterfaceEndpoint(
    namePrefix: string,
    vpcId: string,
    subnetIds: string[],
    allowedCidrs: string[],
  ): VpcEndpoint {
    const securityGroup = new SecurityGroup(this, "dynamodb-interface-endpoint-sg", {
      name: `${namePrefix}-dynamodb-interface-endpoint`,
      description: "HTTPS to the DynamoDB interface endpoint from the configured client networks only",
      vpcId,
      ingress: [
        {
          description: "HTTPS from the configured client networks",
          fromPort: 443,
          toPort: 443,
          protocol: "tcp",
          cidrBlocks: allowedCidrs,
        },
      ],
      // The endpoint answers requests; it never opens connections of its own.
      egress: [],
      tags: { Name: `${namePrefix}-dynamodb-interface-endpoint` },
    });
    return new VpcEndpoint(this, "dynamodb-interface-endpoint", {
      vpcId,
      serviceName: `com.amazonaws.${this.target.region}.dynamodb`,
      vpcEndpointType: "Interface",
      subnetIds,
      securityGroupIds: [securityGroup.id],
      policy: this.interfaceEndpointPolicy.render(),
      tags: { Name: `${namePrefix}-dynamodb-interface` },
    });
  }

  private createPrivateVpc(
    namePrefix: string,
    cidr: string,
    zones: string[],
  ): { vpcId: string; routeTableIds: string[]; subnetIds: string[] } {
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
    const subnetIds: string[] = [];
    const routeTableIds = zones.map((zone, index) => {
      const subnet = new Subnet(this, `private-subnet-${zone}`, {
        vpcId: vpc.id,
        availabilityZone: zone,
        cidrBlock: subnetCidr(cidr, subnetPrefix, index),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${namePrefix}-private-${zone}` },
      });
      subnetIds.push(subnet.id);
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
    return { vpcId: vpc.id, routeTableIds, subnetIds };
  }
}
