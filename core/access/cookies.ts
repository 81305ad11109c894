// Cookies on requests and WebSocket upgrades: Directus's session cookie carries an access token.

/** Directus's SESSION_COOKIE_NAME default. */
export const SESSION_COOKIE = 'directus_session_token';

/** A `Cookie` header as a name → value map (values percent-decoded, as cookie-parser does). */
export const parseCookies = (header: string | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    let value = part.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name === '' || Object.hasOwn(out, name) || name === '__proto__') continue;
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
};
