/** Anything outside the process the API depends on: reported by /healthz, closed on shutdown. */
export interface Dependency {
  /** Stable label such as `database` or `eventBus`; /healthz reports by this name. */
  readonly name: string;
  /** Which adapter serves the port, e.g. `pglite` or `postgres`. */
  readonly kind: string;
  /** Resolves when the dependency answers; rejects with the reason when it does not. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An adapter could not reach its service, or the service is saturated (no free connection in time). Callers get
 * SERVICE_UNAVAILABLE with a hint to retry, never INTERNAL: the request was fine, the moment was not.
 */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
  constructor(
    readonly dependency: string,
    options: { cause: unknown },
  ) {
    super(`${dependency} unavailable`, options);
  }
}
