// A product the dists tool can assemble: where its parts come from (Maven Central, PyPI), how they are laid
// out like the upstream tarball, and a smoke start that proves the result runs.

export interface AssembleContext {
  readonly version: string;
  /** The distribution directory being built (its basename is the tarball's top directory, e.g. kafka_2.13-4.1.1). */
  readonly outDir: string;
  /** Scratch space, removed afterwards. */
  readonly workDir: string;
  /** Resolves artifacts with their transitive runtime dependencies from Maven Central; returns the jar paths. */
  maven(coords: readonly string[], opts?: { excludes?: readonly string[] }): Promise<string[]>;
  /** Downloads one wheel or sdist (`name==version`) from PyPI without dependencies; returns its path. */
  pip(spec: string): Promise<string>;
  log(message: string): void;
}

export interface SmokeContext {
  log(message: string): void;
}

export interface Recipe {
  readonly product: string;
  readonly defaultVersion: string;
  readonly versions: readonly string[];
  /** Bumped whenever the recipe changes what it builds: a cached entry of another revision is assembled again. */
  readonly revision: number;
  /** The distribution's top directory for a version, as upstream names it (kafka_2.13-4.1.1, apache-cassandra-5.0.6). */
  topDir(version: string): string;
  assemble(ctx: AssembleContext): Promise<void>;
  /** Starts the assembled distribution once and talks to it with a real client; throws with what went wrong. */
  smoke(dir: string, ctx: SmokeContext): Promise<void>;
}
