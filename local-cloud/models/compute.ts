import { loadBalancerZoneId } from "../aws-facts.js";
import type { ModelTable, ResourceContext, ResourceModel } from "../resource-model.js";
import { parseArn, vpcOfSubnets, zonesOfSubnets } from "./shared.js";

// Elastic Load Balancing v2 (under both the `lb` and `alb` modules) and EC2 Auto Scaling.

function subnetIdsOf(r: ResourceContext): string[] {
  const direct = r.inputs.strings("subnets");
  if (direct.length > 0) return direct;
  return r.inputs.records("subnetMappings").flatMap((mapping) => mapping.string("subnetId") ?? []);
}

const loadBalancer: ResourceModel = {
  tagged: true,
  autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 32 },
  defaults: {
    desyncMitigationMode: "defensive",
    dropInvalidHeaderFields: false,
    enableDeletionProtection: false,
    enableHttp2: true,
    enableWafFailOpen: false,
    idleTimeout: 60,
    internal: false,
    ipAddressType: "ipv4",
    loadBalancerType: "application",
    preserveHostHeader: false,
    xffHeaderProcessingMode: "append",
  },
  create(r) {
    const type = r.inputs.string("loadBalancerType") ?? "application";
    const kind = type === "network" ? "net" : type === "gateway" ? "gwy" : "app";
    const arnSuffix = `${kind}/${r.physicalName}/${r.hex(16, "lb")}`;
    const arn = r.arn("elasticloadbalancing", `loadbalancer/${arnSuffix}`);
    const internal = r.inputs.boolean("internal") === true ? "internal-" : "";
    const dnsName =
      type === "network"
        ? `${internal}${r.physicalName}-${r.hex(16, "dns")}.elb.${r.region}.${r.dnsSuffix}`
        : `${internal}${r.physicalName}-${r.digits(10, "dns")}.${r.region}.elb.${r.dnsSuffix}`;
    const subnets = subnetIdsOf(r);
    return {
      id: arn,
      outputs: {
        arn,
        arnSuffix,
        dnsName,
        zoneId: loadBalancerZoneId(r.region, type),
        vpcId: vpcOfSubnets(r, subnets),
        subnets,
        subnetMappings: subnets.map((subnetId) => ({ subnetId, allocationId: "", ipv6Address: "", outpostId: "", privateIpv4Address: "" })),
      },
    };
  },
};

/** `.../listener/app/<lb-name>/<lb-hash>/<listener-hash>` from the load balancer's ARN. */
function listenerArn(r: ResourceContext): string {
  const lb = parseArn(r.inputs.string("loadBalancerArn"))?.resource.replace(/^loadbalancer\//, "") ?? `app/lb/${r.hex(16, "lb")}`;
  return r.arn("elasticloadbalancing", `listener/${lb}/${r.hex(16, "listener")}`);
}

const listener: ResourceModel = {
  tagged: true,
  create(r) {
    const arn = listenerArn(r);
    const protocol = r.inputs.string("protocol") ?? (r.inputs.string("certificateArn") === undefined ? "HTTP" : "HTTPS");
    const sslPolicy = protocol === "HTTPS" || protocol === "TLS" ? { sslPolicy: r.inputs.string("sslPolicy") ?? "ELBSecurityPolicy-2016-08" } : {};
    return { id: arn, outputs: { arn, protocol, ...sslPolicy } };
  },
};

const listenerRule: ResourceModel = {
  tagged: true,
  create(r) {
    const listenerPath = parseArn(r.inputs.string("listenerArn"))?.resource.replace(/^listener\//, "") ?? `app/lb/${r.hex(16, "lb")}/${r.hex(16, "listener")}`;
    const arn = r.arn("elasticloadbalancing", `listener-rule/${listenerPath}/${r.hex(16, "rule")}`);
    return { id: arn, outputs: { arn, priority: r.inputs.number("priority") ?? 1 } };
  },
};

const targetGroup: ResourceModel = {
  tagged: true,
  autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 32 },
  defaults: { deregistrationDelay: "300", proxyProtocolV2: false, slowStart: 0, targetType: "instance" },
  create(r) {
    const arnSuffix = `targetgroup/${r.physicalName}/${r.hex(16, "tg")}`;
    const arn = r.arn("elasticloadbalancing", arnSuffix);
    const protocol = r.inputs.string("protocol") ?? "HTTP";
    const healthCheck = r.inputs.record("healthCheck");
    return {
      id: arn,
      outputs: {
        arn,
        arnSuffix,
        loadBalancerArns: [],
        protocolVersion: r.inputs.string("protocolVersion") ?? "HTTP1",
        healthCheck: {
          enabled: true,
          healthyThreshold: 5,
          interval: 30,
          matcher: "200",
          path: "/",
          port: "traffic-port",
          protocol,
          timeout: 5,
          unhealthyThreshold: 2,
          ...(healthCheck?.values ?? {}),
        },
      },
    };
  },
};

export const computeModels: ModelTable = {
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:lb/listener:Listener": listener,
  "aws:alb/listener:Listener": listener,
  "aws:lb/listenerRule:ListenerRule": listenerRule,
  "aws:alb/listenerRule:ListenerRule": listenerRule,
  "aws:lb/targetGroup:TargetGroup": targetGroup,
  "aws:alb/targetGroup:TargetGroup": targetGroup,
  "aws:lb/listenerCertificate:ListenerCertificate": {
    create(r) {
      return { id: `${r.inputs.string("listenerArn") ?? ""}_${r.inputs.string("certificateArn") ?? ""}` };
    },
  },
  "aws:lb/targetGroupAttachment:TargetGroupAttachment": {
    create(r) {
      return { id: `${r.inputs.string("targetGroupArn") ?? ""}-${r.digits(20)}` };
    },
  },

  "aws:autoscaling/group:Group": {
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 255 },
    defaults: {
      capacityRebalance: false,
      defaultCooldown: 300,
      forceDelete: false,
      healthCheckGracePeriod: 300,
      healthCheckType: "EC2",
      protectFromScaleIn: false,
      waitForCapacityTimeout: "10m",
    },
    create(r) {
      const subnets = r.inputs.strings("vpcZoneIdentifiers");
      return {
        id: r.physicalName,
        outputs: {
          arn: r.arn("autoscaling", `autoScalingGroup:${r.uuid("asg")}:autoScalingGroupName/${r.physicalName}`),
          availabilityZones: r.inputs.strings("availabilityZones").length > 0 ? r.inputs.strings("availabilityZones") : zonesOfSubnets(r, subnets),
          predictedCapacity: 0,
          serviceLinkedRoleArn: r.globalArn("iam", "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
          warmPoolSize: 0,
        },
      };
    },
  },
  "aws:autoscaling/policy:Policy": {
    autoName: { property: "name", maxLength: 255 },
    defaults: { enabled: true, policyType: "SimpleScaling" },
    create(r) {
      const group = r.inputs.string("autoscalingGroupName") ?? "";
      return {
        id: r.physicalName,
        outputs: {
          arn: r.arn("autoscaling", `scalingPolicy:${r.uuid("policy")}:autoScalingGroupName/${group}:policyName/${r.physicalName}`),
        },
      };
    },
  },
  "aws:autoscaling/lifecycleHook:LifecycleHook": {
    autoName: { property: "name", maxLength: 255 },
    defaults: { defaultResult: "ABANDON", heartbeatTimeout: 3600 },
    create(r) {
      return { id: r.physicalName };
    },
  },
};
