// URL state: the share link lives in location.hash. Parsing and validation
// are the core's (through the worker); this module only reads and writes it.
export function readLink() {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return location.hash.slice(1);  // malformed %-escapes: let the core report them
  }
}

export function writeLink(link) {
  history.replaceState(null, '', `#${link}`);
}

export function fullUrl(link) {
  return `${location.origin}${location.pathname}#${link}`;
}

// Copies the link; where the clipboard is not available (insecure origin,
// denied permission) the caller still shows the URL for manual copying.
export async function copyLink(link) {
  const url = fullUrl(link);
  try {
    await navigator.clipboard.writeText(url);
    return { url, copied: true };
  } catch {
    return { url, copied: false };
  }
}
