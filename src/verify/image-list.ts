/**
 * Image lists for `verify --images FILE` (one reference a line) and `--release FILE` (an OpenShift
 * release or operator image list). Accepted, in one file or mixed:
 *   - one reference a line; blank lines and `#` comments skipped;
 *   - `NAME REF` lines (the reference is the last field);
 *   - oc-mirror / `oc adm catalog mirror` mapping.txt lines, `SRC=DST`: the source is what nodes pull;
 *   - the whole output of `oc adm release info RELEASE` and `oc adm release info --pullspecs RELEASE`:
 *     the header block (Name, Digest, Created, OS/Arch, Manifests, Pull From, Release Metadata,
 *     Component Versions) is skipped and counted, `Pull From:` adds the release image itself, and the
 *     `Images:` table adds every component: `NAME PULLSPEC` rows as they are, `NAME DIGEST` rows as
 *     COMPONENT_REPO@DIGEST (see componentRepository).
 * A line that cannot be used is a ConfigError naming the file and line. Pure: text in, images out.
 */
import { ConfigError } from '../errors.ts';
import { tryParseNormalizedNamed } from '../reference/parse.ts';

export interface ListedImage {
  ref: string;
  file: string;
  line: number;
}

export interface ParsedImageList {
  images: ListedImage[];
  /** Header lines skipped (release info header blocks, table headers), for the user to see. */
  skippedHeaderLines: number;
  /** What the user should know about how the list was read (e.g. the repository digests were put in). */
  notes: string[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PINNED = /@sha256:[0-9a-f]{64}$/;
/** The keys `oc adm release info` prints at column 0 before its Images table. */
const RELEASE_HEADER = /^(Name|Digest|Created|OS\/Arch|Manifests|Metadata files|Pull From|Release Metadata|Component Versions|Images):/;

/**
 * The repository a release's component images are pulled from, given its `Pull From` repository.
 * `oc adm release info` without --pullspecs prints only their digests. The payload's image-references
 * name the components in a repository of their own: for OCP releases published in
 * quay.io/openshift-release-dev/ocp-release that is quay.io/openshift-release-dev/ocp-v4.0-art-dev, for
 * OKD (quay.io/openshift/okd) quay.io/openshift/okd-content; nodes pull them by those names, through the
 * cluster's IDMS/ICSP. For any other Pull From (a release built with `oc adm release new`, or one mirrored
 * with `oc adm release mirror`, which puts release and components in one repository) the Pull From
 * repository is the best guess, and a note says so: `--pullspecs` output names every component exactly.
 */
export function componentRepository(pullFromRepo: string): { repo: string; exact: boolean } {
  const known: Record<string, string> = {
    'quay.io/openshift-release-dev/ocp-release': 'quay.io/openshift-release-dev/ocp-v4.0-art-dev',
    'quay.io/openshift-release-dev/ocp-release-nightly': 'quay.io/openshift-release-dev/ocp-v4.0-art-dev',
    'quay.io/openshift/okd': 'quay.io/openshift/okd-content',
  };
  const repo = known[pullFromRepo];
  return repo !== undefined ? { repo, exact: true } : { repo: pullFromRepo, exact: false };
}

/** The images of a list; see parseImageListDetailed for what is skipped and why. */
export function parseImageList(text: string, file: string, opts: { requireDigest: boolean }): ListedImage[] {
  return parseImageListDetailed(text, file, opts).images;
}

export function parseImageListDetailed(text: string, file: string, opts: { requireDigest: boolean }): ParsedImageList {
  const images: ListedImage[] = [];
  const notes: string[] = [];
  let skipped = 0;
  const lines = text.split(/\r?\n/);
  // Release info state: inside a header block (until `Images:`), and inside its Images table.
  let inHeader = false;
  let table: 'digest' | 'pullspec' | null = null;
  let pullFrom: string | null = null;
  const fail = (n: number, msg: string): never => {
    throw new ConfigError(`${file}:${n}: ${msg}`, { file, line: n, code: 'PP_ERR_IMAGE_LIST' });
  };
  const add = (ref: string, n: number, fromMapping = false): void => {
    const parsed = tryParseNormalizedNamed(ref);
    if (!parsed.ok) fail(n, `"${ref}" is not an image reference: ${parsed.error}`);
    // A catalog index in mapping.txt is pulled by tag; elsewhere a release/operator list is by digest.
    if (opts.requireDigest && !fromMapping && !PINNED.test(ref)) {
      fail(n, `"${ref}" is not pinned by digest (a release/operator list must be NAME@sha256:<64 hex>)`);
    }
    images.push({ ref, file, line: n });
  };

  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!;
    const line = raw.replace(/\s#.*$|^#.*$/, '').trim();
    if (line === '') continue;

    // `oc adm release info`: a header block of `Key:` lines at column 0 (and their indented details),
    // ended by `Images:`. `Name:` starts a new release.
    if (RELEASE_HEADER.test(raw)) {
      if (raw.startsWith('Name:')) pullFrom = null;
      inHeader = true;
      table = null;
    }
    if (inHeader) {
      const from = /^Pull From:\s+(\S+)$/.exec(raw.trim());
      if (from) {
        pullFrom = from[1]!;
        add(pullFrom, n); // the release image itself is pulled by the nodes (and by the CVO)
        continue;
      }
      if (/^Images:\s*$/.test(raw)) inHeader = false;
      skipped++;
      continue;
    }
    const header = /^NAME\s+(\S+)(\s+\S+)?$/.exec(line);
    if (header) {
      const kind = header[1]!;
      if (kind === 'DIGEST' && header[2] === undefined) table = 'digest';
      else if (kind === 'PULLSPEC' && header[2] === undefined) table = 'pullspec';
      else fail(n, `an "oc adm release info" table of ${[kind, header[2]?.trim()].filter(Boolean).join(' and ')} lists no images: use "oc adm release info --pullspecs" (or its default DIGEST table)`);
      if (table === 'digest' && pullFrom === null) fail(n, 'a NAME DIGEST table without its "Pull From:" line: keep the whole "oc adm release info" output, or use --pullspecs');
      if (table === 'digest') {
        const repo = componentRepository(pullFrom!.replace(/@.*$/, '').replace(/:[^/]*$/, ''));
        notes.push(
          repo.exact
            ? `${file}:${n}: component digests taken from ${repo.repo} (where ${pullFrom!.replace(/@.*$/, '')} releases keep them)`
            : `${file}:${n}: component digests taken from the Pull From repository ${repo.repo}; if the release names its components elsewhere, use "oc adm release info --pullspecs"`,
        );
      }
      skipped++;
      continue;
    }

    const eq = line.indexOf('=');
    if (eq > 0) {
      const src = line.slice(0, eq).trim(); // mapping.txt: SRC=DST
      if (src === '' || /\s/.test(src)) fail(n, `expected SRC=DST (a mapping.txt line), got "${line}"`);
      add(src, n, true);
      continue;
    }
    const fields = line.split(/\s+/);
    if (fields.length > 2) fail(n, `expected REF or NAME REF, got ${fields.length} fields: "${line}"`);
    const last = fields[fields.length - 1]!;
    if (DIGEST.test(last)) {
      if (table !== 'digest') fail(n, `"${last}" is a digest without a repository: keep the whole "oc adm release info" output (its Pull From line), or use --pullspecs`);
      const repo = componentRepository(pullFrom!.replace(/@.*$/, '').replace(/:[^/]*$/, '')).repo;
      add(`${repo}@${last}`, n);
      continue;
    }
    add(last, n);
  }
  return { images, skippedHeaderLines: skipped, notes };
}
