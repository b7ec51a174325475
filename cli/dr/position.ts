import { Journal } from "./journal.js";
import { OPERATIONS, type Operation } from "./paths.js";

/**
 * Where the stack stands, as this machine's DR journals tell it: as declared (no failover, or one
 * fully failed back), failed over (a finished failover that no finished failback standby phase
 * followed), or in the middle of a DR run. The journals live under $SHOPCTL_HOME, so a run from
 * another machine is not seen here.
 */
export type DrPosition =
  | { kind: "as-declared" }
  | { kind: "failed-over"; runId: string; finishedAt: string }
  | { kind: "run-unfinished"; operation: Operation; runId: string; startedAt: string };

export function drPosition(dir: string): DrPosition {
  for (const operation of OPERATIONS.filter((name) => name !== "drill")) {
    const open = Journal.load(dir, operation);
    if (open !== undefined && !open.finished) return { kind: "run-unfinished", operation, runId: open.runId, startedAt: open.start.at };
  }
  const failover = Journal.lastFinished(dir, "failover");
  const failoverAt = failover?.finishedAt;
  if (failover === undefined || failoverAt === undefined) return { kind: "as-declared" };
  const restoredAt = Journal.lastFinished(dir, "failback-standby")?.finishedAt;
  if (restoredAt !== undefined && restoredAt > failoverAt) return { kind: "as-declared" };
  return { kind: "failed-over", runId: failover.runId, finishedAt: new Date(failoverAt).toISOString() };
}

/** `failback-switch` -> `failback switch`: the command that runs an operation. */
function command(operation: Operation): string {
  return operation.replace("-", " ");
}

/** Why deploying the declared stack now would fight a DR run, or undefined when it would not. */
export function drConflict(stack: string, position: DrPosition): string | undefined {
  if (position.kind === "as-declared") return undefined;
  const why = "the program declares the primary region serving and the DR database a replica: an up now would scale the DR fleet back to its standby size, restore the primary's health check and try to manage the promoted DR database as a replica";
  if (position.kind === "failed-over") {
    return `stack ${stack} is failed over (failover run ${position.runId} finished ${position.finishedAt}, no failback standby phase since) and ${why}. Fail back first: \`shopctl failback --stack ${stack}\` shows the next phase`;
  }
  return `stack ${stack} has an unfinished ${command(position.operation)} run (${position.runId}, started ${position.startedAt}) and ${why}. Finish it first: \`shopctl ${command(position.operation)} --stack ${stack} --resume\``;
}
