import { describe } from "vitest";
import { describePolicies, resource, urnOf } from "../testing.js";
import { subnetPolicies } from "./subnets.js";

const subnet = (name: string, props: Record<string, unknown>) =>
  resource("aws:ec2/subnet:Subnet", name, { vpcId: "vpc-1", availabilityZone: "eu-west-1a", cidrBlock: "10.0.0.0/24", ...props });

describe("subnet policies", () => {
  describePolicies(subnetPolicies, {
    "subnet-no-public-ip-on-launch": {
      passing: [
        { label: "a public subnet with mapPublicIpOnLaunch false", resources: () => [subnet("primary-vpc-public-1", { mapPublicIpOnLaunch: false, tags: { SubnetType: "Public" } })] },
        { label: "a subnet that leaves it out (AWS's default is false)", resources: () => [subnet("primary-vpc-private-1", {})] },
        { label: "a default subnet with it turned off", resources: () => [resource("aws:ec2/defaultSubnet:DefaultSubnet", "default-a", { availabilityZone: "eu-west-1a", mapPublicIpOnLaunch: false })] },
      ],
      violating: [
        {
          label: "awsx's public subnet as awsx declares it",
          resources: () => [subnet("primary-vpc-public-1", { mapPublicIpOnLaunch: true, tags: { SubnetType: "Public" } })],
          message: /^Subnet primary-vpc-public-1 maps a public IPv4 address on launch \(mapPublicIpOnLaunch is true\)\.$/,
          urn: urnOf("aws:ec2/subnet:Subnet", "primary-vpc-public-1"),
        },
        { label: "a private subnet that maps public IPs", resources: () => [subnet("primary-vpc-private-1", { mapPublicIpOnLaunch: true })], message: /Subnet primary-vpc-private-1 maps a public IPv4 address/ },
        { label: "a default subnet that keeps mapping public IPs", resources: () => [resource("aws:ec2/defaultSubnet:DefaultSubnet", "default-a", { availabilityZone: "eu-west-1a", mapPublicIpOnLaunch: true })], message: /Default subnet default-a maps a public IPv4 address on launch/ },
      ],
    },
  });
});
