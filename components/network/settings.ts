import { ArgsChecker } from "../common/args.js";
import { checkLogRetention } from "../common/log-retention.js";
import type { NetworkArgs } from "../network.js";

/** `per-az`: one NAT gateway per AZ (no cross-AZ dependency); `single`: one for the VPC (cheaper, dev). */
export type NatGatewayMode = "single" | "per-az";

/** Services that get an interface endpoint: what SSM, the CloudWatch agent, X-Ray and the app call. */
export const INTERFACE_ENDPOINT_SERVICES = [
  "ssm",
  "ssmmessages",
  "ec2messages",
  "logs",
  "monitoring",
  "xray",
  "secretsmanager",
  "kms",
] as const;

/** The prefix lengths of the blocks cut from the VPC's CIDR. */
export interface SubnetLayout {
  readonly zoneMask: number;
  readonly privateMask: number;
  readonly isolatedMask: number;
  readonly publicMask: number;
}

/** The args with their defaults applied, once checked. */
export interface Settings {
  readonly cidr: string;
  readonly azCount: number;
  readonly nat: NatGatewayMode;
  readonly retentionDays: number;
  readonly layout: SubnetLayout;
  readonly interfaceEndpoints: boolean;
  readonly services: readonly string[];
  readonly mapPublicIpOnLaunch: boolean;
}

const PRIVATE_RANGES: readonly (readonly [number, number])[] = [
  [ipv4ToInt("10.0.0.0"), 8],
  [ipv4ToInt("172.16.0.0"), 12],
  [ipv4ToInt("192.168.0.0"), 16],
];

/** Service short names such as `ssm` or `ecr.api`. */
const SERVICE_SHORT_NAME = /^[a-z0-9][a-z0-9.-]*$/;

function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
}

function inRange(address: number, [base, mask]: readonly [number, number]): boolean {
  const size = 2 ** (32 - mask);
  return address >= base && address < base + size;
}

/**
 * Per AZ: private subnets take the first half, isolated (data) a quarter, public (ALB, NAT) an
 * eighth; the last eighth stays free for later. With 3 AZs the fourth AZ-sized block stays free.
 */
export function subnetLayout(check: ArgsChecker, cidr: string, azCount: number): SubnetLayout {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (match === null || octets.some((octet) => octet > 255) || prefix > 32) check.fail("cidr", cidr, "an IPv4 CIDR such as 10.30.0.0/16");
  const address = ipv4ToInt(octets.join("."));
  check.require(PRIVATE_RANGES.some((range) => inRange(address, range) && prefix >= range[1]), "cidr", cidr,
    `cidr must lie in private address space (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16); got "${cidr}"`);
  check.require(prefix >= 16 && prefix <= 24, "cidr", cidr, `cidr must be from /16 to /24 (AWS allows /16 at most); got /${prefix}`);
  check.require(address % 2 ** (32 - prefix) === 0, "cidr", cidr, `cidr "${cidr}" has host bits set; its network address is not ${octets.join(".")}`);
  const zoneMask = prefix + Math.ceil(Math.log2(azCount));
  const layout = { zoneMask, privateMask: zoneMask + 1, isolatedMask: zoneMask + 2, publicMask: zoneMask + 3 };
  check.require(layout.publicMask <= 28, "cidr", cidr,
    `cidr ${cidr} is too small for ${azCount} AZs: the public subnets would be /${layout.publicMask}, ` +
      `and AWS subnets are /28 at the smallest. Use a larger CIDR or fewer AZs`);
  return layout;
}

/** Checks every arg with a clear error and applies the defaults. */
export function settingsOf(name: string, args: NetworkArgs): Settings {
  const check = new ArgsChecker(`Network "${name}"`);
  const cidr = args.cidr ?? "10.0.0.0/16";
  // An ALB needs two AZs.
  const azCount = check.integer("azCount", args.azCount ?? 3, 2, 6);
  // Args may come from untyped config: check the mode at run time too.
  const nat = check.oneOf<unknown>("nat", args.nat ?? "per-az", ["single", "per-az"]) as NatGatewayMode;
  const retentionDays = checkLogRetention(check, args.flowLogRetentionDays ?? 365, "flowLogRetentionDays");
  const layout = subnetLayout(check, cidr, azCount);
  const services = args.interfaceEndpointServices ?? INTERFACE_ENDPOINT_SERVICES;
  for (const service of services) {
    check.matches("interfaceEndpointServices", service, SERVICE_SHORT_NAME, "service short names such as ssm or logs");
  }
  const mapPublicIpOnLaunch = check.oneOf<unknown>("mapPublicIpOnLaunch", args.mapPublicIpOnLaunch ?? false, [true, false]) as boolean;
  return { cidr, azCount, nat, retentionDays, layout, interfaceEndpoints: args.interfaceEndpoints ?? true, services, mapPublicIpOnLaunch };
}
