// Drive a command through a real pseudo-terminal, as a person at a keyboard would: wait for each
// prompt's text, then type the answer. node-pty needs a native build, so Python's `pty` module
// (python3 is part of the toolchain, see scripts/services.sh) owns the terminal.
import { spawn } from "node:child_process";

export interface PtyStep {
  /** Wait until the screen text (ANSI codes stripped) since the previous step's match shows this. */
  expect: RegExp;
  /** Keys to type once it does: "\r" is Enter, KEYS.down an arrow key. */
  send?: string;
}

export interface PtyResult {
  /** Exit status, or null when the process had to be killed. */
  code: number | null;
  /** Everything the terminal showed, ANSI codes stripped. */
  output: string;
  /** The step that never showed up before its timeout, if any. */
  timedOutAt: number | null;
}

export const KEYS = { enter: "\r", down: "\u001b[B", up: "\u001b[A", backspace: "\u007f" } as const;

const DRIVER = String.raw`
import json, os, pty, re, select, signal, struct, sys, time, fcntl, termios

spec = json.loads(sys.stdin.read())
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], spec["env"])

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
ansi = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
raw = b""
seen = 0
timed_out = None
eof = False

def text():
    return ansi.sub("", raw.decode("utf-8", "replace")).replace("\r", "")

def pump(deadline):
    global raw, eof
    while not eof and time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, min(0.1, deadline - time.time())))
        if not ready:
            return
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            eof = True
            return
        raw += chunk

for index, step in enumerate(spec["steps"]):
    pattern = re.compile(step["expect"])
    deadline = time.time() + spec["stepTimeout"]
    match = None
    while time.time() < deadline:
        match = pattern.search(text(), seen)
        if match or eof:
            break
        pump(min(deadline, time.time() + 0.2))
    match = match or pattern.search(text(), seen)
    if not match:
        timed_out = index
        break
    seen = match.end()
    if step.get("send"):
        time.sleep(0.05)
        os.write(fd, step["send"].encode())

deadline = time.time() + (spec["exitTimeout"] if timed_out is None else 0.5)
while not eof and time.time() < deadline:
    pump(deadline)
code = None
# The terminal closes a moment before the process is reaped: poll for its exit status.
while True:
    waited, status = os.waitpid(pid, os.WNOHANG)
    if waited != 0:
        code = os.waitstatus_to_exitcode(status)
        break
    if time.time() >= deadline:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        break
    if eof:
        time.sleep(0.05)
    else:
        pump(min(deadline, time.time() + 0.05))
print(json.dumps({"code": code, "output": text(), "timedOutAt": timed_out}))
`;

/**
 * Run `argv` on a pseudo-terminal, answering prompts with `steps`. Each step waits at most
 * `stepTimeoutMs` for its text; the command then has `exitTimeoutMs` to finish.
 */
export async function runInPty(
  argv: readonly string[],
  steps: readonly PtyStep[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stepTimeoutMs?: number; exitTimeoutMs?: number },
): Promise<PtyResult> {
  const spec = {
    argv,
    cwd: options.cwd,
    env: Object.fromEntries(Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    steps: steps.map((step) => ({ expect: step.expect.source, send: step.send ?? "" })),
    stepTimeout: (options.stepTimeoutMs ?? 20_000) / 1000,
    exitTimeout: (options.exitTimeoutMs ?? 20_000) / 1000,
  };
  const child = spawn("python3", ["-c", DRIVER], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  child.stdin.end(JSON.stringify(spec));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (status !== 0) throw new Error(`the pty driver (python3) failed with status ${String(status)}: ${stderr}`);
  return JSON.parse(stdout) as PtyResult;
}
