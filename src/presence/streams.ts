/**
 * The streams open in this process: per (chatbot, agent) for liveness, per key for the limit.
 * An open stream made with an agent key is that agent's sign of life on that chatbot.
 */
export class StreamRegistry {
  readonly #byAgent = new Map<string, number>();
  readonly #byKey = new Map<string, number>();

  static agentKey(chatbotId: string, agentId: string): string {
    return `${chatbotId}\u0000${agentId}`;
  }

  #open = 0;

  /** Streams open in this process. */
  openCount(): number {
    return this.#open;
  }

  /** Open streams of one API key (or of the key behind a ticket). */
  openForKey(keyId: string): number {
    return this.#byKey.get(keyId) ?? 0;
  }

  /** Registers a stream; returns true when it is the agent's first on this chatbot. */
  open(keyId: string, chatbotId: string, agentId: string | null): boolean {
    this.#open++;
    this.#byKey.set(keyId, this.openForKey(keyId) + 1);
    if (agentId === null) return false;
    const key = StreamRegistry.agentKey(chatbotId, agentId);
    const count = (this.#byAgent.get(key) ?? 0) + 1;
    this.#byAgent.set(key, count);
    return count === 1;
  }

  /** Unregisters a stream; returns true when it was the agent's last on this chatbot. */
  close(keyId: string, chatbotId: string, agentId: string | null): boolean {
    this.#open--;
    const keyCount = this.openForKey(keyId) - 1;
    if (keyCount > 0) this.#byKey.set(keyId, keyCount);
    else this.#byKey.delete(keyId);
    if (agentId === null) return false;
    const key = StreamRegistry.agentKey(chatbotId, agentId);
    const count = (this.#byAgent.get(key) ?? 0) - 1;
    if (count > 0) {
      this.#byAgent.set(key, count);
      return false;
    }
    this.#byAgent.delete(key);
    return true;
  }

  isConnected(chatbotId: string, agentId: string): boolean {
    return this.#byAgent.has(StreamRegistry.agentKey(chatbotId, agentId));
  }

  /** Every (chatbot, agent) with an open stream here. */
  connectedAgents(): Array<{ chatbotId: string; agentId: string }> {
    return [...this.#byAgent.keys()].map((key) => {
      const [chatbotId = '', agentId = ''] = key.split('\u0000');
      return { chatbotId, agentId };
    });
  }
}
