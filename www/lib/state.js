// A spec as state: reading and writing a field by its path ("eta", "objective.mu", "x0"), and the
// spec kept in the page's URL hash as `#path=value&…` (a permalink). Values in the hash are JSON
// where they parse as JSON (numbers, lists, booleans) and text otherwise, so
// `#kind=trajectory&eta=1.1&x0=[0.5]&objective.name=double_well` reads back to the same spec.
// Several figures share one hash by namespaces: the entries of namespace `scan` are written
// `scan:path=value`; a figure without a namespace owns the entries without one.

/** The value at `path` of `spec`, or undefined. */
export function getPath(spec, path) {
  let value = spec;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[key];
  }
  return value;
}

/** A copy of `spec` with `path` set to `value` (undefined removes it). */
export function setPath(spec, path, value) {
  const keys = path.split('.');
  const copy = structuredClone(spec ?? {});
  let node = copy;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object' || Array.isArray(node[key])) node[key] = {};
    node = node[key];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** The `[path, value]` leaves of a spec (arrays are leaves), in key order. */
export function leaves(spec, prefix = '') {
  const out = [];
  for (const [key, value] of Object.entries(spec)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(...leaves(value, path));
    else out.push([path, value]);
  }
  return out;
}

/** Keeps commas, brackets and quotes readable; encodes what would break the hash. */
const encode = (s) => encodeURIComponent(s).replace(/%2C/gi, ',').replace(/%5B/gi, '[').replace(/%5D/gi, ']').replace(/%22/gi, '"');

function hashValue(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The raw `key=value` parts of a hash, split into this namespace's and the others'. */
function hashParts(hash, namespace) {
  const parts = hash.replace(/^#/, '').split('&').filter(Boolean);
  const prefix = namespace ? `${namespace}:` : '';
  const owned = (part) => {
    const key = part.slice(0, part.indexOf('=') < 0 ? part.length : part.indexOf('='));
    const decoded = key.replace(/%3A/gi, ':');
    return namespace ? decoded.startsWith(prefix) : !decoded.includes(':');
  };
  return { own: parts.filter(owned), others: parts.filter((p) => !owned(p)) };
}

/** The entries of a spec in a namespace: `path=value` (or `namespace:path=value`). */
function specParts(spec, namespace) {
  const prefix = namespace ? `${namespace}:` : '';
  return leaves(spec).map(([path, value]) => `${prefix}${encode(path)}=${encode(hashValue(value))}`);
}

/** `hash` with the namespace's entries replaced by those of `spec` (the others kept, first). */
export function hashWithSpec(hash, spec, namespace = '') {
  return '#' + [...hashParts(hash, namespace).others, ...specParts(spec, namespace)].join('&');
}

/** Whether `hash` holds exactly `spec` in the namespace. */
export function hashHolds(hash, spec, namespace = '') {
  return hashParts(hash, namespace).own.join('&') === specParts(spec, namespace).join('&');
}

/** A hash value's JSON when it is JSON, else its text. */
function parseValue(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The spec a hash holds, as `{spec, problems}`: `spec` is null for an empty hash; `problems` lists
 * the parts that could not be read (they are left out, so their defaults apply).
 */
export function specOfHash(hash, namespace = '') {
  const { own } = hashParts(hash, namespace);
  if (own.length === 0) return { spec: null, problems: [] };
  let spec = {};
  const problems = [];
  for (const entry of own) {
    const part = namespace ? entry.replace(/^[^=]*?(:|%3A)/i, '') : entry;
    const eq = part.indexOf('=');
    let path;
    let raw;
    try {
      path = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      raw = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      problems.push(`“${part}” is not a valid address part`);
      continue;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) {
      problems.push(`“${path}” is not a spec field`);
      continue;
    }
    spec = setPath(spec, path, parseValue(raw));
  }
  return { spec, problems };
}

/** Whether two specs describe the same run: equal with their objects' keys in any order. */
export function sameSpec(a, b) {
  const canonical = (spec) => JSON.stringify(spec, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
  return canonical(a) === canonical(b);
}
