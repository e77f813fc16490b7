import { UnprocessableError } from "./errors";

/**
 * Outbound URL policy for every user-supplied URL (cluster endpoints, Git repositories,
 * webhooks, Prometheus).
 * Fleetplane calls these URLs with its own network position, so by default it refuses
 * loopback, private, link-local (cloud metadata at 169.254.169.254), CGNAT, multicast and
 * unspecified addresses, in IPv4, IPv6 and IPv4-mapped IPv6 forms. Operators widen it with
 * FLEET_URL_ALLOW (CIDRs or host names), e.g. for clusters on a private network.
 */
export type UrlPurpose = "cluster endpoint" | "webhook" | "prometheus" | "llm" | "Git repository" | "add-on bundle";

const BLOCKED_HOSTNAMES = [/^localhost$/i, /\.localhost$/i, /^metadata\.google\.internal$/i, /^metadata$/i];

interface Cidr {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

const BLOCKED_CIDRS = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/128",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
  "fd00:ec2::254/128",
  // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) forms reach the IPv4 they carry.
  "::/96",
  "64:ff9b::/96",
  "64:ff9b:1::/48",
].map(parseCidr);

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let input = text;
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(input);
  if (v4) {
    const value = parseIpv4(v4[1] as string);
    if (value === undefined) return undefined;
    input = `${input.slice(0, -(v4[1] as string).length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const halves = input.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return value;
}

function parseCidr(text: string): Cidr {
  const [address, prefixText] = text.split("/");
  const v4 = parseIpv4(address as string);
  if (v4 !== undefined) return { family: 4, bits: v4, prefix: Number(prefixText ?? 32) };
  const v6 = parseIpv6(address as string);
  if (v6 === undefined) throw new Error(`not a CIDR: ${text}`);
  return { family: 6, bits: v6, prefix: Number(prefixText ?? 128) };
}

function inCidr(family: 4 | 6, value: bigint, cidr: Cidr): boolean {
  if (family !== cidr.family) return false;
  const width = family === 4 ? 32 : 128;
  const shift = BigInt(width - cidr.prefix);
  return value >> shift === cidr.bits >> shift;
}

/** Normalises an IP literal; IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged as the IPv4 it carries. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const bare = text.replace(/^\[|\]$/g, "");
  const v4 = parseIpv4(bare);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIpv6(bare);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { family: 4, value: v6 & 0xffffffffn };
  return { family: 6, value: v6 };
}

function allowedByList(host: string, ip: ReturnType<typeof parseIp>, allow: string[]): boolean {
  return allow.some((entry) => {
    if (entry.includes("/")) {
      try {
        const cidr = parseCidr(entry);
        return ip !== undefined && inCidr(ip.family, ip.value, cidr);
      } catch {
        return false;
      }
    }
    const entryIp = parseIp(entry);
    if (entryIp && ip) return entryIp.family === ip.family && entryIp.value === ip.value;
    return entry.toLowerCase() === host.toLowerCase();
  });
}

/** Whether an address a host name resolved to may be contacted (checked again at connect time). */
export function isAddressAllowed(address: string, hostname: string, allow: string[]): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  if (allowedByList(hostname, ip, allow) || allowedByList(address, ip, allow)) return true;
  return !BLOCKED_CIDRS.some((cidr) => inCidr(ip.family, ip.value, cidr));
}

export function checkOutboundUrl(
  raw: string,
  opts: { purpose: UrlPurpose; allow: string[]; location: string; schemes?: string[]; allowUsername?: boolean },
): URL {
  const refuse = (why: string): never => {
    throw new UnprocessableError("url_not_allowed", `The ${opts.purpose} URL is not allowed: ${why}`, [
      { location: opts.location, message: why },
    ]);
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("not an absolute URL");
  }
  const schemes = opts.schemes ?? ["https:"];
  if (!schemes.includes(url.protocol)) refuse(`scheme must be ${schemes.map((s) => s.replace(":", "")).join(" or ")}`);
  // ssh:// Git URLs name their login user (git@host); a password is never accepted.
  if (url.password || (url.username && !opts.allowUsername)) refuse("credentials in the URL are not accepted");
  // A trailing dot ("localhost.") names the same host as without it.
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.+$/, "");
  const ip = parseIp(host);
  if (allowedByList(host, ip, opts.allow)) return url;
  if (ip) {
    if (BLOCKED_CIDRS.some((cidr) => inCidr(ip.family, ip.value, cidr))) {
      refuse(`${host} is a loopback, private, link-local or reserved address (allow it with FLEET_URL_ALLOW)`);
    }
    return url;
  }
  if (BLOCKED_HOSTNAMES.some((pattern) => pattern.test(host))) {
    refuse(`${host} names a local or metadata host (allow it with FLEET_URL_ALLOW)`);
  }
  // Numeric forms that URL parsing did not normalise (e.g. 0x7f.1) are refused outright.
  if (/^[0-9.x]+$/i.test(host)) refuse(`${host} is not a valid host name`);
  return url;
}

/**
 * Git repository URLs (a class's fleet-config repository, a tenant's source) are fetched by
 * Flux from inside the fleet's clusters, so a private or metadata address there is the same
 * SSRF as one Fleetplane calls itself; the same policy applies, with ssh:// allowed.
 */
export function checkGitUrl(raw: string, opts: { allow: string[]; location: string }): URL {
  return checkOutboundUrl(raw, {
    purpose: "Git repository",
    allow: opts.allow,
    location: opts.location,
    schemes: ["https:", "ssh:"],
    allowUsername: true,
  });
}
