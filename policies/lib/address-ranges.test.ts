import { describe, expect, it } from "vitest";
import { describePublic, parseCidr, readCidr, unionOf, wholeInternetFamilies, type AddressRange } from "./address-ranges.js";

const range = (cidr: string): AddressRange => {
  const parsed = parseCidr(cidr);
  if (parsed === undefined) throw new Error(`unreadable in the test: ${cidr}`);
  return parsed;
};

describe("address ranges", () => {
  it("reads IPv4 and IPv6 CIDRs, masking host bits", () => {
    expect(range("10.1.2.3/8")).toEqual({ family: 4, first: 0x0a000000n, last: 0x0affffffn });
    expect(range("10.1.2.3")).toEqual({ family: 4, first: 0x0a010203n, last: 0x0a010203n });
    expect(range("::0/0")).toEqual(range("::/0"));
    expect(range("0:0::/0")).toEqual(range("::/0"));
    expect(range("::ffff:10.0.0.1/128").first).toBe(0xffff0a000001n);
    expect(range("2001:DB8::/32")).toEqual(range("2001:db8::/32"));
  });

  it("leaves what it cannot read unread, for callers to treat as public", () => {
    for (const cidr of ["0/0", "010.0.0.0/8", "0x0.0.0.0/0", "10.0.0.0/33", "::/129", "fe80::1%eth0/64", "10.0.0.0/8/8", "10.0.0.0/-1", "", "any"]) {
      expect(parseCidr(cidr), cidr).toBeUndefined();
      expect(readCidr(cidr).kind, cidr).toBe("unreadable");
    }
  });

  it("counts only private, CGNAT, loopback, link-local and unique local ranges as not public", () => {
    for (const cidr of ["10.0.0.0/8", "172.16.0.0/12", "172.31.0.0/16", "192.168.1.0/24", "100.64.0.0/10", "127.0.0.1/32", "169.254.169.254/32", "fd12::/16", "fe80::/10", "::1/128"]) {
      expect(readCidr(cidr).kind, cidr).toBe("private");
    }
    for (const cidr of ["172.32.0.0/16", "100.128.0.0/10", "192.169.0.0/16", "10.0.0.0/7", "203.0.113.0/24", "0.0.0.0/8", "2001:db8::/32", "::/128", "fe00::/9"]) {
      expect(readCidr(cidr).kind, cidr).toBe("public");
    }
  });

  it("merges adjacent and overlapping ranges", () => {
    expect(unionOf([range("128.0.0.0/1"), range("0.0.0.0/1")])).toEqual([range("0.0.0.0/0")]);
    expect(unionOf([range("10.0.0.0/9"), range("10.0.0.0/8"), range("::/1")])).toEqual([range("10.0.0.0/8"), range("::/1")]);
  });

  it("knows when ranges together admit every public address of a family, private gaps allowed", () => {
    expect(wholeInternetFamilies([range("0.0.0.0/1"), range("128.0.0.0/1")])).toEqual([4]);
    // The whole IPv4 space but 10.0.0.0/8, written as the blocks around it.
    const aroundTen = ["0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1"].map(range);
    expect(wholeInternetFamilies(aroundTen)).toEqual([4]);
    expect(wholeInternetFamilies(aroundTen.slice(1))).toEqual([]);
    expect(wholeInternetFamilies([range("::/1"), range("8000::/1"), range("0.0.0.0/0")])).toEqual([4, 6]);
  });

  it("describes the public ranges of a list for a message", () => {
    expect(describePublic(["10.0.0.0/8", "fd00::/8"])).toBeUndefined();
    expect(describePublic(["10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1"])).toBe("0.0.0.0/1, 128.0.0.0/1 (together every public IPv4 address)");
    expect(describePublic(["203.0.113.0/24", "0/0"])).toBe("203.0.113.0/24, 0/0 (unreadable, so counted as public)");
  });
});
