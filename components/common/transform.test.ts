import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { transform } from "./transform.js";

interface Args {
  name?: string;
  tags?: Record<string, string>;
  rules?: string[];
  nested?: { a?: number; b?: number };
  value?: pulumi.Input<string>;
}

describe("transform", () => {
  const base: Args = { name: "x", tags: { Owner: "team" }, rules: ["a", "b"], nested: { a: 1, b: 2 } };

  it("returns the child unchanged without a transform", () => {
    const opts = { protect: true };
    expect(transform<Args>(undefined, "child", base, opts)).toEqual(["child", base, opts]);
  });

  it("merges an object over the args: plain objects key by key, arrays replaced whole", () => {
    const [name, args] = transform<Args>({ tags: { CostCenter: "cc" }, rules: ["c"], nested: { b: 3 } }, "child", base, {});
    expect(name).toBe("child");
    expect(args).toEqual({ name: "x", tags: { Owner: "team", CostCenter: "cc" }, rules: ["c"], nested: { a: 1, b: 3 } });
    expect(base.tags).toEqual({ Owner: "team" });
  });

  it("replaces an Output whole instead of merging into it", () => {
    const output = pulumi.output("secret");
    const [, args] = transform<Args>({ value: output }, "child", { value: "plain" }, {});
    expect(args.value).toBe(output);
  });

  it("lets a function edit args and options in place and rename the child", () => {
    const [name, args, opts] = transform<Args>((a, o, current) => {
      a.name = "y";
      o.protect = true;
      return `${current}-renamed`;
    }, "child", { ...base }, {});
    expect(name).toBe("child-renamed");
    expect(args.name).toBe("y");
    expect(opts.protect).toBe(true);
  });

  it("takes a nested object with only the keys to change, typed against the args", () => {
    interface Behavior { compress?: pulumi.Input<boolean>; ttl?: pulumi.Input<number> }
    interface DistributionLike { defaultCacheBehavior: pulumi.Input<Behavior>; comment?: string }
    const [, args] = transform<DistributionLike>({ defaultCacheBehavior: { compress: false } }, "cdn", { defaultCacheBehavior: { compress: true, ttl: 60 } }, {});
    expect(args.defaultCacheBehavior).toEqual({ compress: false, ttl: 60 });
  });

  it("keeps the name when the function returns nothing", () => {
    expect(transform<Args>(() => undefined, "child", base, {})[0]).toBe("child");
  });
});
