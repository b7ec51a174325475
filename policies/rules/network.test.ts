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
        {
          label: "private, shared (CGNAT), loopback, link-local and unique local ranges",
          resources: () => [group("db", "sg-db", {
            ingress: [
              tcp(5432, { cidrBlocks: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16"] }),
              tcp(5432, { ipv6CidrBlocks: ["fc00::/7", "fe80::/10", "::1/128"] }),
            ],
          })],
        },
        { label: "a private range written with host bits", resources: () => [resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ops", { securityGroupId: "sg-db", ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "172.31.255.255/12" })] },
      ],
      violating: [
        { label: "inline 0.0.0.0/0", resources: () => [group("alb", "sg-alb", { ingress: [tcp(443, { cidrBlocks: ["0.0.0.0/0"] })] })], message: /Security group alb admits public addresses on tcp 443-443 from 0\.0\.0\.0\/0 \(together every public IPv4 address\)\./ },
        { label: "an IPv6 rule resource", resources: () => [resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-v6", { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv6: "::/0" })], message: /Rule alb-v6 admits public addresses on tcp 80-80 from ::\/0 \(together every public IPv6 address\)\./ },
        { label: "a legacy rule resource", resources: () => [resource("aws:ec2/securityGroupRule:SecurityGroupRule", "alb-in", { type: "ingress", securityGroupId: "sg-alb", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] })], message: /Rule alb-in admits public addresses on all traffic from 0\.0\.0\.0\/0 \(together/ },
        // Walk-arounds of a string comparison: ranges that admit the internet without spelling 0.0.0.0/0 or ::/0.
        {
          label: "two /1 blocks that together are the whole IPv4 internet",
          resources: () => [group("alb", "sg-alb", { ingress: [tcp(443, { cidrBlocks: ["0.0.0.0/1"] }), tcp(443, { cidrBlocks: ["128.0.0.0/1"] })] })],
          message: /Security group alb admits public addresses on tcp 443-443 from 0\.0\.0\.0\/1, 128\.0\.0\.0\/1 \(together every public IPv4 address\)/,
        },
        {
          label: "a /1 on all ports and a /1 on the port, combined per port",
          resources: () => [group("alb", "sg-alb", { ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65_535, cidrBlocks: ["0.0.0.0/1"] }, tcp(443, { cidrBlocks: ["128.0.0.0/1"] })] })],
          message: /on tcp 443-443 from 128\.0\.0\.0\/1, 0\.0\.0\.0\/1 \(together every public IPv4 address\)/,
        },
        { label: "a /1 rule resource on its own", resources: () => [resource("aws:ec2/securityGroupRule:SecurityGroupRule", "alb-low", { type: "ingress", securityGroupId: "sg-alb", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/1"] })], message: /Rule alb-low admits public addresses on tcp 443-443 from 0\.0\.0\.0\/1\./ },
        { label: "::0/0", resources: () => [resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-v6", { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::0/0" })], message: /from ::0\/0 \(together every public IPv6 address\)/ },
        { label: "::/1", resources: () => [resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-v6", { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/1" })], message: /admits public addresses on tcp 443-443 from ::\/1\./ },
        { label: "0.0.0.0/0 written with host bits", resources: () => [group("alb", "sg-alb", { ingress: [tcp(443, { cidrBlocks: ["10.1.2.3/0"] })] })], message: /from 10\.1\.2\.3\/0 \(together every public IPv4 address\)/ },
        { label: "0.0.0.0/0 with padding and a zero-padded prefix", resources: () => [group("alb", "sg-alb", { ingress: [tcp(443, { cidrBlocks: [" 0.0.0.0/00 "] })] })], message: /from {2}0\.0\.0\.0\/00 {2}\(together every public IPv4 address\)/ },
        { label: "a range that cannot be read counts as public", resources: () => [group("alb", "sg-alb", { ingress: [tcp(443, { cidrBlocks: ["0/0"] })] })], message: /from 0\/0 \(unreadable, so counted as public\)/ },
        { label: "a public office range", resources: () => [resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "office", { securityGroupId: "sg-alb", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "203.0.113.0/24" })], message: /from 203\.0\.113\.0\/24\./ },
        { label: "a range just wider than RFC 1918", resources: () => [group("db", "sg-db", { ingress: [tcp(5432, { cidrBlocks: ["10.0.0.0/7"] })] })], message: /on tcp 5432-5432 from 10\.0\.0\.0\/7\./ },
        { label: "a global unicast IPv6 block", resources: () => [group("alb", "sg-alb", { ingress: [tcp(443, { ipv6CidrBlocks: ["2000::/3"] })] })], message: /from 2000::\/3\./ },
      ],
    },
    "sg-no-admin-ports": {
      passing: [
        { label: "only the app port", resources: () => [group("web", "sg-web", { ingress: [tcp(8080, { securityGroups: ["sg-alb"] })] })] },
        { label: "ports next to the admin ones, and UDP on an SSH port number", resources: () => [group("web", "sg-web", { ingress: [tcp(2222, { cidrBlocks: ["10.0.0.0/8"] }), { protocol: "udp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] })] },
      ],
      violating: [
        { label: "SSH from the office", resources: () => [group("web", "sg-web", { ingress: [tcp(22, { cidrBlocks: ["203.0.113.0/24"] })] })], message: /Security group web opens SSH \(tcp 22\) to public addresses 203\.0\.113\.0\/24\./ },
        { label: "all traffic from a peer group covers RDP", resources: () => [resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "all", { securityGroupId: "sg-web", ipProtocol: "-1", referencedSecurityGroupId: "sg-ops" })], message: /Rule all opens SSH \(tcp 22\), Telnet \(tcp 23\), RDP \(tcp 3389\), RDP \(udp 3389\), VNC \(tcp 5900\), WinRM \(tcp 5985\), WinRM \(tcp 5986\) to sg-ops\./ },
        {
          label: "SSH from two /1 rule blocks names both ranges",
          resources: () => [group("web", "sg-web", { ingress: [tcp(22, { cidrBlocks: ["0.0.0.0/1"] }), { protocol: "6", fromPort: 0, toPort: 1024, cidrBlocks: ["128.0.0.0/1"], securityGroups: ["sg-ops"] }] })],
          message: /opens SSH \(tcp 22\) to public addresses 0\.0\.0\.0\/1, 128\.0\.0\.0\/1 \(together every public IPv4 address\) and to sg-ops\./,
        },
        // Remote administration beyond TCP 22 and 3389.
        { label: "RDP over UDP, protocol given by number", resources: () => [resource("aws:ec2/securityGroupRule:SecurityGroupRule", "rdp-udp", { type: "ingress", securityGroupId: "sg-web", protocol: "17", fromPort: 3389, toPort: 3389, sourceSecurityGroupId: "sg-ops" })], message: /opens RDP \(udp 3389\) to sg-ops/ },
        { label: "Telnet from a private range", resources: () => [group("web", "sg-web", { ingress: [tcp(23, { cidrBlocks: ["10.0.0.0/8"] })] })], message: /opens Telnet \(tcp 23\) to 10\.0\.0\.0\/8\./ },
        { label: "VNC from a peer group", resources: () => [group("web", "sg-web", { ingress: [tcp(5900, { securityGroups: ["sg-ops"] })] })], message: /opens VNC \(tcp 5900\)/ },
        { label: "WinRM over HTTPS from itself", resources: () => [group("web", "sg-web", { ingress: [tcp(5986, { self: true })] })], message: /opens WinRM \(tcp 5986\) to self/ },
      ],
    },
    "sg-data-tier-no-open-egress": {
      passing: [
        { label: "data tier groups without world egress", resources: () => [database(), search(), group("db", "sg-db", { ingress: [tcp(5432, { securityGroups: ["sg-web"] })] }), group("search", "sg-search", {})] },
        { label: "egress to half the internet on different ports does not add up", resources: () => [database(), group("db", "sg-db", { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/1"] }, { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["128.0.0.0/1"] }] })] },
        { label: "world egress on the web tier is not the data tier", resources: () => [database(), group("db", "sg-db", {}), group("web", "sg-web", { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })] },
      ],
      violating: [
        { label: "inline world egress on the database group", resources: () => [database(), group("db", "sg-db", { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })], message: /Security group db of database catalog allows egress all traffic to 0.0.0.0\/0/, urn: urnOf("aws:ec2/securityGroup:SecurityGroup", "db") },
        { label: "an egress rule resource on the search group", resources: () => [search(), group("search", "sg-search", {}), resource("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "search-out", { securityGroupId: "sg-search", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" })], message: /of search domain search allows egress tcp 443-443 to ::\/0/ },
        {
          label: "two /1 egress rule resources on the database group, together the whole internet",
          resources: () => [
            database(), group("db", "sg-db", {}),
            resource("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "db-low", { securityGroupId: "sg-db", ipProtocol: "-1", cidrIpv4: "0.0.0.0/1" }),
            resource("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "db-high", { securityGroupId: "sg-db", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "128.0.0.0/1" }),
          ],
          message: /Security group db of database catalog allows egress tcp 443-443 to 128\.0\.0\.0\/1, 0\.0\.0\.0\/1 \(together every public IPv4 address\)/,
        },
        { label: "::0/0 inline egress on the search group", resources: () => [search(), group("search", "sg-search", { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::0/0"] }] })], message: /allows egress all traffic to ::0\/0/ },
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
