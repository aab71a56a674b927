/** An agent of a chatbot as a map key: how a unit of work matches the rows its statements answer. */
export const agentKey = (chatbotId: string, agentId: string) => `${chatbotId}\n${agentId}`;
