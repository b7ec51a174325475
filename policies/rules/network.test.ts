import { describe } from "vitest";
import { describePolicies, resource, urnOf } from "../testing.js";
import { networkPolicies } from "./network.js";

const group = (name: string, id: string, rules: { ingress?: unknown[]; egress?: unknown[] }) =>
  resource("aws:ec2/securityGroup:SecurityGroup", name, { id, vpcId: "vpc-1", ingress: rules.ingress ?? [], egress: rules.egress ?? [] });
const tcp = (port: number, peer: Record<string, unknown>) => ({ protocol: "tcp", fromPort: port, toPort: port, ...peer });
const database = () => resource("aws:rds/instance:Instance", "catalog", { vpcSecurityGroupIds: ["sg-db"] });
const search = () => resource("aws:opensearch/domain:Domain", "search", { vpcOptions: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-search"] } });

describe("network policies", () => {
  describePolicies(networkPolicies, {
    "sg-no-world-ingress": {
      passing: [
        { label: "ingress from a security group and CloudFront's prefix list", resources: () => [group("web", "sg-web", { ingress: [tcp(8080, { securityGroups: ["sg-alb"] })] }), group("alb", "sg-alb", { ingress: [tcp(443, { prefixListIds: ["pl-4fa04526"] })] })] },
        { label: "an egress rule resource to the world is not ingress", resources: () => [resource("aws:ec2/securityGroupRule:SecurityGroupRule", "web-out", { type: "egress", securityGroupId: "sg-web", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] })] },
      ],
      violating: [
        { label: "inline 0.0.0.0/0", resources: () => [group("alb", "sg-alb", { ingress: [tcp(443, { cidrBlocks: ["0.0.0.0/0"] })] })], message: /allows ingress tcp 443-443 from 0.0.0.0\/0/ },
        { label: "an IPv6 rule resource", resources: () => [resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-v6", { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" })], message: /from ::\/0/ },
        { label: "a legacy rule resource", resources: () => [resource("aws:ec2/securityGroupRule:SecurityGroupRule", "alb-in", { type: "ingress", securityGroupId: "sg-alb", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })], message: /allows ingress all traffic from 0.0.0.0\/0/ },
      ],
    },
    "sg-no-admin-ports": {
      passing: [{ label: "only the app port", resources: () => [group("web", "sg-web", { ingress: [tcp(8080, { securityGroups: ["sg-alb"] })] })] }],
      violating: [
        { label: "SSH from the office", resources: () => [group("web", "sg-web", { ingress: [tcp(22, { cidrBlocks: ["203.0.113.0/24"] })] })], message: /opens SSH \(22\)/ },
        { label: "all traffic from a peer group covers RDP", resources: () => [resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "all", { securityGroupId: "sg-web", ipProtocol: "-1", referencedSecurityGroupId: "sg-ops" })], message: /opens RDP \(3389\)/ },
      ],
    },
    "sg-data-tier-no-open-egress": {
      passing: [
        { label: "data tier groups without world egress", resources: () => [database(), search(), group("db", "sg-db", { ingress: [tcp(5432, { securityGroups: ["sg-web"] })] }), group("search", "sg-search", {})] },
        { label: "world egress on the web tier is not the data tier", resources: () => [database(), group("db", "sg-db", {}), group("web", "sg-web", { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })] },
      ],
      violating: [
        { label: "inline world egress on the database group", resources: () => [database(), group("db", "sg-db", { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })], message: /Security group db of database catalog allows egress all traffic to 0.0.0.0\/0/, urn: urnOf("aws:ec2/securityGroup:SecurityGroup", "db") },
        { label: "an egress rule resource on the search group", resources: () => [search(), group("search", "sg-search", {}), resource("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "search-out", { securityGroupId: "sg-search", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" })], message: /of search domain search allows egress tcp 443-443 to ::\/0/ },
      ],
    },
    "vpc-flow-logs": {
      passing: [
        { label: "an ALL flow log", resources: () => [resource("aws:ec2/vpc:Vpc", "vpc", { id: "vpc-1", cidrBlock: "10.30.0.0/16" }), resource("aws:ec2/flowLog:FlowLog", "vpc-flow", { vpcId: "vpc-1", trafficType: "ALL", logDestinationType: "cloud-watch-logs" })] },
        {
          label: "an awsx VPC (its outputs, as under the mock cloud)",
          resources: () => [{ ...resource("awsx:ec2:Vpc", "network", { vpcId: "vpc-2" }), custom: false }, resource("aws:ec2/flowLog:FlowLog", "vpc-flow", { vpcId: "vpc-2", trafficType: "ALL" })],
        },
      ],
      violating: [
        { label: "no flow log", resources: () => [resource("aws:ec2/vpc:Vpc", "vpc", { id: "vpc-1" })], message: /VPC vpc \(vpc-1\) has no flow log/ },
        { label: "rejected traffic only", resources: () => [resource("aws:ec2/vpc:Vpc", "vpc", { id: "vpc-1" }), resource("aws:ec2/flowLog:FlowLog", "vpc-flow", { vpcId: "vpc-1", trafficType: "REJECT" })], message: /record only REJECT traffic/ },
        { label: "an awsx VPC without a flow log", resources: () => [{ ...resource("awsx:ec2:Vpc", "network", { vpcId: "vpc-2" }), custom: false }], message: /VPC network \(vpc-2\) has no flow log/ },
      ],
    },
  });
});
