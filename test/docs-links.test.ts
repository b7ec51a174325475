// The hand-written documentation links to itself a lot: the README's command map points into
// docs/cli.md, the guides point at each other and at the generated reference. Every relative link
// must reach an existing file, and every #anchor on a link to a markdown file must name a heading
// of that file, as GitHub renders it. The README stays short enough to read.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const README_MAX_LINES = 250;

/** The documents checked, relative to the repository root. */
function documents(): string[] {
  const docs = readdirSync(path.join(ROOT, "docs"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .map((file) => path.join("docs", file));
  return ["README.md", "CONTRIBUTING.md", "apps/storefront/README.md", "policies/README.md", ...docs.sort()];
}

/** The text outside fenced code blocks, line by line (fenced lines become empty: line numbers stay). */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split("\n").map((line) => {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (marker !== undefined) {
      if (fence === undefined) fence = marker[0] ?? "`";
      else if (marker.startsWith(fence)) fence = undefined;
      return "";
    }
    return fence === undefined ? line : "";
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped except hyphens and spaces, spaces to hyphens. */
function slug(heading: string): string {
  const text = heading
    .replace(/`/g, "")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M}\- _]/gu, "").replace(/ /g, "-");
}

/** Every anchor a markdown file offers: its headings' slugs, with GitHub's -1, -2 suffixes for repeats. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of proseLines(readFileSync(file, "utf8"))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${String(count)}`);
  }
  return result;
}

interface Link {
  line: number;
  target: string;
}

/** The inline links `[text](target)` of a document, outside code blocks and inline code. */
function links(text: string): Link[] {
  const result: Link[] = [];
  proseLines(text).forEach((raw, index) => {
    const line = raw.replace(/`[^`]*`/g, "");
    for (const match of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1];
      if (target !== undefined) result.push({ line: index + 1, target });
    }
  });
  return result;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** What is wrong with one link of `document`, or undefined. */
function problem(document: string, target: string): string | undefined {
  const hash = target.indexOf("#");
  const filePart = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = filePart === "" ? path.join(ROOT, document) : path.resolve(path.dirname(path.join(ROOT, document)), decodeURIComponent(filePart));
  if (!file.startsWith(ROOT + path.sep) && file !== ROOT) return "points outside the repository";
  if (!existsSync(file)) return `${path.relative(ROOT, file)} does not exist`;
  if (anchor === undefined) return undefined;
  if (!file.endsWith(".md") || !statSync(file).isFile()) return undefined;
  if (!anchors(file).has(anchor)) return `${path.relative(ROOT, file)} has no heading for #${anchor}`;
  return undefined;
}

describe("documentation links", () => {
  it("GitHub's heading slugs", () => {
    expect(slug("Deploying: preflight, progress, failures")).toBe("deploying-preflight-progress-failures");
    expect(slug("`dr status` and `backup` flags")).toBe("dr-status-and-backup-flags");
    expect(slug("Benchmark: `npm run bench:reindex`")).toBe("benchmark-npm-run-benchreindex");
    expect(slug("The storefront (`apps/storefront`)")).toBe("the-storefront-appsstorefront");
    expect(slug("3. Reading `dr status`")).toBe("3-reading-dr-status");
  });

  it.each(documents())("%s: every relative link reaches a file, every anchor a heading", (document) => {
    const text = readFileSync(path.join(ROOT, document), "utf8");
    const broken = links(text)
      .filter((link) => !isExternal(link.target))
      .map((link) => ({ link, reason: problem(document, link.target) }))
      .filter((entry) => entry.reason !== undefined)
      .map(({ link, reason }) => `${document}:${String(link.line)}: (${link.target}) ${reason ?? ""}`);
    expect(broken).toEqual([]);
  });

  it(`README.md is at most ${String(README_MAX_LINES)} lines`, () => {
    const lines = readFileSync(path.join(ROOT, "README.md"), "utf8").replace(/\n$/, "").split("\n").length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });
});
