import { describe, expect, it } from "vitest";
import { firstDifferentLine, staleFiles } from "./reference.js";

describe("stale check", () => {
  const files = [
    { file: "docs/reference/a.md", content: "# A\n\nsame\nnew line\n" },
    { file: "docs/reference/b.md", content: "# B\n" },
    { file: "docs/reference/c.md", content: "# C\n" },
  ];
  const onDisk = new Map([
    ["/repo/docs/reference/a.md", "# A\n\nsame\nold line\n"],
    ["/repo/docs/reference/b.md", "# B\n"],
  ]);

  it("reports a file whose content differs, at its first differing line, and a missing file", () => {
    expect(staleFiles(files, "/repo", (file) => onDisk.get(file))).toEqual([
      { file: "docs/reference/a.md", line: 4, message: expect.stringContaining("stale") as unknown },
      { file: "docs/reference/c.md", line: 1, message: expect.stringContaining("missing") as unknown },
    ]);
  });

  it("reports nothing when every file matches byte for byte", () => {
    expect(staleFiles(files.slice(1, 2), "/repo", (file) => onDisk.get(file))).toEqual([]);
  });

  it("finds the first differing line, including a difference in length only", () => {
    expect(firstDifferentLine("a\nb\n", "a\nb\n")).toBe(4);
    expect(firstDifferentLine("a\nb", "a\nb\nc")).toBe(3);
    expect(firstDifferentLine("x", "y")).toBe(1);
  });
});
