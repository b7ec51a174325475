import * as pulumi from "@pulumi/pulumi";
import { awsName } from "../conventions.js";
import type { SearchDomainArgs } from "../search.js";
import { ArgsChecker } from "../common/args.js";
import { checkOpsCidrs } from "../common/data-store-access.js";
import { checkLogRetention } from "../common/log-retention.js";

const SEARCH_INSTANCE = /^[a-z][a-z0-9]*\.[a-z0-9]+\.search$/;
const BURSTABLE = /^t[23]\./;
const DOMAIN_NAME = /^[a-z][a-z0-9-]{2,27}$/;

/** The args with their defaults applied, once checked. */
export interface SearchSettings {
  domainName: string;
  engineVersion: string;
  instanceType: string;
  instanceCount: number;
  dedicatedMasters: number;
  masterInstanceType: string;
  volumeGb: number;
  /** The zones the domain spans. */
  zones: number;
  autoTune: boolean;
  logRetentionDays: number;
  /** The subnets the domain uses, one per zone. */
  subnetIds: pulumi.Output<string[]>;
}

/** The zones a domain spans: one for a single node, else min(azCount, 3). */
export function searchZones(instanceCount: number, azCount: number): number {
  return instanceCount > 1 ? Math.min(azCount, 3) : 1;
}

/** Checks every arg (naming the component, the arg, the value and what is expected) and applies the defaults. */
export function validateSearchArgs(name: string, args: SearchDomainArgs): SearchSettings {
  const check = new ArgsChecker(`SearchDomain "${name}"`);
  const domainName = check.matches(
    args.domainName === undefined ? "domainName (derived from the component name)" : "domainName",
    args.domainName ?? awsName(name.toLowerCase(), 28),
    DOMAIN_NAME,
    "3 to 28 characters: a lower-case letter, then lower-case letters, digits or hyphens",
  );
  const engineVersion = check.matches("engineVersion", args.engineVersion ?? "OpenSearch_2.19", /^OpenSearch_2\.\d+$/, "an OpenSearch 2.x version such as OpenSearch_2.19");
  const instanceType = check.matches("instanceType", args.instanceType ?? "r6g.large.search", SEARCH_INSTANCE, "an OpenSearch instance type such as r6g.large.search");
  const instanceCount = check.integer("instanceCount", args.instanceCount ?? 3, 1, 80);
  const dedicatedMasters = check.oneOf<number>("dedicatedMasters", args.dedicatedMasters ?? 3, [0, 3, 5]);
  const masterInstanceType = check.matches("masterInstanceType", args.masterInstanceType ?? "m6g.large.search", SEARCH_INSTANCE, "an OpenSearch instance type such as m6g.large.search");
  const volumeGb = check.integer("volumeGb", args.volumeGb ?? 100, 10, 24_576);
  const azCount = check.integer("azCount", args.azCount ?? 3, 1, 6);
  const zones = searchZones(instanceCount, azCount);
  if (instanceCount % zones !== 0) check.fail("instanceCount", instanceCount, `a multiple of the ${zones} zones the domain spans`);
  const burstable = BURSTABLE.test(instanceType);
  const autoTune = args.autoTune ?? !burstable;
  if (autoTune && burstable) check.fail("autoTune", true, `false for ${instanceType}: T2/T3 instance types cannot use Auto-Tune`);
  const logRetentionDays = checkLogRetention(check, args.logRetentionDays ?? 365);
  checkOpsCidrs(check, args.opsCidrBlocks);
  const subnetIds = domainSubnets(check, args.subnetIds, zones);
  return { domainName, engineVersion, instanceType, instanceCount, dedicatedMasters, masterInstanceType, volumeGb, zones, autoTune, logRetentionDays, subnetIds };
}

/** The subnets the domain uses: one per zone, checked when the list is plain and again once known. */
function domainSubnets(check: ArgsChecker, subnetIds: SearchDomainArgs["subnetIds"], zones: number): pulumi.Output<string[]> {
  const enough = (count: number) => {
    if (count < zones) check.fail("subnetIds", `${count} subnet(s)`, `at least ${zones} private subnets, one per zone the domain spans`);
  };
  if (Array.isArray(subnetIds)) enough(subnetIds.length);
  return pulumi.output(subnetIds).apply((ids) => {
    enough(ids.length);
    return ids.slice(0, zones);
  });
}
