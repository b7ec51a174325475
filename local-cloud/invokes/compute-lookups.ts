import {
  CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
  cloudFrontOriginFacingPrefixListId,
  elbServiceAccountId,
} from "../aws-facts.js";
import { MockCloudError } from "../errors.js";
import type { InvokeContext, InvokeHandler } from "./invoke-context.js";

// Lookups around EC2: managed prefix lists, AMIs, public SSM parameters, the ELB log account.

function prefixListNameOf(c: InvokeContext): string | undefined {
  const byName = c.args.string("name");
  if (byName !== undefined) return byName;
  const filter = c.args.records("filters").find((f) => f.string("name") === "prefix-list-name");
  return filter?.strings("values")[0];
}

/** An AMI id stable for (region, what was asked): `ami-` + 17 hex. */
function amiId(c: InvokeContext, query: string): string {
  return `ami-${c.hex(17, `ami:${query}`)}`;
}

function architectureOf(query: string): string {
  return /arm64|aarch64/.test(query) ? "arm64" : "x86_64";
}

export const computeLookups: Readonly<Record<string, InvokeHandler>> = {
  "aws:ec2/getManagedPrefixList:getManagedPrefixList": (c) => {
    const name = prefixListNameOf(c) ?? "";
    const id =
      c.args.string("id") ??
      (name === CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST ? cloudFrontOriginFacingPrefixListId(c.region) : undefined) ??
      `pl-${c.hex(8, `prefix-list:${name}`)}`;
    return {
      id,
      name,
      arn: c.arn("ec2", `prefix-list/${id}`, { account: "aws" }),
      addressFamily: "IPv4",
      // CloudFront's list counts as 55 rules against a security group's quota.
      maxEntries: name === CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST ? 55 : 50,
      ownerId: "AWS",
      entries: [],
      tags: {},
      version: 1,
      region: c.region,
    };
  },

  "aws:ec2/getAmi:getAmi": (c) => {
    const nameFilter = c.args.records("filters").find((f) => f.string("name") === "name")?.strings("values")[0];
    const query = [nameFilter ?? c.args.string("nameRegex") ?? "any", ...c.args.strings("owners")].join("|");
    const id = amiId(c, query);
    const name = (nameFilter ?? "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64").replaceAll("*", "2023.6.20241212.0");
    const architecture = architectureOf(query);
    return {
      id,
      imageId: id,
      arn: c.arn("ec2", `image/${id}`, { account: "" }),
      name,
      description: name,
      architecture,
      ownerId: c.args.strings("owners").find((owner) => /^\d{12}$/.test(owner)) ?? "137112412989",
      imageOwnerAlias: "amazon",
      creationDate: "2024-12-12T00:00:00.000Z",
      rootDeviceName: "/dev/xvda",
      rootDeviceType: "ebs",
      virtualizationType: "hvm",
      hypervisor: "xen",
      enaSupport: true,
      bootMode: architecture === "arm64" ? "uefi" : "uefi-preferred",
      imdsSupport: "v2.0",
      imageType: "machine",
      platformDetails: "Linux/UNIX",
      public: true,
      state: "available",
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volume_size: "8", volume_type: "gp3", encrypted: "false" } }],
      tags: {},
      region: c.region,
    };
  },

  "aws:ssm/getParameter:getParameter": (c) => {
    const name = c.args.string("name") ?? "";
    const created = c.inventory.find("aws:ssm/parameter:Parameter", (entry) => entry.id === name || entry.state.arn === name);
    if (created !== undefined) {
      return { ...created.state, id: created.id, name: created.id, version: 1, withDecryption: c.args.boolean("withDecryption") ?? true };
    }
    if (!name.startsWith("/aws/service/")) {
      throw new MockCloudError(
        `ssm:GetParameter ${name}: ParameterNotFound. The mock cloud only knows AWS public parameters (/aws/service/...) ` +
          `and parameters this program creates; pass other values through stack config.`,
      );
    }
    // Public parameters (AMI ids and the like) belong to no account.
    const value = name.includes("/ami-") ? amiId(c, name) : `mock-value-of-${name}`;
    return {
      id: name,
      name,
      arn: c.arn("ssm", `parameter${name}`, { account: "" }),
      type: "String",
      value,
      insecureValue: value,
      version: 1,
      withDecryption: c.args.boolean("withDecryption") ?? true,
      region: c.region,
    };
  },

  "aws:elb/getServiceAccount:getServiceAccount": (c) => {
    const region = c.args.string("region") ?? c.region;
    const account = elbServiceAccountId(region);
    if (account === undefined) {
      throw new MockCloudError(
        `elb/getServiceAccount: unsupported AWS Region ${region}: regions opened after August 2022 deliver ALB access logs ` +
          `through the logdelivery.elasticloadbalancing.amazonaws.com service principal instead of an account.`,
      );
    }
    return { id: account, arn: `arn:${c.partition.partition}:iam::${account}:root`, region };
  },
};
