// Network: subnets.
import * as aws from "@pulumi/aws";
import { resourcePolicy, type ShopPolicy } from "../lib/define.js";
import { validateTyped } from "../lib/typed.js";
import { isTrue } from "../lib/values.js";

export const noPublicIpOnLaunch = resourcePolicy({
  name: "subnet-no-public-ip-on-launch",
  description:
    "No subnet gives the instances and network interfaces launched into it a public IPv4 address (mapPublicIpOnLaunch): " +
    "nothing in the public subnets needs one (NAT gateways have Elastic IPs, load balancers their own addresses), so nothing is reachable from the internet by accident.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "network",
  compliance: { pciDss: "1.4.4", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Set mapPublicIpOnLaunch to false, or leave it out (false is the Network component's default, and AWS's for a subnet it creates); " +
    "put what must be reached from the internet behind the ALB, or give it an Elastic IP deliberately.",
  validateResource: [
    validateTyped(aws.ec2.Subnet, (subnet, args, report) => {
      if (isTrue(subnet.mapPublicIpOnLaunch)) report(`Subnet ${args.name} maps a public IPv4 address on launch (mapPublicIpOnLaunch is true).`);
    }),
    validateTyped(aws.ec2.DefaultSubnet, (subnet, args, report) => {
      if (isTrue(subnet.mapPublicIpOnLaunch)) report(`Default subnet ${args.name} maps a public IPv4 address on launch (mapPublicIpOnLaunch is true).`);
    }),
  ],
});

export const subnetPolicies: readonly ShopPolicy[] = [noPublicIpOnLaunch];
