import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, childName, type Transform } from "./conventions.js";

/** TLS 1.3 and 1.2 only, forward-secret ciphers: the ALB's recommended policy. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The AWS-managed prefix list of CloudFront's addresses that reach origins. */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/** ELB policies that allow nothing older than TLS 1.2. */
const TLS12_PLUS_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export interface LoadBalancerArgs {
  /** The VPC of the ALB and its target group. */
  vpcId: pulumi.Input<string>;
  /** The public subnets, one per AZ (an ALB needs two AZs at least). */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The port the app listens on: the target group sends there. @default 8080 */
  appPort?: number;
  /**
   * The origin's DNS name that CloudFront connects to (`origin.shop.example.com`). An ACM
   * certificate for it is requested in the ALB's region and validated through `hostedZoneId`.
   * Omit it only in a dev stack without a domain, together with `allowHttpOrigin`.
   */
  domainName?: pulumi.Input<string>;
  /** The Route 53 hosted zone that holds `domainName`; required with it. */
  hostedZoneId?: pulumi.Input<string>;
  /**
   * With no `domainName`, serve the origin over plain HTTP on port 80. For a dev stack without a
   * domain only: it logs a loud warning, and the policy pack flags the HTTP listener.
   * @default false
   */
  allowHttpOrigin?: boolean;
  /** The secret origin header's name (from the Cdn component). */
  originHeaderName: pulumi.Input<string>;
  /** The secret origin header's value (from the Cdn component, a Pulumi secret). Requests without it get 403. */
  originHeaderValue: pulumi.Input<string>;
  /** The bucket for access logs (the LogBucket component's; SSE-S3, with the ELB log delivery policy). */
  accessLogsBucket: pulumi.Input<string>;
  /**
   * Key prefix of the access logs, without leading or trailing slash: the LogBucket's
   * `albLogPrefix`, which its bucket policy lets ELB write below.
   * @default "alb"
   */
  accessLogsPrefix?: string;
  /** Seconds a connection may stay idle, 1 to 4000. @default 60 */
  idleTimeoutSeconds?: number;
  /** Deletion protection; turn it off in dev only. @default true */
  deletionProtection?: boolean;
  /** The HTTPS listener's security policy; TLS 1.2 or newer only. @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  sslPolicy?: string;
  /** The target group's health check path (200 expected). @default "/readyz" */
  healthCheckPath?: string;
  /** Seconds a deregistering target keeps its in-flight requests, 0 to 3600. @default 30 */
  deregistrationDelaySeconds?: number;
  /** Override hooks for the important children's args. */
  transforms?: {
    loadBalancer?: Transform<aws.lb.LoadBalancerArgs>;
    securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    listener?: Transform<aws.lb.ListenerArgs>;
    forwardRule?: Transform<aws.lb.ListenerRuleArgs>;
    targetGroup?: Transform<aws.lb.TargetGroupArgs>;
    certificate?: Transform<aws.acm.CertificateArgs>;
  };
}

interface Settings {
  readonly appPort: number;
  readonly idleTimeout: number;
  readonly sslPolicy: string;
  readonly deregistrationDelay: number;
  readonly accessLogsPrefix: string;
  readonly healthCheckPath: string;
  readonly https: boolean;
}

function integerIn(owner: string, key: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${owner}: ${key} must be an integer from ${min} to ${max}; got ${value}.`);
  }
  return value;
}

function settingsOf(name: string, args: LoadBalancerArgs): Settings {
  const owner = `LoadBalancer "${name}"`;
  const sslPolicy = args.sslPolicy ?? DEFAULT_SSL_POLICY;
  if (!TLS12_PLUS_POLICY.test(sslPolicy)) {
    throw new Error(`${owner}: sslPolicy "${sslPolicy}" allows TLS older than 1.2; use ${DEFAULT_SSL_POLICY} or another TLS 1.2+ policy.`);
  }
  if ((args.domainName === undefined) !== (args.hostedZoneId === undefined)) {
    throw new Error(`${owner}: domainName and hostedZoneId go together: the certificate is validated through a record in that zone.`);
  }
  const https = args.domainName !== undefined;
  if (!https && args.allowHttpOrigin !== true) {
    throw new Error(
      `${owner}: no domainName, so the origin would be plain HTTP. Pass domainName and hostedZoneId for an HTTPS origin, ` +
        `or allowHttpOrigin: true in a dev stack without a domain.`,
    );
  }
  const accessLogsPrefix = args.accessLogsPrefix ?? "alb";
  if (accessLogsPrefix.startsWith("/") || accessLogsPrefix.endsWith("/") || accessLogsPrefix.includes("AWSLogs")) {
    throw new Error(`${owner}: accessLogsPrefix "${accessLogsPrefix}" must have no leading or trailing slash and must not contain AWSLogs (ELB adds it).`);
  }
  const healthCheckPath = args.healthCheckPath ?? "/readyz";
  if (!/^\/\S{0,1023}$/.test(healthCheckPath)) {
    throw new Error(`${owner}: healthCheckPath must start with "/" and hold no spaces; got "${healthCheckPath}".`);
  }
  return {
    appPort: integerIn(owner, "appPort", args.appPort ?? 8080, 1, 65535),
    idleTimeout: integerIn(owner, "idleTimeoutSeconds", args.idleTimeoutSeconds ?? 60, 1, 4000),
    deregistrationDelay: integerIn(owner, "deregistrationDelaySeconds", args.deregistrationDelaySeconds ?? 30, 0, 3600),
    sslPolicy,
    accessLogsPrefix,
    healthCheckPath,
    https,
  };
}

/**
 * The origin ALB behind CloudFront. Only CloudFront's origin-facing addresses reach it, and only
 * requests that carry the Cdn's secret origin header are forwarded; everything else gets 403.
 * TLS 1.2+ with a DNS-validated regional certificate, strict header handling, access logs.
 *
 * Its security group gets no egress here: the WebTier adds the one egress rule (to the web
 * security group, on the app port) together with the web group's ingress from this group, so
 * neither component depends on the other's group at creation and there is no cycle.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  public readonly loadBalancerArn: pulumi.Output<string>;
  /** `app/<name>/<id>`: the CloudWatch `LoadBalancer` dimension. */
  public readonly arnSuffix: pulumi.Output<string>;
  public readonly dnsName: pulumi.Output<string>;
  /** The ALB's canonical hosted zone, for Route 53 alias records. */
  public readonly zoneId: pulumi.Output<string>;
  public readonly listenerArn: pulumi.Output<string>;
  public readonly targetGroupArn: pulumi.Output<string>;
  /** `targetgroup/<name>/<id>`: the CloudWatch `TargetGroup` dimension. */
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** The validated certificate; `undefined` for an HTTP origin. */
  public readonly certificateArn: pulumi.Output<string> | undefined;
  /** What CloudFront must speak to this origin. */
  public readonly originProtocol: "https" | "http";
  public readonly listenerPort: number;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = settingsOf(name, args);
    super("shop:web:LoadBalancer", name, {}, opts);
    this.originProtocol = settings.https ? "https" : "http";
    this.listenerPort = settings.https ? 443 : 80;
    if (!settings.https) {
      void pulumi.log.warn(
        `LoadBalancer "${name}": NO DOMAIN, so CloudFront reaches this origin over PLAIN HTTP (port 80) and the origin header ` +
          `travels unencrypted. Acceptable for a throwaway dev stack only; set domain and hostedZoneId to get HTTPS.`,
        this,
      );
    }

    const securityGroup = new aws.ec2.SecurityGroup(
      childName(name, "alb-sg"),
      applyTransform<aws.ec2.SecurityGroupArgs>(
        { vpcId: args.vpcId, description: `ALB ${name}: ${this.listenerPort} from CloudFront only; egress to the web tier only` },
        args.transforms?.securityGroup,
      ),
      { parent: this },
    );
    this.securityGroupId = securityGroup.id;
    const cloudFront = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, { parent: this });
    new aws.vpc.SecurityGroupIngressRule(
      childName(name, "alb-from-cloudfront"),
      {
        securityGroupId: securityGroup.id,
        prefixListId: cloudFront.id,
        ipProtocol: "tcp",
        fromPort: this.listenerPort,
        toPort: this.listenerPort,
        description: "CloudFront origin-facing addresses",
      },
      { parent: this },
    );

    const alb = new aws.lb.LoadBalancer(
      childName(name, "alb"),
      applyTransform<aws.lb.LoadBalancerArgs>(
        {
          loadBalancerType: "application",
          internal: false,
          ipAddressType: "ipv4",
          securityGroups: [securityGroup.id],
          subnets: args.subnetIds,
          dropInvalidHeaderFields: true,
          desyncMitigationMode: "strictest",
          enableDeletionProtection: args.deletionProtection ?? true,
          idleTimeout: settings.idleTimeout,
          enableHttp2: true,
          accessLogs: { bucket: args.accessLogsBucket, prefix: settings.accessLogsPrefix, enabled: true },
        },
        args.transforms?.loadBalancer,
      ),
      { parent: this },
    );

    const targetGroup = new aws.lb.TargetGroup(
      childName(name, "web"),
      applyTransform<aws.lb.TargetGroupArgs>(
        {
          vpcId: args.vpcId,
          targetType: "instance",
          port: settings.appPort,
          protocol: "HTTP",
          protocolVersion: "HTTP1",
          deregistrationDelay: settings.deregistrationDelay,
          healthCheck: {
            enabled: true,
            protocol: "HTTP",
            port: "traffic-port",
            path: settings.healthCheckPath,
            matcher: "200",
            interval: 15,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 3,
          },
        },
        args.transforms?.targetGroup,
      ),
      { parent: this },
    );

    this.certificateArn = settings.https && args.domainName !== undefined && args.hostedZoneId !== undefined
      ? this.validatedCertificate(name, args.domainName, args.hostedZoneId, args.transforms?.certificate)
      : undefined;

    const listener = new aws.lb.Listener(
      childName(name, settings.https ? "https" : "http"),
      applyTransform<aws.lb.ListenerArgs>(
        {
          loadBalancerArn: alb.arn,
          port: this.listenerPort,
          protocol: settings.https ? "HTTPS" : "HTTP",
          ...(this.certificateArn === undefined ? {} : { certificateArn: this.certificateArn, sslPolicy: settings.sslPolicy }),
          routingHttpResponseServerEnabled: false,
          // Whoever lacks the origin header (anyone but CloudFront) gets this.
          defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "403", contentType: "text/plain", messageBody: "Forbidden" } }],
        },
        args.transforms?.listener,
      ),
      { parent: this },
    );
    new aws.lb.ListenerRule(
      childName(name, "from-cloudfront"),
      applyTransform<aws.lb.ListenerRuleArgs>(
        {
          listenerArn: listener.arn,
          priority: 10,
          conditions: [{ httpHeader: { httpHeaderName: args.originHeaderName, values: [pulumi.secret(args.originHeaderValue)] } }],
          actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        },
        args.transforms?.forwardRule,
      ),
      { parent: this },
    );

    this.loadBalancerArn = alb.arn;
    this.arnSuffix = alb.arnSuffix;
    this.dnsName = alb.dnsName;
    this.zoneId = alb.zoneId;
    this.listenerArn = listener.arn;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      arnSuffix: this.arnSuffix,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      listenerArn: this.listenerArn,
      targetGroupArn: this.targetGroupArn,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      securityGroupId: this.securityGroupId,
      certificateArn: this.certificateArn,
      originProtocol: this.originProtocol,
      listenerPort: this.listenerPort,
    });
  }

  /** A regional ACM certificate for the origin name, DNS-validated; resolves once it is issued. */
  private validatedCertificate(
    name: string,
    domainName: pulumi.Input<string>,
    hostedZoneId: pulumi.Input<string>,
    transform: Transform<aws.acm.CertificateArgs> | undefined,
  ): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(
      childName(name, "origin-cert"),
      applyTransform<aws.acm.CertificateArgs>({ domainName, validationMethod: "DNS", keyAlgorithm: "RSA_2048" }, transform),
      { parent: this },
    );
    const validation = certificate.domainValidationOptions.apply((options) => {
      const [first] = options;
      if (first === undefined) throw new Error(`LoadBalancer "${name}": ACM returned no DNS validation record for the origin certificate.`);
      return first;
    });
    const record = new aws.route53.Record(
      childName(name, "origin-cert-validation"),
      {
        zoneId: hostedZoneId,
        name: validation.resourceRecordName,
        type: validation.resourceRecordType,
        records: [validation.resourceRecordValue],
        ttl: 60,
        // The primary and DR ALBs certify the same name: ACM asks both for the same record.
        allowOverwrite: true,
      },
      { parent: this },
    );
    return new aws.acm.CertificateValidation(
      childName(name, "origin-cert-issued"),
      { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
      { parent: this },
    ).certificateArn;
  }
}
