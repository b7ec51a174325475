// The web instances' cloud-init user data: Node.js 20 from the AL2023 repositories, the app
// artifact from S3, a hardened systemd unit whose environment comes from the runtime SSM
// parameters at every start, the CloudWatch agent (app logs, memory, disk) and the X-Ray daemon.
// It carries names and ARNs only: every secret is read on the instance, at run time.

/** The app's environment variables and the runtime SSM parameters they are read from. */
export const RUNTIME_ENVIRONMENT = {
  databaseEndpoint: "DATABASE_ENDPOINT",
  databaseSecretArn: "DATABASE_SECRET_ARN",
  searchEndpoint: "SEARCH_ENDPOINT",
  searchIndexAlias: "SEARCH_INDEX_ALIAS",
} as const;

export type RuntimeParameter = keyof typeof RUNTIME_ENVIRONMENT;

/** EC2 refuses user data over 16 KiB (before base64). */
export const USER_DATA_LIMIT_BYTES = 16_384;

export const APP_USER = "storefront";
const APP_DIR = "/opt/storefront/app";
const LOG_DIR = "/var/log/storefront";
const LIBEXEC = "/usr/local/libexec/shop";
const AGENT_CONFIG = "/etc/shop/cloudwatch-agent.json";

/** Where the boot-time self-signed certificate and key for HTTPS to the targets live (root-owned, the app's group reads). */
export const TLS_DIR = "/etc/shop/tls";
export const TLS_CERT_FILE = `${TLS_DIR}/cert.pem`;
export const TLS_KEY_FILE = `${TLS_DIR}/key.pem`;

export interface UserDataSpec {
  /** The component's name, for messages and comments. */
  readonly name: string;
  readonly region: string;
  /** The partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`). */
  readonly dnsSuffix: string;
  readonly appPort: number;
  /** Serve HTTPS on appPort with a self-signed certificate generated at first boot. @default false */
  readonly tlsToTargets?: boolean | undefined;
  /** The app's entry script, relative to the artifact's root. */
  readonly appEntrypoint: string;
  readonly artifact: {
    readonly bucket: string;
    readonly key: string;
    /** The S3 version to fetch; absent: the current object. */
    readonly versionId: string | undefined;
    /** A label that changes with the artifact (version id, ETag, build id); recorded on the instance. */
    readonly revision: string | undefined;
  };
  /** Runtime SSM parameter names. */
  readonly runtimeParameters: Readonly<Record<RuntimeParameter, string>>;
  readonly appLogGroupName: string;
  readonly metricsNamespace: string;
}

/** One word for bash, whatever it holds. *//** One word for bash, whatever it holds. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

function script(lines: readonly string[]): string {
  return `#!/bin/bash\nset -euo pipefail\n${lines.join("\n")}\n`;
}

function bootstrapScript(spec: UserDataSpec): string {
  const xrayRpm = `https://s3.${spec.region}.${spec.dnsSuffix}/aws-xray-assets.${spec.region}/xray-daemon/aws-xray-daemon-arm64-3.x.rpm`;
  return script([
    `# First boot of a ${spec.name} instance: app user, artifact, CloudWatch agent, X-Ray daemon, app service.`,
    `export AWS_REGION=${shellQuote(spec.region)}`,
    `id -u ${APP_USER} >/dev/null 2>&1 || useradd --system --home-dir /opt/storefront --shell /sbin/nologin ${APP_USER}`,
    ...(spec.tlsToTargets === true ? selfSignedCertificateLines() : []),
    `${LIBEXEC}/install-artifact`,
    `dnf install -y ${shellQuote(xrayRpm)}`,
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${AGENT_CONFIG}`,
    "systemctl daemon-reload",
    "systemctl enable --now xray.service storefront.service",
  ]);
}

/**
 * A key and self-signed certificate for HTTPS from the ALB: the ALB encrypts to its targets but
 * does not validate their certificates, so nothing else is needed. Root owns them; the app's
 * group reads the key.
 */
function selfSignedCertificateLines(): string[] {
  return [
    `install -d -o root -g ${APP_USER} -m 0750 ${TLS_DIR}`,
    `test -s ${TLS_KEY_FILE} || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=${APP_USER} -keyout ${TLS_KEY_FILE} -out ${TLS_CERT_FILE}`,
    `chown root:${APP_USER} ${TLS_KEY_FILE} ${TLS_CERT_FILE} && chmod 0640 ${TLS_KEY_FILE} && chmod 0644 ${TLS_CERT_FILE}`,
  ];
}

function installArtifactScript(spec: UserDataSpec): string {
  const { bucket, key, versionId } = spec.artifact;
  const versionArgs = versionId === undefined ? "" : ` --version-id ${shellQuote(versionId)}`;
  return script([
    "# Fetches the app artifact (a .tar.gz of the built app, node_modules included) and unpacks it read-only.",
    `export AWS_REGION=${shellQuote(spec.region)}`,
    "archive=$(mktemp --suffix=.tar.gz)",
    `trap 'rm -f "$archive"' EXIT`,
    `aws s3api get-object --bucket ${shellQuote(bucket)} --key ${shellQuote(key)}${versionArgs} "$archive" >/dev/null`,
    `rm -rf ${APP_DIR} && mkdir -p ${APP_DIR}`,
    `tar -xzf "$archive" -C ${APP_DIR} --no-same-owner`,
    `test -f ${shellQuote(`${APP_DIR}/${spec.appEntrypoint}`)} || { echo "the artifact has no ${spec.appEntrypoint}" >&2; exit 1; }`,
    `chmod -R a+rX,go-w ${APP_DIR}`,
  ]);
}

function fetchRuntimeEnvScript(spec: UserDataSpec): string {
  const reads = (Object.keys(RUNTIME_ENVIRONMENT) as RuntimeParameter[]).map(
    (parameter) => `  read_parameter ${shellQuote(spec.runtimeParameters[parameter])} ${RUNTIME_ENVIRONMENT[parameter]}`,
  );
  return script([
    "# Runs before every start of storefront.service. The runtime parameters hold the endpoints; after a DR",
    "# failover they name the promoted region's, so restarting the service is all the fleet needs.",
    `export AWS_REGION=${shellQuote(spec.region)}`,
    "target=/run/storefront/runtime.env",
    "read_parameter() {",
    "  local value",
    `  value=$(aws ssm get-parameter --name "$1" --with-decryption --query Parameter.Value --output text)`,
    `  if [[ ! "$value" =~ ^[A-Za-z0-9._:/@+=,-]+$ ]]; then echo "parameter $1 holds characters an environment file cannot carry" >&2; return 1; fi`,
    `  printf '%s=%s\\n' "$2" "$value"`,
    "}",
    `{`,
    ...reads,
    ...(spec.tlsToTargets === true ? [`  printf '%s\\n' TLS_CERT_FILE=${TLS_CERT_FILE} TLS_KEY_FILE=${TLS_KEY_FILE}`] : []),
    `} > "$target.tmp"`,
    `chgrp ${APP_USER} "$target.tmp" && chmod 0640 "$target.tmp" && mv "$target.tmp" "$target"`,
  ]);
}

function systemdUnit(spec: UserDataSpec): string {
  return [
    "[Unit]",
    `Description=shop-platform storefront (${spec.name})`,
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `User=${APP_USER}`,
    `Group=${APP_USER}`,
    "RuntimeDirectory=storefront",
    "RuntimeDirectoryMode=0750",
    "LogsDirectory=storefront",
    // "+": runs as root, outside the sandbox; "-": the file is absent until that command wrote it.
    `ExecStartPre=+${LIBEXEC}/fetch-runtime-env`,
    "EnvironmentFile=-/run/storefront/runtime.env",
    "Environment=NODE_ENV=production",
    `Environment=PORT=${spec.appPort}`,
    `Environment=AWS_REGION=${spec.region}`,
    "Environment=AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:2000",
    `WorkingDirectory=${APP_DIR}`,
    `ExecStart=/usr/bin/node-20 ${APP_DIR}/${spec.appEntrypoint}`,
    "Restart=always",
    "RestartSec=5",
    `StandardOutput=append:${LOG_DIR}/app.log`,
    `StandardError=append:${LOG_DIR}/app.log`,
    "NoNewPrivileges=yes",
    "ProtectSystem=strict",
    "ProtectHome=yes",
    "PrivateTmp=yes",
    "PrivateDevices=yes",
    "ProtectKernelTunables=yes",
    "ProtectKernelModules=yes",
    "ProtectControlGroups=yes",
    "RestrictSUIDSGID=yes",
    "LockPersonality=yes",
    "CapabilityBoundingSet=",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

function cloudWatchAgentConfig(spec: UserDataSpec): string {
  const logFile = (path: string, stream: string) => ({
    file_path: path,
    log_group_name: spec.appLogGroupName,
    log_stream_name: `{instance_id}/${stream}`,
  });
  return `${JSON.stringify(
    {
      agent: { metrics_collection_interval: 60 },
      logs: {
        logs_collected: {
          files: { collect_list: [logFile(`${LOG_DIR}/app.log`, "app"), logFile("/var/log/cloud-init-output.log", "cloud-init")] },
        },
      },
      metrics: {
        namespace: spec.metricsNamespace,
        append_dimensions: { AutoScalingGroupName: "${aws:AutoScalingGroupName}", InstanceId: "${aws:InstanceId}" },
        aggregation_dimensions: [["AutoScalingGroupName"]],
        metrics_collected: {
          mem: { measurement: ["mem_used_percent"] },
          disk: { measurement: ["used_percent"], resources: ["/"], ignore_file_system_types: ["sysfs", "devtmpfs", "tmpfs"] },
        },
      },
    },
    null,
    2,
  )}\n`;
}

const LOGROTATE = `${LOG_DIR}/*.log {\n  daily\n  rotate 7\n  compress\n  missingok\n  notifempty\n  copytruncate\n}\n`;

/** The cloud-config document (plain text; the launch template wants it base64-encoded). */
export function renderUserData(spec: UserDataSpec): string {
  const file = (path: string, content: string, permissions: string) => ({ path, content, permissions, owner: "root:root" });
  const config = {
    // Patches arrive as new AMIs (a new launch template version and an instance refresh), not at boot.
    package_update: false,
    packages: ["nodejs20", "amazon-cloudwatch-agent", ...(spec.tlsToTargets === true ? ["openssl"] : [])],
    write_files: [
      file(`${LIBEXEC}/bootstrap`, bootstrapScript(spec), "0755"),
      file(`${LIBEXEC}/install-artifact`, installArtifactScript(spec), "0755"),
      file(`${LIBEXEC}/fetch-runtime-env`, fetchRuntimeEnvScript(spec), "0755"),
      file("/etc/systemd/system/storefront.service", systemdUnit(spec), "0644"),
      file(AGENT_CONFIG, cloudWatchAgentConfig(spec), "0644"),
      file("/etc/logrotate.d/storefront", LOGROTATE, "0644"),
      file("/etc/shop/artifact", `${JSON.stringify({ ...spec.artifact }, null, 2)}\n`, "0644"),
    ],
    runcmd: [[`${LIBEXEC}/bootstrap`]],
  };
  const revision = spec.artifact.revision ?? spec.artifact.versionId ?? "unversioned";
  // JSON is YAML: cloud-init reads it as is, and no YAML library is needed here.
  const text = `#cloud-config\n# shop-platform web tier ${spec.name}; artifact revision ${JSON.stringify(revision)}\n${JSON.stringify(config, null, 2)}\n`;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > USER_DATA_LIMIT_BYTES) {
    throw new Error(`WebTier "${spec.name}": the user data is ${bytes} bytes; EC2 allows ${USER_DATA_LIMIT_BYTES}. Shorten the names passed in.`);
  }
  return text;
}
