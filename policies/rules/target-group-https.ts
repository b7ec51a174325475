// Encryption all the way to the instance: the ALB re-encrypts to its targets. `aws.lb` and its
// alias module `aws.alb` register different type tokens, so the policy covers both.
import * as aws from "@pulumi/aws";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { resourcePolicy, type ShopPolicy } from "../lib/define.js";
import { validateTyped, type InputsOf } from "../lib/typed.js";
import { stringOf } from "../lib/values.js";

type TargetGroupInputs = InputsOf<aws.lb.TargetGroupArgs>;

function check(group: TargetGroupInputs, args: ResourceValidationArgs, report: (message: string) => void): void {
  if (group.targetType === "lambda") args.notApplicable("Lambda target groups have no protocol");
  if (stringOf(group.protocol) === "HTTP") {
    report("The target group forwards plain HTTP, so requests (cookies, checkout bodies) cross the VPC unencrypted after the ALB terminates TLS.");
  }
}

export const targetGroupHttps = resourcePolicy({
  name: "target-group-https",
  description: "Target groups use HTTPS in prod: the ALB re-encrypts to the instances instead of forwarding plain HTTP.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "load-balancer",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps:
    "Set web.tlsToTargets: true in the stack config: the LoadBalancer's target group and its health checks then use HTTPS " +
    "(targetProtocol: \"HTTPS\") and the WebTier's instances serve TLS on the app port with a certificate generated at boot.",
  validateResource: [validateTyped(aws.lb.TargetGroup, check), validateTyped(aws.alb.TargetGroup, check)],
});

export const targetGroupHttpsPolicies: readonly ShopPolicy[] = [targetGroupHttps];
