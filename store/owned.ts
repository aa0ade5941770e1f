/**
 * A repository over a database handle of its own (a test, a script): closing the repository closes
 * the handle. Inside the store, repositories share its one handle and the store closes it.
 */
export function owning<R extends { close(): Promise<void> }>(repo: R, handle: { close(): Promise<void> }): R {
  return { ...repo, close: () => handle.close() };
}

/** `close` of a repository on the store's shared handle: the store closes the handle. */
export const shared = async (): Promise<void> => undefined;
