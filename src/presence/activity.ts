/**
 * Activity reports are cheap: at most one stored write per agent per this many milliseconds on
 * an instance. A report in between is kept in memory (with the device that sent it) and written
 * before the agent is next judged (its idle deadline or its devices' end among them), so an
 * agent is never judged idle, or gone, by a stale time.
 */
export const ACTIVITY_WRITE_MILLIS = 30_000;

/** A report kept in memory: the newest time, and the newest per device (key). */
export interface KeptActivity {
  agentId: string;
  at: number;
  keys: Map<string, number>;
}

/** Activity reported here and not yet written, by chatbot and agent, and when each agent's was last written. */
export class ActivityThrottle {
  readonly #kept = new Map<string, Map<string, KeptActivity>>();
  readonly #written = new Map<string, number>();

  /**
   * A report at `at` from a key: true when it is to be written now; false when it is kept
   * (the agent's activity was written less than ACTIVITY_WRITE_MILLIS ago).
   */
  report(chatbotId: string, agentId: string, keyId: string, at: number): boolean {
    const key = `${chatbotId}\n${agentId}`;
    const written = this.#written.get(key);
    if (written !== undefined && at - written < ACTIVITY_WRITE_MILLIS && at >= written) {
      let kept = this.#kept.get(chatbotId);
      if (!kept) this.#kept.set(chatbotId, (kept = new Map()));
      const agent = kept.get(agentId) ?? { agentId, at, keys: new Map() };
      agent.at = Math.max(agent.at, at);
      agent.keys.set(keyId, Math.max(agent.keys.get(keyId) ?? at, at));
      kept.set(agentId, agent);
      return false;
    }
    this.#written.delete(key);
    // Bounded: the oldest agents' times go first (they were written long ago anyway).
    if (this.#written.size >= 100_000) this.#written.delete(this.#written.keys().next().value!);
    this.#written.set(key, at);
    this.#kept.get(chatbotId)?.delete(agentId);
    return true;
  }

  /** Whether a report of the agent waits to be written. */
  isKept(chatbotId: string, agentId: string): boolean {
    return this.#kept.get(chatbotId)?.has(agentId) ?? false;
  }

  /** Takes out the reports kept for the agents (every agent of the chatbot when omitted), to write them now. */
  take(chatbotId: string, agentIds?: readonly string[]): KeptActivity[] {
    const kept = this.#kept.get(chatbotId);
    if (!kept) return [];
    const taken: KeptActivity[] = [];
    for (const agentId of agentIds ?? [...kept.keys()]) {
      const agent = kept.get(agentId);
      if (!agent) continue;
      kept.delete(agentId);
      this.#written.set(`${chatbotId}\n${agentId}`, agent.at);
      taken.push(agent);
    }
    if (kept.size === 0) this.#kept.delete(chatbotId);
    return taken;
  }
}
