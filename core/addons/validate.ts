import type { Ctx } from "../context";
import { UnprocessableError } from "../errors";
import { checkOutboundUrl } from "../url-policy";
import { CATALOG, catalogEntry } from "./catalog";
import type { AddonRefInput } from "./spec";

/**
 * A class that declares an add-on Fleetplane does not know must say what to install (a bundle
 * URL and a version); environments and clusters may override such an add-on's version without
 * repeating its URL. Every bundle URL passes the outbound URL policy now, not when a cluster
 * first needs it; only URLs that changed are judged, a resource keeps the ones it was accepted with.
 */
export function checkAddonRefs(
  ctx: Ctx,
  refs: AddonRefInput[] | undefined,
  opts: { layer: "class" | "override"; previous?: AddonRefInput[] | undefined },
): void {
  const accepted = new Set((opts.previous ?? []).map((r) => r.url).filter(Boolean));
  (refs ?? []).forEach((ref, i) => {
    const at = `body.addons[${i}]`;
    if (ref.removeCrds && ref.enabled !== false) {
      throw new UnprocessableError(
        "invalid_addon",
        `removeCrds deletes the CustomResourceDefinitions of an add-on being removed; set enabled: false on "${ref.name}" too`,
        [{ location: `${at}.removeCrds`, message: "only with enabled: false" }],
      );
    }
    if (ref.enabled === false) return;
    if (!catalogEntry(ref.name) && opts.layer === "class" && (!ref.url || !ref.version)) {
      throw new UnprocessableError(
        "unknown_addon",
        `Add-on "${ref.name}" is not in the catalog (${Object.keys(CATALOG).join(", ")}): give its bundle url and version`,
        [{ location: `${at}.${ref.url ? "version" : "url"}`, message: "required for an add-on outside the catalog" }],
      );
    }
    if (ref.url && !accepted.has(ref.url)) {
      checkOutboundUrl(ref.url, { purpose: "add-on bundle", allow: ctx.config.urlAllow, location: `${at}.url` });
    }
  });
}
