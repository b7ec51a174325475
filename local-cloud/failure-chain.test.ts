import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect, it } from "vitest";
import { runUnderMocks } from "./index.js";

it("a failed Output feeding a chain of resources fails the run instead of hanging", async () => {
  await expect(runUnderMocks(() => {
    class C extends pulumi.ComponentResource {
      constructor() {
        super("shop:test:C", "c", {});
        const key = new aws.kms.Key("k2", {}, { parent: this });
        const bad = key.arn.apply((arn) => { if (arn) throw new Error("component check failed"); return arn; });
        const role = new aws.iam.Role("r", { assumeRolePolicy: bad }, { parent: this });
        new aws.iam.RolePolicy("p", { role: role.name, policy: bad }, { parent: this });
        this.registerOutputs({ arn: role.arn });
      }
    }
    const c = new C();
    return { c: c.urn };
  }, { stack: "dev" })).rejects.toThrow(/component check failed/);
}, 15_000);
