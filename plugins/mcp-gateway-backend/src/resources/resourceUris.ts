import { InvalidArguments } from '../core/errors';

/** Every gateway resource URI starts so. */
export const SCHEME = 'backstage://';

/** An entity ref part: what the catalog allows in kinds, namespaces and names. */
const REF_PART = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * The `/`-separated parts of a URI of one resource kind after
 * `backstage://<kind>/`, percent-decoded once; undefined for other kinds.
 * Parts that are not entity ref parts are refused, so no separator the
 * catalog parses ('/', ':') can be smuggled in encoded.
 */
export function uriParts(
  uri: string,
  kind: string,
  refParts: number,
): { parts: string[]; rest: string } | undefined {
  const prefix = `${SCHEME}${kind}/`;
  if (!uri.startsWith(prefix)) return undefined;
  const segments = uri.slice(prefix.length).split('/');
  if (segments.length < refParts) throw invalid(uri, kind);
  const parts = segments.slice(0, refParts).map(segment => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw invalid(uri, kind);
    }
    if (!REF_PART.test(decoded)) throw invalid(uri, kind);
    return decoded;
  });
  return { parts, rest: segments.slice(refParts).join('/') };
}

function invalid(uri: string, kind: string) {
  return new InvalidArguments([
    {
      path: 'uri',
      message: `'${uri.slice(0, 200)}' is not a ${kind} resource URI`,
    },
  ]);
}
