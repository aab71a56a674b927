import { Type, type TUnsafe } from 'typebox';

/** Schema pieces shared by several modules' routes. */

export const ChatbotParams = Type.Object({
  chatbotId: Type.String({ description: 'The ID of the chatbot.', minLength: 1, maxLength: 200 }),
});

/**
 * An ISO-8601 time or null, as a JSON type array rather than anyOf: the serializer handles a
 * type array directly, where anyOf would run a validator on every value to pick a branch.
 */
export function NullableDateTime(description: string): TUnsafe<string | null> {
  return Type.Unsafe<string | null>({ type: ['string', 'null'], format: 'date-time', description });
}

/** Epoch milliseconds (a number, or a bigint column's string) as the ISO-8601 time those schemas carry. */
export function isoTime(millis: number | string | null): string | null {
  return millis === null ? null : new Date(Number(millis)).toISOString();
}
