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
