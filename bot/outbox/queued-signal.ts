/**
 * "Something was queued in the outbox": the port through which intake, the dispatcher and the
 * modules wake the delivery loop. It breaks the one real cycle of the composition root — the
 * delivery loop renders cards with the modules' enrichments, and the modules queue cards for it —
 * by existing before both: the modules are built with `notify`, and the loop, built after them,
 * listens. A notification before the loop listens is dropped, which is safe: the loop reads the
 * outbox when it starts.
 */
export interface QueuedSignal {
  notify(): void;
  /** Who is woken; one listener, the delivery loop. */
  listen(listener: () => void): void;
}

export function createQueuedSignal(): QueuedSignal {
  let listener: (() => void) | undefined;
  return {
    notify: () => listener?.(),
    listen(next) {
      if (listener) throw new Error('the outbox has one delivery loop: a second listener is a wiring bug');
      listener = next;
    },
  };
}
