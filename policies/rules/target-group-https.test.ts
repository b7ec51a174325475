import { describe, expect, it } from "vitest";
import { packConfigFor, relaxationsFor } from "../stack-profile.js";
import { describePolicies, resource } from "../testing.js";
import { targetGroupHttpsPolicies } from "./target-group-https.js";

function targetGroup(overrides: Record<string, unknown> = {}, type = "aws:lb/targetGroup:TargetGroup") {
  return resource(type, "web-tg", {
    vpcId: "vpc-1", targetType: "instance", port: 8080, protocol: "HTTPS", protocolVersion: "HTTP1",
    healthCheck: { enabled: true, protocol: "HTTPS", port: "traffic-port", path: "/readyz" },
    ...overrides,
  });
}

describe("target group policies", () => {
  describePolicies(targetGroupHttpsPolicies, {
    "target-group-https": {
      passing: [
        { label: "HTTPS to the targets", resources: () => [targetGroup()] },
        { label: "HTTPS on the alb module's target group", resources: () => [targetGroup({}, "aws:alb/targetGroup:TargetGroup")] },
        { label: "not applicable to Lambda targets", resources: () => [targetGroup({ targetType: "lambda", protocol: undefined, port: undefined })] },
      ],
      violating: [
        { label: "plain HTTP to the targets", resources: () => [targetGroup({ protocol: "HTTP", healthCheck: { protocol: "HTTP" } })], message: /forwards plain HTTP/ },
        { label: "plain HTTP on the alb module's target group", resources: () => [targetGroup({ protocol: "HTTP" }, "aws:alb/targetGroup:TargetGroup")], message: /forwards plain HTTP/ },
      ],
    },
  });

  it("is mandatory for prod and advisory, with a reason, below prod", () => {
    const profile = { allowedRegions: undefined, drRegion: undefined, hasDomain: true };
    expect(packConfigFor({ ...profile, tier: "prod" })["target-group-https"]).toBeUndefined();
    for (const tier of ["dev", "staging"] as const) {
      expect(packConfigFor({ ...profile, tier })["target-group-https"]).toBe("advisory");
      expect(relaxationsFor({ ...profile, tier }).find((relaxation) => relaxation.policy === "target-group-https")?.reason).toMatch(/\w/);
    }
  });
});
