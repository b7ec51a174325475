// The web instances' own permissions, beside AWS's AmazonSSMManagedInstanceCore (Session Manager
// instead of SSH). Every resource-scoped action names its resource; the few actions AWS cannot
// scope to a resource (X-Ray, PutMetricData, DescribeTags) take "*", PutMetricData under a
// namespace condition.

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

/** Actions that support no resource-level permission: the only ones allowed on "*". */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  "cloudwatch:PutMetricData",
  "ec2:DescribeTags",
];

export interface InstancePolicyInputs {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The partition's DNS suffix, for `kms:ViaService`. */
  readonly dnsSuffix: string;
  readonly artifact: {
    readonly bucket: string;
    readonly key: string;
    /** A pinned version needs s3:GetObjectVersion too. */
    readonly versioned: boolean;
    readonly kmsKeyArn: string | undefined;
  };
  readonly parameterNames: readonly string[];
  readonly databaseSecretArn: string;
  /** The key of the database secret and of SecureString runtime parameters. */
  readonly secretsKmsKeyArn: string | undefined;
  readonly appLogGroupArn: string;
  readonly metricsNamespace: string;
}

export function parameterArn(inputs: Pick<InstancePolicyInputs, "partition" | "region" | "account">, name: string): string {
  return `arn:${inputs.partition}:ssm:${inputs.region}:${inputs.account}:parameter${name.startsWith("/") ? "" : "/"}${name}`;
}

function viaService(inputs: InstancePolicyInputs, services: readonly string[]): Record<string, Record<string, string[]>> {
  return { StringEquals: { "kms:ViaService": services.map((service) => `${service}.${inputs.region}.${inputs.dnsSuffix}`) } };
}

export function instancePolicyDocument(inputs: InstancePolicyInputs): PolicyDocument {
  const { artifact } = inputs;
  const statements: PolicyStatement[] = [
    {
      Sid: "ReadAppArtifact",
      Effect: "Allow",
      Action: artifact.versioned ? ["s3:GetObject", "s3:GetObjectVersion"] : ["s3:GetObject"],
      Resource: `arn:${inputs.partition}:s3:::${artifact.bucket}/${artifact.key}`,
    },
    {
      Sid: "ReadRuntimeParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: [...new Set(inputs.parameterNames.map((name) => parameterArn(inputs, name)))],
    },
    {
      Sid: "ReadDatabaseSecret",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      Resource: inputs.databaseSecretArn,
    },
  ];
  if (inputs.secretsKmsKeyArn !== undefined) {
    statements.push({
      Sid: "DecryptSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: inputs.secretsKmsKeyArn,
      Condition: viaService(inputs, ["secretsmanager", "ssm"]),
    });
  }
  if (artifact.kmsKeyArn !== undefined) {
    statements.push({
      Sid: "DecryptAppArtifact",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: artifact.kmsKeyArn,
      Condition: viaService(inputs, ["s3"]),
    });
  }
  statements.push(
    {
      Sid: "WriteAppLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [inputs.appLogGroupArn, `${inputs.appLogGroupArn}:*`],
    },
    {
      Sid: "PutAgentMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:PutMetricData"],
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": inputs.metricsNamespace } },
    },
    {
      // The CloudWatch agent reads the instance's aws:autoscaling:groupName tag for its dimension.
      Sid: "DescribeInstanceTags",
      Effect: "Allow",
      Action: ["ec2:DescribeTags"],
      Resource: "*",
    },
    {
      Sid: "WriteTraces",
      Effect: "Allow",
      Action: [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries",
      ],
      Resource: "*",
    },
  );
  return { Version: "2012-10-17", Statement: statements };
}
