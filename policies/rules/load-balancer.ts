// The ALB behind CloudFront. `aws.lb` and its alias module `aws.alb` register different type
// tokens, so every policy covers both.
import * as aws from "@pulumi/aws";
import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { identifiersOf, refersTo } from "../lib/references.js";
import { resourcesOf, validateTyped, type InputsOf, type StateOf } from "../lib/typed.js";
import { blockOf, blocksOf, isTrue, stringOf, stringsOf } from "../lib/values.js";
import { describeRule, rulesOfGroup, groupsWithIds } from "./network-rules.js";

type BalancerInputs = InputsOf<aws.lb.LoadBalancerArgs>;
type ListenerInputs = InputsOf<aws.lb.ListenerArgs>;

function isApplication(balancer: { loadBalancerType?: string | undefined }): boolean {
  return balancer.loadBalancerType === undefined || balancer.loadBalancerType === "application";
}

/** The same check for `aws.lb.LoadBalancer` and `aws.alb.LoadBalancer`, application load balancers only. */
function forApplicationBalancers(check: (balancer: BalancerInputs, report: (message: string) => void) => void) {
  const validate = (balancer: BalancerInputs, args: ResourceValidationArgs, report: (message: string) => void) => {
    if (!isApplication(balancer)) args.notApplicable("only application load balancers");
    check(balancer, report);
  };
  return [validateTyped(aws.lb.LoadBalancer, validate), validateTyped(aws.alb.LoadBalancer, validate)];
}

function forListeners(check: (listener: ListenerInputs, args: ResourceValidationArgs, report: (message: string) => void) => void) {
  return [validateTyped(aws.lb.Listener, check), validateTyped(aws.alb.Listener, check)];
}

interface Balancer {
  readonly resource: PolicyResource;
  readonly props: StateOf<aws.lb.LoadBalancer>;
}

function applicationBalancersOf(args: StackValidationArgs): Balancer[] {
  const balancers = resourcesOf<aws.lb.LoadBalancer | aws.alb.LoadBalancer>(args.resources, aws.lb.LoadBalancer, aws.alb.LoadBalancer)
    .filter((balancer) => isApplication({ loadBalancerType: stringOf(balancer.props.loadBalancerType) }));
  if (balancers.length === 0) args.notApplicable("the stack declares no application load balancer");
  return balancers;
}

export const httpsOnly = stackPolicy({
  name: "alb-https-only",
  description: "Every ALB has an HTTPS listener, and its HTTP listeners only redirect to HTTPS.",
  enforcementLevel: "advisory",
  advisoryBecause: "Without a domain a dev stack's ALB has no certificate and CloudFront reaches it over HTTP; stacks with a domain raise this to mandatory in their policy config.",
  severity: "high",
  service: "load-balancer",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps:
    "Give the stack a domain so the load balancer gets an ACM certificate; add an HTTPS listener on 443 with it and make the port-80 " +
    "listener's default action a redirect { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" }.",
  validateStack: (args, report) => {
    const listeners = resourcesOf<aws.lb.Listener | aws.alb.Listener>(args.resources, aws.lb.Listener, aws.alb.Listener);
    for (const balancer of applicationBalancersOf(args)) {
      const ids = identifiersOf(balancer.resource);
      const own = listeners.filter((listener) => refersTo(listener.resource, "loadBalancerArn", balancer.resource, ids));
      if (!own.some((listener) => listener.props.protocol === "HTTPS")) report(`Load balancer ${balancer.resource.name} has no HTTPS listener.`, balancer.resource.urn);
      for (const listener of own.filter((candidate) => candidate.props.protocol === "HTTP")) {
        const actions = blocksOf(listener.props.defaultActions);
        const redirects = actions.length > 0 && actions.every((action) => blockOf(action.redirect)?.protocol === "HTTPS");
        if (!redirects) report(`Listener ${listener.resource.name} serves plain HTTP instead of redirecting to HTTPS.`, listener.resource.urn);
      }
    }
  },
});

export const tlsPolicy = resourcePolicy({
  name: "alb-tls-policy",
  description: "Every HTTPS listener negotiates TLS 1.2 or later (an ELBSecurityPolicy-TLS13-*, -TLS-1-2-* or -FS-1-2-* policy).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "load-balancer",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set sslPolicy to \"ELBSecurityPolicy-TLS13-1-2-2021-06\" on the HTTPS listener (without one AWS applies ELBSecurityPolicy-2016-08, which allows TLS 1.0).",
  configSchema: {
    properties: {
      allowedPolicyPattern: {
        type: "string",
        default: "^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-",
        description: "A regular expression the listener's sslPolicy must match.",
      },
    },
  },
  validateResource: forListeners((listener, args, report) => {
    if (listener.protocol !== "HTTPS" && listener.protocol !== "TLS") args.notApplicable("only HTTPS and TLS listeners");
    const { allowedPolicyPattern } = args.getConfig<{ allowedPolicyPattern: string }>();
    const policy = stringOf(listener.sslPolicy);
    if (policy === undefined) report("The listener sets no sslPolicy, so AWS applies ELBSecurityPolicy-2016-08, which allows TLS 1.0.");
    else if (!new RegExp(allowedPolicyPattern).test(policy)) report(`The listener's sslPolicy ${policy} allows TLS versions below 1.2.`);
  }),
});

export const accessLogs = resourcePolicy({
  name: "alb-access-logs",
  description: "Every ALB writes access logs to S3.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "load-balancer",
  compliance: { pciDss: "10.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set accessLogs { enabled: true, bucket: <the stack's ALB log bucket> } on the load balancer; the bucket uses SSE-S3 and allows the regional ELB log delivery.",
  validateResource: forApplicationBalancers((balancer, report) => {
    const logs = blockOf(balancer.accessLogs);
    if (!isTrue(logs?.enabled) || stringOf(logs?.bucket) === undefined) report("The load balancer writes no access logs (accessLogs.enabled with a bucket).");
  }),
});

export const dropInvalidHeaders = resourcePolicy({
  name: "alb-drop-invalid-headers",
  description: "Every ALB drops HTTP headers that are not valid (request smuggling defence).",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "load-balancer",
  compliance: { pciDss: "2.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set dropInvalidHeaderFields: true on the load balancer.",
  validateResource: forApplicationBalancers((balancer, report) => {
    if (!isTrue(balancer.dropInvalidHeaderFields)) report("The load balancer forwards invalid HTTP header fields (dropInvalidHeaderFields is not true).");
  }),
});

export const deletionProtection = resourcePolicy({
  name: "alb-deletion-protection",
  description: "Every ALB has deletion protection.",
  enforcementLevel: "advisory",
  advisoryBecause: "Dev stacks are torn down and rebuilt freely (database.deletionProtection is false there); staging and prod raise this to mandatory in their policy config.",
  severity: "medium",
  service: "load-balancer",
  compliance: { pciDss: "2.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set enableDeletionProtection: true on the load balancer (the web tier does when the stack's deletion protection is on).",
  validateResource: forApplicationBalancers((balancer, report) => {
    if (!isTrue(balancer.enableDeletionProtection)) report("The load balancer has no deletion protection.");
  }),
});

export const cloudFrontOnly = stackPolicy({
  name: "alb-cloudfront-only",
  description: "An internet-facing ALB accepts traffic only from CloudFront's origin-facing prefix list.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "load-balancer",
  compliance: { pciDss: "1.3.1", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Give the load balancer a security group whose only ingress is the CloudFront origin-facing managed prefix list " +
    "(aws.ec2.getManagedPrefixList({ name: \"com.amazonaws.global.cloudfront.origin-facing\" })) on the listener ports, so the WAF cannot be bypassed.",
  configSchema: {
    properties: {
      cloudFrontPrefixListIds: {
        type: "array",
        items: { type: "string", pattern: "^pl-[0-9a-f]+$" },
        // AWS's published ids of com.amazonaws.global.cloudfront.origin-facing per region; add others' here.
        default: ["pl-58a04531", "pl-31a34658", "pl-b8a742d1", "pl-a3a144ca", "pl-4fa04526", "pl-93a247fa", "pl-3b927c52", "pl-b6a144df", "pl-4ea04527", "pl-82a045eb"],
        description: "The ids of CloudFront's origin-facing managed prefix list in the stack's regions.",
      },
    },
  },
  validateStack: (args, report) => {
    const { cloudFrontPrefixListIds } = args.getConfig<{ cloudFrontPrefixListIds: string[] }>();
    const publicBalancers = applicationBalancersOf(args).filter((balancer) => !isTrue(balancer.props.internal));
    if (publicBalancers.length === 0) args.notApplicable("the stack has no internet-facing application load balancer");
    for (const balancer of publicBalancers) {
      const groupIds = stringsOf(balancer.props.securityGroups);
      if (groupIds.length === 0) {
        report(`Load balancer ${balancer.resource.name} has no security group of its own, so the VPC's default group applies.`, balancer.resource.urn);
        continue;
      }
      for (const group of groupsWithIds(args.resources, groupIds)) {
        for (const rule of rulesOfGroup(args.resources, group).filter((candidate) => candidate.direction === "ingress")) {
          const fromCloudFront = rule.cidrs.length === 0 && rule.securityGroups.length === 0 && !rule.self
            && rule.prefixLists.length > 0 && rule.prefixLists.every((id) => cloudFrontPrefixListIds.includes(id));
          if (!fromCloudFront) report(`Security group ${group.name} of load balancer ${balancer.resource.name} allows ${describeRule(rule)}, not only CloudFront's origin-facing prefix list.`, group.urn);
        }
      }
    }
  },
});

export const loadBalancerPolicies: readonly ShopPolicy[] = [httpsOnly, tlsPolicy, accessLogs, dropInvalidHeaders, deletionProtection, cloudFrontOnly];
