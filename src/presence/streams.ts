/** A device streaming here: an agent's key on a chatbot. */
export interface StreamingDevice {
  chatbotId: string;
  agentId: string;
  keyId: string;
}

/**
 * The streams open in this process: per device (chatbot, agent, key) for liveness, per key for
 * the limit. An open stream made with an agent key keeps that device, and so its agent, alive
 * on that chatbot.
 */
export class StreamRegistry {
  readonly #byDevice = new Map<string, number>();
  readonly #byKey = new Map<string, number>();
  #open = 0;

  static #deviceKey(chatbotId: string, agentId: string, keyId: string): string {
    return `${chatbotId}\u0000${agentId}\u0000${keyId}`;
  }

  /** Streams open in this process. */
  openCount(): number {
    return this.#open;
  }

  /** Open streams of one API key (or of the key behind a ticket). */
  openForKey(keyId: string): number {
    return this.#byKey.get(keyId) ?? 0;
  }

  /** Registers a stream; returns true when it is the device's first here (an agent key's first on this chatbot). */
  open(keyId: string, chatbotId: string, agentId: string | null): boolean {
    this.#open++;
    this.#byKey.set(keyId, this.openForKey(keyId) + 1);
    if (agentId === null) return false;
    const key = StreamRegistry.#deviceKey(chatbotId, agentId, keyId);
    const count = (this.#byDevice.get(key) ?? 0) + 1;
    this.#byDevice.set(key, count);
    return count === 1;
  }

  /** Unregisters a stream; returns true when it was the device's last here. */
  close(keyId: string, chatbotId: string, agentId: string | null): boolean {
    this.#open--;
    const keyCount = this.openForKey(keyId) - 1;
    if (keyCount > 0) this.#byKey.set(keyId, keyCount);
    else this.#byKey.delete(keyId);
    if (agentId === null) return false;
    const key = StreamRegistry.#deviceKey(chatbotId, agentId, keyId);
    const count = (this.#byDevice.get(key) ?? 0) - 1;
    if (count > 0) {
      this.#byDevice.set(key, count);
      return false;
    }
    this.#byDevice.delete(key);
    return true;
  }

  /** Every device with an open stream here. */
  streamingDevices(): StreamingDevice[] {
    return [...this.#byDevice.keys()].map((key) => {
      const [chatbotId = '', agentId = '', keyId = ''] = key.split('\u0000');
      return { chatbotId, agentId, keyId };
    });
  }
}
