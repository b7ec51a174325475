/**
 * Patterns that both the stack config schema and the components check, so a value the config
 * accepts is never refused by a component (or the other way round).
 */

/** A lower-case DNS name with at least two labels, such as shop.example.com. */
export const DNS_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** An AWS Backup schedule: `cron(...)` with six fields, such as cron(0 3 * * ? *). */
export const BACKUP_CRON = /^cron\(\S+( \S+){5}\)$/;

/** A Graviton (arm64) EC2 instance type such as t4g.small or m7g.large: the web tier runs the arm64 AMI. */
export const GRAVITON_INSTANCE = /^[a-z]+\d+g[a-z]*\.(nano|micro|small|medium|large|\d*xlarge|metal)$/;

/** An AWS region name such as eu-central-1. */
export const AWS_REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;
