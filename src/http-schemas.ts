import { Type, type TUnsafe } from 'typebox';

/** Schema pieces shared by several modules' routes. */

export const ChatbotParams = Type.Object({
  chatbotId: Type.String({ description: 'The ID of the chatbot.', minLength: 1, maxLength: 200 }),
});

/** A chatbot and one of its agents. */
export const ChatbotAgentParams = Type.Object({ chatbotId: ChatbotParams.properties.chatbotId, agentId: Type.String({ minLength: 1, maxLength: 200 }) });

/**
 * An ISO-8601 time or null, as a JSON type array rather than anyOf: the serializer handles a
 * type array directly, where anyOf would run a validator on every value to pick a branch.
 */
export function NullableDateTime(description: string): TUnsafe<string | null> {
  return Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time', description });
}

/** Recent answers of isoTime: entries of one chatbot share moments (a burst's idle moment, its since). */
const isoTimes = new Map<number, string>();

/** Epoch milliseconds (a number, or a bigint column's string) as the ISO-8601 time those schemas carry. */
export function isoTime(millis: number | string | null): string | null {
  if (millis === null) return null;
  const at = Number(millis);
  let iso = isoTimes.get(at);
  if (iso === undefined) {
    iso = new Date(at).toISOString();
    if (isoTimes.size >= 4_096) isoTimes.clear();
    isoTimes.set(at, iso);
  }
  return iso;
}
