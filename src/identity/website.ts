/**
 * The host of a website as written in CORDIS (`organizationURL`: "http://www.isciii.es", "www.ku.dk",
 * "uni-mainz.de/") or ROR (`links[].value`), lower-cased, without scheme, "www."/"www2." prefix, port,
 * path, query or trailing dot; null when no host can be read (empty, "N/A", an e-mail address, spaces).
 * Never throws. Only the host is kept: the path is compared separately by the caller (a deep link is often
 * a sub-unit's page on its parent's site).
 */
export function websiteDomain(url: string | null | undefined): string | null {
  const parts = websiteParts(url);
  return parts ? parts.domain : null;
}

/** Host (as websiteDomain) and whether the link points at the site's root (no path beyond a language). */
export function websiteParts(url: string | null | undefined): { domain: string; rootLike: boolean } | null {
  if (typeof url !== "string") return null;
  const text = url.trim().toLowerCase();
  if (!text || /\s/.test(text) || text.includes("@")) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return null;
  }
  const host = parsed.hostname.replace(/\.$/, "").replace(/^www\d*\./, "");
  // A host needs a dot and letters only in its last label: "localhost" or "1.2.3.4" name no organisation.
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) || !/\.[a-z]{2,}$/.test(host)) return null;
  const path = parsed.pathname.replace(/\/+$/, "");
  const rootLike = path === "" || /^\/([a-z]{2}(-[a-z]{2})?|home|index\.(html?|php|aspx?))$/.test(path);
  return { domain: host, rootLike };
}
