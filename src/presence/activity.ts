/**
 * Activity reports are cheap: at most one stored write per device (an agent's key) per this many
 * milliseconds on an instance. A report in between is kept in memory and written before its
 * agent is next judged (its idle deadline or a device's end among them), so an agent is never
 * judged idle, nor a device gone, by a stale time. A device's first report in a while is
 * written at once, so a device coming alive shows at once.
 */
export const ACTIVITY_WRITE_MILLIS = 30_000;

/** An agent's reports kept in memory: the newest time, and the newest per device (key). */
export interface KeptActivity {
  agentId: string;
  at: number;
  keys: Map<string, number>;
}

/** Whether a report at `at` is kept, its device's activity having been written at `written` (undefined: not lately). */
const keptAt = (written: number | undefined, at: number): boolean => written !== undefined && at - written < ACTIVITY_WRITE_MILLIS && at >= written;

/** Activity reported here and not yet written, by chatbot, agent and key, and when each device's was last written. */
export class ActivityThrottle {
  readonly #kept = new Map<string, Map<string, Map<string, number>>>();
  readonly #written = new Map<string, number>();

  /**
   * A report at `at` from a key: true when it is to be written now; false when it is kept
   * (the device's activity was written less than ACTIVITY_WRITE_MILLIS ago).
   */
  report(chatbotId: string, agentId: string, keyId: string, at: number): boolean {
    const device = `${chatbotId}\n${agentId}\n${keyId}`;
    const written = this.#written.get(device);
    const kept = this.#kept.get(chatbotId)?.get(agentId);
    if (keptAt(written, at)) {
      let chatbot = this.#kept.get(chatbotId);
      if (!chatbot) this.#kept.set(chatbotId, (chatbot = new Map()));
      let agent = chatbot.get(agentId);
      if (!agent) chatbot.set(agentId, (agent = new Map()));
      agent.set(keyId, Math.max(agent.get(keyId) ?? at, at));
      return false;
    }
    // Bounded: the devices written longest ago go first (their window has long passed).
    this.#written.delete(device);
    if (this.#written.size >= 100_000) this.#written.delete(this.#written.keys().next().value!);
    this.#written.set(device, at);
    kept?.delete(keyId);
    return true;
  }

  /** Whether a report at `at` from the key would be kept in memory (report would answer false). */
  wouldKeep(chatbotId: string, agentId: string, keyId: string, at: number): boolean {
    return keptAt(this.#written.get(`${chatbotId}\n${agentId}\n${keyId}`), at);
  }

  /** Whether a report of the agent waits to be written. */
  isKept(chatbotId: string, agentId: string): boolean {
    return (this.#kept.get(chatbotId)?.get(agentId)?.size ?? 0) > 0;
  }

  /** Takes out the reports kept for the agents (every agent of the chatbot when omitted), to write them now. */
  take(chatbotId: string, agentIds?: readonly string[]): KeptActivity[] {
    const chatbot = this.#kept.get(chatbotId);
    if (!chatbot) return [];
    const taken: KeptActivity[] = [];
    for (const agentId of agentIds ?? [...chatbot.keys()]) {
      const keys = chatbot.get(agentId);
      chatbot.delete(agentId);
      if (!keys || keys.size === 0) continue;
      for (const [keyId, at] of keys) this.#written.set(`${chatbotId}\n${agentId}\n${keyId}`, at);
      taken.push({ agentId, at: Math.max(...keys.values()), keys });
    }
    if (chatbot.size === 0) this.#kept.delete(chatbotId);
    return taken;
  }
}
