import { describe, expect, it } from "vitest";
import { anyInAlarm, DEFAULT_THRESHOLDS, resolveThresholds } from "./alarms.js";
import { databaseSection, edgeSection, layout, searchSection, webSection, type Widget } from "./dashboard.js";
import { ArgsChecker } from "../common/args.js";

function overlaps(a: Widget, b: Widget): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe("dashboard layout", () => {
  const sections = [
    webSection({ loadBalancerArnSuffix: "app/a/1", targetGroupArnSuffix: "targetgroup/t/2", autoScalingGroupName: "asg" }),
    databaseSection({ instanceId: "db", allocatedStorageGb: 20, isReplica: true }),
    searchSection({ domainName: "search", volumeGb: 10, accountId: "123456789012" }),
  ];

  it("places every widget on the 24-column grid without overlaps", () => {
    const widgets = layout(sections, "eu-west-1", ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a"]);
    expect(widgets).toHaveLength(1 + 3 + 6 + 6 + 5);
    for (const widget of widgets) expect(widget.x + widget.width).toBeLessThanOrEqual(24);
    for (const [index, widget] of widgets.entries()) {
      for (const other of widgets.slice(index + 1)) expect(overlaps(widget, other), `${JSON.stringify(widget.properties.title)} / ${JSON.stringify(other.properties.title)}`).toBe(false);
    }
  });

  it("leaves out the alarm widget without alarms and sections without graphs", () => {
    const widgets = layout([{ title: "Empty", graphs: [] }, ...sections.slice(2)], "eu-west-1");
    expect(widgets.map((widget) => widget.type)).toEqual(["text", "metric", "metric", "metric", "metric", "metric"]);
    expect(widgets[0]?.y).toBe(0);
  });

  it("the edge section has a WAF graph only with a web ACL metric name", () => {
    expect(edgeSection("E1", undefined).graphs.map((graph) => graph.title)).not.toContain("WAF requests");
    expect(edgeSection("E1", "acl").graphs.map((graph) => graph.title)).toContain("WAF requests");
  });
});

describe("alarm helpers", () => {
  it("anyInAlarm quotes every name and needs at least one", () => {
    expect(anyInAlarm(["a-1", "b"])).toBe('ALARM("a-1") OR ALARM("b")');
    expect(() => anyInAlarm([])).toThrow(/needs at least one alarm/);
  });

  it("resolveThresholds keeps the defaults it is not given", () => {
    expect(resolveThresholds(new ArgsChecker("test"), { rdsCpuPercent: 70 })).toEqual({ ...DEFAULT_THRESHOLDS, rdsCpuPercent: 70 });
    expect(() => resolveThresholds(new ArgsChecker("test"), { albMinRequestsPerMinute: 2.5 })).toThrow(/test: thresholds.albMinRequestsPerMinute is 2.5; expected a whole number from 0/);
  });
});
