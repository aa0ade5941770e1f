/** A dependency the bot needs to do its job; readiness is the conjunction of all of them. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}
