import { availabilityZoneIds, availabilityZoneNames, regionDescription } from "../aws-facts.js";
import type { InvokeHandler } from "./invoke-context.js";

// Account- and region-level facts: who am I, where am I, which AZs exist here.

export const accountInvokes: Readonly<Record<string, InvokeHandler>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": (c) => ({
    id: c.accountId,
    accountId: c.accountId,
    arn: c.arn("sts", "assumed-role/shop-platform-deployer/shopctl", { region: "" }),
    userId: `AROA${c.upper(17, "deployer-role")}:shopctl`,
  }),

  // v7 returns the region as `region` and keeps the deprecated `name` for older programs.
  "aws:index/getRegion:getRegion": (c) => {
    const region = c.args.string("region") ?? c.args.string("name") ?? c.args.string("id") ?? c.region;
    return {
      id: region,
      region,
      name: region,
      description: regionDescription(region),
      endpoint: `ec2.${region}.${c.partition.dnsSuffix}`,
    };
  },

  "aws:index/getPartition:getPartition": (c) => ({
    id: c.partition.partition,
    partition: c.partition.partition,
    dnsSuffix: c.partition.dnsSuffix,
    reverseDnsPrefix: c.partition.reverseDnsPrefix,
  }),

  "aws:index/getAvailabilityZones:getAvailabilityZones": (c) => {
    const state = c.args.string("state");
    const excludedNames = new Set(c.args.strings("excludeNames"));
    const excludedIds = new Set(c.args.strings("excludeZoneIds"));
    const names = availabilityZoneNames(c.region);
    const ids = availabilityZoneIds(c.region);
    // Every standard AZ is "available"; asking for any other state finds none.
    const keep = names
      .map((name, index) => ({ name, zoneId: ids[index] ?? "" }))
      .filter((zone) => (state === undefined || state === "available") && !excludedNames.has(zone.name) && !excludedIds.has(zone.zoneId));
    return {
      id: c.region,
      region: c.region,
      names: keep.map((zone) => zone.name),
      zoneIds: keep.map((zone) => zone.zoneId),
      groupNames: [c.region],
      ...(state === undefined ? {} : { state }),
      ...(c.args.has("excludeNames") ? { excludeNames: [...excludedNames] } : {}),
      ...(c.args.has("excludeZoneIds") ? { excludeZoneIds: [...excludedIds] } : {}),
    };
  },

  "aws:index/getDefaultTags:getDefaultTags": (c) => ({ id: "aws", tags: { ...c.defaultTags } }),
};
