/**
 * An image reference as an immutable value: `domain/path[:tag][@digest]`.
 * Produced by the parsers in `parse.ts`; never built from unchecked strings outside this module.
 */
import { PullpathError } from '../errors.ts';
import { DEFAULT_DOMAIN, OFFICIAL_REPO_NAME } from './grammar.ts';

/** A reference that does not parse. `message` is the library's own text (e.g. `invalid reference format`). */
export class ReferenceFormatError extends PullpathError {
  /** The string that failed to parse. */
  readonly input: string;
  constructor(input: string, message: string) {
    super('PP_ERR_REFERENCE', message);
    this.input = input;
  }
}

export class Reference {
  /** `quay.io`, `localhost:5000`, `docker.io`; "" only for references from the non-normalizing `parse()`. */
  readonly domain: string;
  /** The repository path: `library/busybox`, `org/app`. */
  readonly path: string;
  /** The tag without `:`, or null. */
  readonly tag: string | null;
  /** The digest `alg:hex`, or null. */
  readonly digest: string | null;
  readonly #name: string;

  /** Internal: use the parsers. The parts are trusted to be valid already. */
  constructor(domain: string, path: string, tag: string | null, digest: string | null) {
    this.domain = domain;
    this.path = path;
    this.tag = tag;
    this.digest = digest;
    this.#name = domain === '' ? path : domain + '/' + path;
  }

  /** The repository name without tag or digest: `docker.io/library/busybox` (upstream `Name()`). */
  name(): string {
    return this.#name;
  }

  /** The full reference: `name[:tag][@digest]` (upstream `String()`). */
  string(): string {
    let s = this.#name;
    if (this.tag !== null) s += ':' + this.tag;
    if (this.digest !== null) s += '@' + this.digest;
    return s;
  }

  toString(): string {
    return this.string();
  }

  /** The short form users type: `busybox`, `user/app`, `quay.io/org/app` (upstream `FamiliarName`). */
  familiarName(): string {
    if (this.domain !== DEFAULT_DOMAIN) return this.#name;
    const slash = this.path.indexOf('/');
    if (slash !== -1 && this.path.slice(0, slash) === OFFICIAL_REPO_NAME && this.path.indexOf('/', slash + 1) === -1) {
      return this.path.slice(slash + 1);
    }
    return this.path;
  }

  /** `familiarName()` with tag and digest (upstream `FamiliarString`): `busybox:latest`. */
  familiar(): string {
    let s = this.familiarName();
    if (this.tag !== null) s += ':' + this.tag;
    if (this.digest !== null) s += '@' + this.digest;
    return s;
  }

  /** True when there is neither tag nor digest (upstream `IsNameOnly`). */
  isNameOnly(): boolean {
    return this.tag === null && this.digest === null;
  }

  /** The same repository with only this tag (upstream `WithTag` on a trimmed name). Tag is trusted. */
  withTag(tag: string): Reference {
    return new Reference(this.domain, this.path, tag, this.digest);
  }

  /** The same repository with this tag and digest (either may be null). Both are trusted to be valid. */
  withTagAndDigest(tag: string | null, digest: string | null): Reference {
    return new Reference(this.domain, this.path, tag, digest);
  }

  /** The repository alone, tag and digest dropped (upstream `TrimNamed`). */
  trimmed(): Reference {
    return this.isNameOnly() ? this : new Reference(this.domain, this.path, null, null);
  }

  /** Adds `:latest` when there is neither tag nor digest (upstream `TagNameOnly`). */
  tagNameOnly(): Reference {
    return this.isNameOnly() ? new Reference(this.domain, this.path, 'latest', null) : this;
  }

  equals(other: Reference): boolean {
    return this.string() === other.string();
  }
}
