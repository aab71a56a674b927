/**
 * Generated from the inbox-agents OpenAPI document by scripts/generate.mjs (openapi-typescript).
 * Do not edit: regenerate it, and the drift test fails until this file matches the service.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The service can answer requests: its database (and Redis, when configured) is reachable */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the agents of the install
         * @description Required permission: `agents.list` on the install (operator keys).
         *
         *     Oldest first, a page at a time; `email` or `externalId` narrow it.
         */
        get: operations["listAgents"];
        put?: never;
        /**
         * Creates an agent in the directory
         * @description Required permission: `agents.create` on the install (operator keys).
         *
         *     With no membership yet. To sync users by your own id, prefer PUT /v1/agents/by-external-id/{externalId}, which is safe to repeat.
         */
        post: operations["createAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieves an agent with its memberships
         * @description Required permission: `agents.read` on the install (operator keys).
         */
        get: operations["getAgent"];
        put?: never;
        post?: never;
        /**
         * Deletes an agent
         * @description Required permission: `agents.delete` on the install (operator keys).
         *
         *     Its keys stop working at once, its devices and memberships go, and each of its chatbots' streams announce the removal. Refused with 409 last_admin while it is the only admin of a chatbot.
         */
        delete: operations["deleteAgent"];
        options?: never;
        head?: never;
        /**
         * Updates an agent's name, email or externalId
         * @description Required permission: `agents.edit` on the install (operator keys).
         *
         *     Each field present changes one thing; null clears email or externalId.
         */
        patch: operations["updateAgent"];
        trace?: never;
    };
    "/v1/agents/by-external-id/{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Creates or updates the agent with this externalId
         * @description Required permission: `agents.sync` on the install (operator keys).
         *
         *     One idempotent call per user of your product: 201 when it made the agent, 200 when it existed (its name and, if given, email are set). Repeating it changes nothing and records nothing. Memberships are not touched.
         */
        put: operations["upsertAgentByExternalId"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the audit log of the install
         * @description Required permission: `audit.read` on the install (operator keys).
         *
         *     Every administrative change (HTTP or CLI), newest first, a page at a time.
         */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the chatbots of the install
         * @description Required permission: `chatbots.list` on the install (operator keys).
         *
         *     Oldest first, a page at a time.
         */
        get: operations["listChatbots"];
        put?: never;
        /**
         * Creates a chatbot
         * @description Required permission: `chatbots.create` on the install (operator keys).
         *
         *     It has no members yet: add an admin with PUT /v1/chatbots/{chatbotId}/members/{agentId}.
         */
        post: operations["createChatbot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieves a chatbot
         * @description Required permission: `chatbots.read` on resource `chatbots/:chatbotId`.
         */
        get: operations["getChatbot"];
        put?: never;
        post?: never;
        /**
         * Deletes a chatbot and everything of it
         * @description Required permission: `chatbots.delete` on resource `chatbots/:chatbotId`.
         *
         *     Removes its memberships, chatbot keys, agents' settings and devices there, notifications and presence, and ends its live streams. The agents stay in the directory; their keys keep working in their other chatbots.
         */
        delete: operations["deleteChatbot"];
        options?: never;
        head?: never;
        /**
         * Renames a chatbot or changes its settings (idleAfterSeconds, default workingHours)
         * @description Required permission: `chatbots.edit` on resource `chatbots/:chatbotId`.
         */
        patch: operations["updateChatbot"];
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists a chatbot's audit log
         * @description Required permission: `chatbots.audit.read` on resource `chatbots/:chatbotId`.
         *
         *     The changes that concern this chatbot (its members, keys, name), newest first, a page at a time.
         */
        get: operations["listChatbotAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the chatbot's invitations, pending and ended
         * @description Required permission: `chatbots.members.edit` on resource `chatbots/:chatbotId`.
         *
         *     In the order they were made, each with its state. Ended ones (accepted, revoked, expired) are kept 30 days. Links are never shown again.
         */
        get: operations["listInvitations"];
        put?: never;
        /**
         * Invites a person to the chatbot: a single-use sign-in link that makes them an agent (valid 7 days)
         * @description Required permission: `chatbots.members.edit` on resource `chatbots/:chatbotId`.
         *
         *     Opening the link (`POST /v1/login-links/exchange`, as the console does) creates a **new** agent with this name and e-mail, makes it a member with the role, and gives that browser its own key. No existing agent is looked up or bound, so the answer is the same whatever the address. A new invitation of the same address to this chatbot revokes its pending one. A key may invite only to a role whose permissions it holds here (`admin` needs `chatbots.*`).
         */
        post: operations["createInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/invitations/{invitationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revokes a pending invitation
         * @description Required permission: `chatbots.members.edit` on resource `chatbots/:chatbotId`.
         *
         *     Its link stops working at once (it then answers 410 like a used link). Revoking one already revoked or expired changes nothing (204); one already accepted is 409 `invitation_accepted`: remove the member instead.
         */
        delete: operations["revokeInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists a chatbot's keys, without secrets
         * @description Required permission: `chatbots.keys.list` on resource `chatbots/:chatbotId`.
         *
         *     Its chatbot keys and its members' agent keys, oldest first, a page at a time.
         */
        get: operations["listChatbotKeys"];
        put?: never;
        /**
         * Makes a key: an agent key for a member, or a chatbot key with grants
         * @description Required permission: `chatbots.keys.create` on resource `chatbots/:chatbotId`.
         *
         *     `{"kind": "agent", "agentId": …}` makes a key that acts as that member, with its role in each of its chatbots; `{"kind": "chatbot", "permissions": […]}` makes an integration key with those grants on this chatbot only. A key can only make keys whose power it holds itself: grants it covers, and agent keys only for agents whose roles it holds in every chatbot they belong to. The secret is in the answer, this once.
         */
        post: operations["createChatbotKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revokes a key of the chatbot
         * @description Required permission: `chatbots.keys.revoke` on resource `chatbots/:chatbotId`.
         *
         *     Every later request with it is refused (401 revoked_key), on every instance. A key may revoke itself, and keys it could have made.
         */
        delete: operations["revokeChatbotKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Gives a key of the chatbot a new secret
         * @description Required permission: `chatbots.keys.create` on resource `chatbots/:chatbotId`.
         *
         *     The previous secret stays valid for `overlapSeconds` (0 to 86,400), then answers 401 rotated_key; the key keeps its id, grants and history. The new secret is in the answer, this once. A revoked key cannot be rotated (409 key_revoked).
         */
        post: operations["rotateChatbotKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the members of a chatbot
         * @description Required permission: `chatbots.members.list` on resource `chatbots/:chatbotId`.
         *
         *     In the order they joined, a page at a time.
         */
        get: operations["listMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/members/{agentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieves one member of a chatbot
         * @description Required permission: `chatbots.members.list` on resource `chatbots/:chatbotId`.
         */
        get: operations["getMember"];
        /**
         * Adds an agent to a chatbot with a role, or changes its role
         * @description Required permission: `chatbots.members.edit` on resource `chatbots/:chatbotId`.
         *
         *     201 when the agent was added, 200 when it was a member already (its role is set; the same role changes nothing). Announced on the chatbot's stream. A key may give only a role whose permissions it holds on this chatbot (`admin` needs `chatbots.*`), and the last admin cannot be made an agent (409 last_admin). An agent that is not a member of a chatbot this key administers is 404 unless the key is an operator key.
         */
        put: operations["setMember"];
        post?: never;
        /**
         * Removes an agent from a chatbot
         * @description Required permission: `chatbots.members.edit` on resource `chatbots/:chatbotId`.
         *
         *     Its keys stop working on this chatbot at once, and its settings and devices there go; announced on the chatbot's stream. The last admin cannot be removed (409 last_admin).
         */
        delete: operations["removeMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatbots/{chatbotId}/members/{agentId}/skills": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Sets a member's skills in a chatbot
         * @description Required permission: `chatbots.members.edit` on resource `chatbots/:chatbotId`.
         *
         *     The list replaces the member's skills (at most 50; [] for none), kept sorted, each once. A chat that requires skills (requiredSkills) goes only to a member holding every one; the others are considered missing_skill. Chats waiting for a skill the member now holds are assigned to it in the same unit of work when it has room. Recorded in the audit log as member.skills_changed.
         */
        put: operations["setMemberSkills"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/{agentId}/capacity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Reports an agent's capacity: chats now, and the most it takes
         * @description Required permission: `chatbots.inbox.agents.capacity.edit` on resource `chatbots/:chatbotId`.
         *
         *     For integrations (a chat router). Absolute values, so a retry is harmless, ordered by their own clientTimestamp: an older report answers 200 with applied: false and changes nothing. A field left out keeps its value. At activeChats ≥ maxChats the agent is busy with reason at_capacity.
         */
        put: operations["setAgentCapacity"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/{agentId}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists an agent's availability history on a chatbot, newest first
         * @description Required permission: `chatbots.inbox.reports.read` on resource `chatbots/:chatbotId`.
         *
         *     Every change of state, reason or status text is an interval, kept HISTORY_DAYS after it ended. An agent with no history here (or unknown) has an empty list.
         */
        get: operations["listAgentHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/{agentId}/login-links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Makes a single-use sign-in link for an agent (valid 15 minutes)
         * @description Required permission: `chatbots.keys.create` on resource `chatbots/:chatbotId`.
         *
         *     Opening the link in a browser gives that browser a key of its own (see the exchange). Who makes it must be able to make the agent a key: an admin of the chatbot (and of the agent's other chatbots, if any), or an operator key.
         */
        post: operations["createLoginLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/{agentId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A supervisor sets another agent's status
         * @description Required permission: `chatbots.inbox.agents.status.edit` on resource `chatbots/:chatbotId`.
         *
         *     For admins (and integrations granted it). offline sets the agent's online flag; the others set its chosen status, and online. Ordered with the agent's own updates by the server clock, so the agent's next own update wins it back. The entry, its event and the history say who set it (setBy).
         */
        post: operations["overrideAgentStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/{agentId}/working-hours": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * A supervisor sets an agent's working hours (null: the chatbot's default)
         * @description Required permission: `chatbots.inbox.agents.status.edit` on resource `chatbots/:chatbotId`.
         *
         *     Outside the schedule in effect (the agent's own, else the chatbot's default) the agent is offline with reason outside_working_hours, unless it explicitly went online (online turned from false to true) or chose a status meanwhile: that overrides them until the next opening. A heartbeat re-posting online: true does not.
         */
        put: operations["setAgentWorkingHours"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/available": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the agents who can take a chat now, least loaded first
         * @description Required permission: `chatbots.inbox.availability.read` on resource `chatbots/:chatbotId`.
         *
         *     Agents whose state is available, ordered by activeChats / maxChats (no maxChats counts as 0), then activeChats, then name: the first is the one to route a new chat to.
         */
        get: operations["listAvailableAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the calling agent is, and its chatbots
         * @description Required permission: `chatbots.inbox.agents.list` on resource `chatbots/:chatbotId`.
         *
         *     For an agent key (a console's sign-in): the agent's name and email, and every chatbot it is a member of with the chatbot's name and the agent's role there, ordered by name. What a console's chatbot switcher lists, and whether it shows the supervisor's views (role `admin`).
         */
        get: operations["whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/activity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reports that the person at a client of the agent is active
         * @description Required permission: `chatbots.inbox.agents.online.edit` on resource `chatbots/:chatbotId`.
         *
         *     No body. Send it while the person uses the client (input in the last minute), at most every 30 s. After the chatbot's idleAfterSeconds without a report from any of the agent's clients, the agent is away with reason idle; the next report makes it available again. Also a sign of life of the device (the key) that sends it. Cheap: at most one stored write per device per 30 s, and nothing is announced unless what clients see changes. Agents whose clients never report activity are never idle.
         */
        post: operations["reportOwnActivity"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/chats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in agent's open chats (My chats)
         * @description Required permission: `chatbots.inbox.agents.list` on resource `chatbots/:chatbotId`.
         *
         *     An agent key's own open assignments, oldest first, a page at a time: what the console's My chats shows (assignedAt says how long each has been theirs). Other keys: 403 key_not_bound_to_agent (an integration lists them with GET …/assignments?agentId=).
         */
        get: operations["listMyChats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Signs out: revokes the agent key this request is made with
         * @description Required permission: `chatbots.inbox.agents.online.edit` on resource `chatbots/:chatbotId`.
         *
         *     What a browser's "Sign out" does with the key its sign-in link gave it; any agent key may revoke itself. Every later request with the key answers 401 revoked_key.
         */
        delete: operations["signOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieves the agent's own notification settings
         * @description Required permission: `chatbots.inbox.agents.notifications.get` on resource `chatbots/:chatbotId`.
         */
        get: operations["getOwnNotificationSettings"];
        put?: never;
        /**
         * Updates the agent's own notification settings
         * @description Required permission: `chatbots.inbox.agents.notifications.edit` on resource `chatbots/:chatbotId`.
         *
         *     Each field present changes one thing; `{}` changes nothing. `pushToken` (an FCM token) or `pushSubscription` (a Web Push subscription, `PushSubscription.toJSON()`) adds or refreshes one device of this agent here, keyed by the token or endpoint (a token another agent had moves to this one); `{"pushToken": null}` removes every device of this agent here. `mutedTypes` replaces the list of event types not to push; `pushWhenConnected` (default false) pushes even while the agent watches the inbox live. At most 20 devices per agent; a subscription must be https on a public address. A refused field stores nothing. Answers with the settings as they stand, and `deviceId` when a device was added or refreshed.
         */
        post: operations["updateOwnNotificationSettings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/notifications/devices/{deviceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Removes one of the agent's own devices
         * @description Required permission: `chatbots.inbox.agents.notifications.edit` on resource `chatbots/:chatbotId`.
         *
         *     For a browser logging out: no more pushes to it. The other devices stay.
         */
        delete: operations["removeOwnDevice"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/notifications/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sends me a test notification, to my own devices only
         * @description Required permission: `chatbots.inbox.agents.notifications.edit` on resource `chatbots/:chatbotId`.
         *
         *     What "Send me a test notification" does: one push titled "Test notification" (type `inbox.test`) to each of the calling agent's devices on this chatbot, whatever its muted types, status, working hours or open streams. Answers 202 with the deliveries; each device's outcome then shows in `GET me/notifications` (`lastSuccessAt`, `lastError`). Limited per key (`RATE_LIMIT_TEST_PUSH`, default 5 per minute).
         */
        post: operations["sendMeATestNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/offers/{conversationId}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accepts a chat offered to the signed-in agent
         * @description Required permission: `chatbots.inbox.agents.online.edit` on resource `chatbots/:chatbotId`.
         *
         *     An agent key's own offer (assignment.offered): the chat becomes the agent's, announced as assignment.accepted; the agent's missed offers in a row go back to 0. Accepting a chat already accepted answers it again (a retry). 409 offer_expired once the offer lapsed (it goes on to the next agent within a second); 404 when no offer of the conversation is open to this agent. Other keys: 403 key_not_bound_to_agent.
         */
        post: operations["acceptOffer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/offers/{conversationId}/decline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Declines a chat offered to the signed-in agent
         * @description Required permission: `chatbots.inbox.agents.online.edit` on resource `chatbots/:chatbotId`.
         *
         *     The chat goes to the next eligible agent (never back to one who declined or missed it) or waits in the queue: announced as assignment.declined, then assignment.offered (or assignment.created) or assignment.waiting. Answers the chat as it stands after. A decline never sets the agent away (a miss may). 409 offer_accepted when the agent accepted it already; 404 when no offer of the conversation is open to this agent.
         */
        post: operations["declineOffer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/online": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sets the agent's own online status
         * @description Required permission: `chatbots.inbox.agents.online.edit` on resource `chatbots/:chatbotId`.
         *
         *     Last writer wins by clientTimestamp across all of the agent's keys and devices. A stale update answers 200 with applied=false and still counts as a sign of life. A clientTimestamp more than MAX_CLIENT_CLOCK_AHEAD_SECONDS ahead of the server clock is refused.
         */
        post: operations["setOwnOnlineStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sets the agent's own chosen status: available, away, busy or do not disturb
         * @description Required permission: `chatbots.inbox.agents.online.edit` on resource `chatbots/:chatbotId`.
         *
         *     Ordered by its own clientTimestamp (last writer wins), apart from POST agents/me/online: `online: false` still means offline, and `online: true` returns to the chosen status. With `until`, the status lapses by itself at that moment (announced then) and the agent is available again. Also a sign of life. Answers with the state the availability rule derives afterwards.
         */
        post: operations["setOwnChosenStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/me/working-hours": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Reads the agent's own working hours
         * @description Required permission: `chatbots.inbox.agents.online.edit` on resource `chatbots/:chatbotId`.
         *
         *     Outside the schedule in effect (the agent's own, else the chatbot's default) the agent is offline with reason outside_working_hours, unless it explicitly went online (online turned from false to true) or chose a status meanwhile: that overrides them until the next opening. A heartbeat re-posting online: true does not.
         */
        get: operations["getOwnWorkingHours"];
        /**
         * Sets the agent's own working hours (null: the chatbot's default)
         * @description Required permission: `chatbots.inbox.agents.online.edit` on resource `chatbots/:chatbotId`.
         *
         *     Outside the schedule in effect (the agent's own, else the chatbot's default) the agent is offline with reason outside_working_hours, unless it explicitly went online (online turned from false to true) or chose a status meanwhile: that overrides them until the next opening. A heartbeat re-posting online: true does not.
         */
        put: operations["setOwnWorkingHours"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/online": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the online status of every agent of a chatbot
         * @description Required permission: `chatbots.inbox.agents.list` on resource `chatbots/:chatbotId`.
         *
         *     Answers with an `ETag`; a request with `If-None-Match` set to it gets an empty 304 while nothing changed.
         */
        get: operations["listAgentsOnline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/online/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Streams changes of the agents' listed status (server-sent events)
         * @description Required permission: `chatbots.inbox.agents.list` on resource `chatbots/:chatbotId`.
         *
         *     `text/event-stream`. First a `snapshot` event (data: the same JSON as GET agents/online), then one `presence` event each time an agent's listed status (`online`, `connected`, `state`, `reason`, `statusText`, `statusUntil`) changes or a member is added or removed (data: that agent's entry; a removal has `"removed": true`).
         *
         *     Every event has `id:` = the chatbot's event version, which only grows. Reconnecting with `Last-Event-ID` (or `?since=`) replays exactly the missed events, or sends a fresh snapshot when they are no longer kept (or the id is malformed).
         *
         *     With `?batch=true`, changes come as `batch` events instead: one per delivery (the changes of one unit of work, or of one read of the log), data `{"agents": [entry, …]}` in version order, id the last change's version. A burst of changes (many agents idle at one moment) is then one frame per stream rather than one per change; resuming works the same.
         *
         *     When assignments are used, an `assignment.orphaned` event says that an agent with open chats has been gone for the chatbot's reassignAfterSeconds: data `{"chatbotId", "agentId", "conversations": […], "moved": [{"conversationId", "agentId"}]}`, the same as its webhook's. Likewise `assignment.created` (a chat assigned: `{"chatbotId", "conversationId", "agentId", "agentName", "strategy", "assignedAt", "title", "preview", "arrivedAt", "priority", "requiredSkills", "skillStep"}`: the skills it was assigned under and which step of its requirement that was, 0 as asked), `assignment.transferred` (moved to another agent: the same without skillStep, and `"from"`; an orphaned chat's move comes before its `assignment.orphaned`) and `assignment.released` (`{"chatbotId", "conversationId", "agentId"}`); a chat put in the waiting queue, cancelled while it waited or expired as `assignment.waiting`, `assignment.cancelled`, `assignment.expired` (`{"chatbotId", "conversationId", "priority", "arrivedAt", "expiresAt", "maxWaitSeconds", "title", "preview", "requiredSkills", "skillSteps"}` with `cancelledAt` or `expiredAt`); when the chatbot asks its agents to accept (offerTimeoutSeconds), `assignment.offered` (the assignment.created data with `"offerExpiresAt"`), `assignment.accepted` (the same with `"acceptedAt"`), `assignment.declined` and `assignment.offer_missed` (`{"chatbotId", "conversationId", "agentId", "offeredAt"}` with `declinedAt` or `missedAt`), each once. Each has its own id in the same sequence (a batched stream sends it as a frame of its own between batches); a snapshot does not repeat it.
         *
         *     A comment line at least every 15 s keeps proxies from closing the stream. A reader more than 256 KiB behind is disconnected and resumes on reconnect. At most 20 streams per key (429).
         *
         *     Authenticate with the x-chatcaptain-key header, or `?ticket=` from POST .../stream-tickets. A stream made with an agent key keeps that agent alive; after its last stream closes, the agent stays listed for PRESENCE_GRACE_SECONDS.
         */
        get: operations["streamAgentsOnline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/agents/online/stream-tickets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Creates a short-lived ticket for opening the stream from a browser
         * @description Required permission: `chatbots.inbox.agents.list` on resource `chatbots/:chatbotId`.
         *
         *     EventSource cannot send headers, and a long-lived key must never sit in a URL. The ticket lasts 60 s, works once, only on this chatbot, and acts as the key that made it (an agent key's stream keeps that agent alive).
         */
        post: operations["createStreamTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/assignments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists open assignments (of one agent with ?agentId=)
         * @description Required permission: `chatbots.inbox.assignments.read` on resource `chatbots/:chatbotId`.
         *
         *     Oldest first, a page at a time.
         */
        get: operations["listAssignments"];
        put?: never;
        /**
         * Assigns a conversation to the agent who should take it
         * @description Required permission: `chatbots.inbox.assignments.edit` on resource `chatbots/:chatbotId`.
         *
         *     Eligible: a member whose state is available, who has room (activeChats < maxChats; no maxChats: no limit) and who holds every skill in requiredSkills. The choice and the load it adds are one unit of work under the chatbot's lock, so concurrent assignments never put an agent over maxChats, on one instance or many. 201 with the agent and every member considered with why; the same conversationId again answers its open assignment (200), so a retry is safe. Nobody eligible: 409 no_agent_available with every member's reason and nextAvailableAt, or with wait: true, 202 and the chat waits in the queue (its position, estimated wait and every member's reason), to be assigned as soon as someone can take it (in the unit of work that frees the room). Chats already waiting go first. A new assignment is announced once, on the stream and to the webhooks, as assignment.created (with title and preview); a chat put in the queue as assignment.waiting.
         */
        post: operations["assign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/assignments/{conversationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A conversation's chat as it stands: waiting (position, estimate), assigned (its agent), or how it ended
         * @description Required permission: `chatbots.inbox.assignments.read` on resource `chatbots/:chatbotId`.
         *
         *     The newest chat of the conversation. 404 when it never had one (or it ended longer ago than the availability history is kept, HISTORY_DAYS).
         */
        get: operations["getChat"];
        put?: never;
        post?: never;
        /**
         * Ends a chat: releases an assigned one (its agent has room again), cancels a waiting one (the visitor left)
         * @description Required permission: `chatbots.inbox.assignments.edit` on resource `chatbots/:chatbotId`.
         *
         *     Released: announced as assignment.released, and the queue drains into the room it frees in the same unit of work. Cancelled: announced as assignment.cancelled. 404 when the conversation has neither.
         */
        delete: operations["releaseAssignment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/assignments/{conversationId}/transfer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Moves an open assignment to another agent, or to the next eligible one
         * @description Required permission: `chatbots.inbox.assignments.edit` on resource `chatbots/:chatbotId`.
         *
         *     With agentId, to that member if it can take the chat (available, with room, holding the skills the chat requires); without, to the next eligible member by the strategy, never the one who has it. Nobody can: 409 no_agent_available, and the chat stays where it was.
         */
        post: operations["transferAssignment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Summarizes the chatbot's availability: agents by state, whether anyone is available, when the next is due
         * @description Required permission: `chatbots.inbox.availability.read` on resource `chatbots/:chatbotId`.
         *
         *     What a chat widget needs to say "we reply in a few minutes" or "we're back at 9:00". A widget's chatbot key may hold `chatbots.inbox.availability.read` alone. Answers with an `ETag`; `If-None-Match` set to it gets an empty 304 while nothing changed.
         */
        get: operations["getAvailability"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sends a browser notification to a chatbot's agents
         * @description Required permission: `chatbots.inbox.notifications.send` on resource `chatbots/:chatbotId`.
         *
         *     Who gets a push: the audience (default `available`: members whose chosen status is online; `all`; or `{ "agentIds": [...] }`), minus agents who muted the type, minus agents with a live stream open unless they set `pushWhenConnected`. Each remaining agent gets one delivery per device. The others appear as `skipped` deliveries with the reason.
         *
         *     Answers 202 at once with the deliveries; a worker sends them (retrying with backoff while the TTL lasts). An `Idempotency-Key` header makes a retried call answer as the first did and send nothing twice; the same key with a different body is 409. A push that would exceed 4096 bytes once encrypted is refused with 400 `payload_too_large`.
         */
        post: operations["sendNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/notifications/{notificationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Shows a notification and the state of each delivery
         * @description Required permission: `chatbots.inbox.notifications.send` on resource `chatbots/:chatbotId`.
         *
         *     States: `pending` (queued or waiting to retry), `sent` (the push service accepted it), `failed` (refused for good: see `reason` and `lastError`), `expired` (the TTL ran out first), `skipped` (not sent: see `reason`).
         */
        get: operations["getNotification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/offers/{conversationId}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accepts an offer with its secret (the notification's Accept)
         * @description No key needed: the secret the offer's push carried (data.offer.secret) acts for its agent on this one offer while it is open, as the agent's own route does. The service worker's Accept and Decline actions send it (the SDK's installInboxServiceWorker). A wrong secret answers 404 and counts against the caller's address like a bad key.
         */
        post: operations["acceptOfferWithSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/offers/{conversationId}/decline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Declines an offer with its secret (the notification's Decline)
         * @description No key needed: the secret the offer's push carried (data.offer.secret) acts for its agent on this one offer while it is open, as the agent's own route does. The service worker's Accept and Decline actions send it (the SDK's installInboxServiceWorker). A wrong secret answers 404 and counts against the caller's address like a bad key.
         */
        post: operations["declineOfferWithSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/queue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists the chats waiting for an agent, in queue order
         * @description Required permission: `chatbots.inbox.assignments.read` on resource `chatbots/:chatbotId`.
         *
         *     Higher priority first, then the order they arrived in, a page at a time; each with its position, estimated wait and why it waits (as when it arrived).
         */
        get: operations["listQueue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/reports/offers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Reports offers per agent: accepted, declined, missed, and the median time to accept
         * @description Required permission: `chatbots.inbox.reports.read` on resource `chatbots/:chatbotId`.
         *
         *     Offers that ended in the report's period (from its first local day to the end of its last, in tz), per agent: how many were accepted, declined, missed (lapsed unanswered) or withdrawn (the chat released (DELETE) or moved while offered), and the median seconds from offer to accept. `Accept: text/csv` answers the same rows as CSV. Kept as long as the availability history (HISTORY_DAYS).
         */
        get: operations["reportOffers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/reports/time-in-state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Reports the time each agent spent in each state, per day or week
         * @description Required permission: `chatbots.inbox.reports.read` on resource `chatbots/:chatbotId`.
         *
         *     From the availability history, in the time zone asked for (days of 23 or 25 hours across daylight-saving changes). Only agents with history in a period have a row for it. `Accept: text/csv` answers the same rows as CSV (RFC 4180; the agent's name beside its id, seconds per state as columns). At most 366 days and 100000 rows.
         */
        get: operations["reportTimeInState"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/reports/waiting": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Reports how long chats waited for an agent, and how many were cancelled or expired, per day or week and priority
         * @description Required permission: `chatbots.inbox.reports.read` on resource `chatbots/:chatbotId`.
         *
         *     Chats by the local day (or week) they arrived in tz, and priority: how many arrived, were assigned, cancelled, expired or still wait, and the p50 and p90 of the assigned ones' wait for their first agent (seconds; a chat assigned at once waited 0). `Accept: text/csv` answers the same rows as CSV. Ended chats are kept as long as the availability history (HISTORY_DAYS).
         */
        get: operations["reportWaiting"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists a chatbot's webhooks (without secrets)
         * @description Required permission: `chatbots.webhooks.edit` on resource `chatbots/:chatbotId`.
         */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Registers a webhook for availability changes
         * @description Required permission: `chatbots.webhooks.edit` on resource `chatbots/:chatbotId`.
         *
         *     Every change of an agent's state, reason or status text is POSTed as `{ "type": "agent.availability.changed", "timestamp", "data": { "chatbotId", "agent": <list entry> } }`; an agent gone from its assigned chats as `{ "type": "assignment.orphaned", "timestamp", "data": { "chatbotId", "agentId", "conversations", "moved" } }`; a chat assigned, moved or released as `assignment.created`, `assignment.transferred` and `assignment.released`, and one put in the waiting queue, cancelled or expired as `assignment.waiting`, `assignment.cancelled`, `assignment.expired`, and the steps of an offer as `assignment.offered`, `assignment.accepted`, `assignment.declined`, `assignment.offer_missed`, with the stream event's data (never debounced). Signed as Standard Webhooks specifies (headers webhook-id, webhook-timestamp, webhook-signature). Retried with backoff for 24 h on network errors, 5xx, 408 and 429; any other answer but 2xx fails it. Private and loopback targets are refused, as for pushes. At most 10 per chatbot.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/webhooks/{webhookId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Removes a webhook and its messages
         * @description Required permission: `chatbots.webhooks.edit` on resource `chatbots/:chatbotId`.
         */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/inbox/{chatbotId}/webhooks/{webhookId}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists a webhook's messages with their attempts, newest first
         * @description Required permission: `chatbots.webhooks.edit` on resource `chatbots/:chatbotId`.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Lists every key of the install, without secrets
         * @description Required permission: `keys.list` on the install (operator keys).
         *
         *     Oldest first, a page at a time; `kind` and `agentId` narrow it.
         */
        get: operations["listKeys"];
        put?: never;
        /**
         * Makes an operator key
         * @description Required permission: `keys.create` on the install (operator keys).
         *
         *     An install-wide key, with grants the calling operator key holds itself (`*` only from a `*` key). Install permissions (chatbots.create, agents.sync, …) and chatbot permissions (`chatbots.*` and below) on every chatbot. The secret is in the answer, this once.
         */
        post: operations["createOperatorKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revokes any key of the install
         * @description Required permission: `keys.revoke` on the install (operator keys).
         *
         *     Only a key the calling key could have made (or itself).
         */
        delete: operations["revokeKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Gives any key of the install a new secret
         * @description Required permission: `keys.create` on the install (operator keys).
         *
         *     As for a chatbot's key: the previous secret stays valid for `overlapSeconds` (0 to 86,400). Only a key the calling key could have made.
         */
        post: operations["rotateKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/login-links/exchange": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Opens a sign-in link: exchanges its token for the browser's own key
         * @description No key needed: the token is the secret. The new key is an agent key, listed and revocable with the agent's keys, that ends after 30 days unused; signing out revokes it (`DELETE /v1/inbox/{chatbotId}/agents/me/key`). A used, expired or unknown token answers 410, and counts against the caller's address like a bad key.
         */
        post: operations["exchangeLoginLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/push/vapid-public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The VAPID public key browsers subscribe with
         * @description Pass it as `applicationServerKey` to `pushManager.subscribe`. Public: needs no key.
         */
        get: operations["getVapidPublicKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * Error 400
         * @example {
         *       "error": "clientTimestamp must be epoch milliseconds (a string of digits or a whole JSON number) or an ISO-8601 date-time with a time zone",
         *       "code": "invalid_request"
         *     }
         */
        Error400: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "invalid_request" | "invalid_json" | "invalid_client_timestamp" | "client_timestamp_in_future" | "control_character" | "invalid_url" | "invalid_http" | "invalid_push_subscription" | "push_endpoint_not_allowed" | "too_many_devices" | "payload_too_large";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 401
         * @example {
         *       "error": "an API key is required in the x-chatcaptain-key header",
         *       "code": "missing_key"
         *     }
         */
        Error401: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "missing_key" | "invalid_key" | "revoked_key" | "invalid_ticket" | "ticket_expired" | "rotated_key" | "expired_key";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 403
         * @example {
         *       "error": "this key has no access to chatbot cb_8f3k2",
         *       "code": "chatbot_forbidden"
         *     }
         */
        Error403: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "chatbot_forbidden" | "permission_denied" | "key_not_bound_to_agent";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 404
         * @example {
         *       "error": "no notification ntf_2x9 in this chatbot",
         *       "code": "not_found"
         *     }
         */
        Error404: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "not_found";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 409
         * @example {
         *       "error": "this Idempotency-Key was used with a different request; use a new key for a new notification",
         *       "code": "idempotency_key_reused"
         *     }
         */
        Error409: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "idempotency_key_reused" | "last_admin" | "external_id_taken" | "key_revoked" | "no_agent_available" | "offer_expired" | "offer_ended" | "offer_accepted" | "invitation_accepted";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 410
         * @example {
         *       "error": "This sign-in link was already used or has expired",
         *       "code": "login_link_invalid"
         *     }
         */
        Error410: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "login_link_invalid";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 413
         * @example {
         *       "error": "the request body is larger than the 64 KiB limit",
         *       "code": "body_too_large"
         *     }
         */
        Error413: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "body_too_large";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 415
         * @example {
         *       "error": "the request body must be JSON (Content-Type: application/json)",
         *       "code": "unsupported_media_type"
         *     }
         */
        Error415: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "unsupported_media_type";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 429
         * @example {
         *       "error": "too many status writes with this key: 3000 per 10 s are allowed; retry in 4 s",
         *       "code": "rate_limited"
         *     }
         */
        Error429: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "rate_limited" | "too_many_streams";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 431
         * @example {
         *       "error": "the request line and headers are larger than the 16 KiB the service reads",
         *       "code": "headers_too_large"
         *     }
         */
        Error431: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "headers_too_large";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 500
         * @example {
         *       "error": "internal error; quote request id 3f9a0c1b2d4e-1k when reporting it",
         *       "code": "internal_error"
         *     }
         */
        Error500: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "internal_error";
            /** @description A message a person understands */
            error: string;
        };
        /**
         * Error 503
         * @example {
         *       "error": "the database is not reachable",
         *       "code": "service_unavailable"
         *     }
         */
        Error503: {
            /**
             * @description A stable, machine-readable code
             * @enum {string}
             */
            code: "service_unavailable" | "database_unavailable";
            /** @description A message a person understands */
            error: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @example ok */
                        status: string;
                    };
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The database (and Redis, when configured) answered */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Each push service: "ok", "not configured", "degraded: …" (more than half of its last 20 sends failed: unreachable, 429, 5xx; with the last failure), or "broken since …: …" (it refused our credentials). The instance stays ready either way: it still serves the API. */
                        details?: {
                            push: {
                                fcm: string;
                                webpush: string;
                            };
                        };
                        /** @example ready */
                        status: string;
                    };
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listAgents: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Only the agents with this e-mail address. */
                email?: string;
                /** @description Only the agent with this externalId. */
                externalId?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of agents (their memberships are listed when read one by one) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            email: string | null;
                            externalId: string | null;
                            /** @example ag_7hq2m4x9c2v5b8n1 */
                            id: string;
                            /** @description The chatbots the agent belongs to, with its role in each. */
                            memberships: {
                                chatbotId: string;
                                /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                                role: "agent" | "admin";
                            }[];
                            name: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    createAgent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An e-mail address, or null. */
                    email?: string | null;
                    externalId?: string | null;
                    name: string;
                };
            };
        };
        responses: {
            /** @description The new agent */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        email: string | null;
                        externalId: string | null;
                        /** @example ag_7hq2m4x9c2v5b8n1 */
                        id: string;
                        /** @description The chatbots the agent belongs to, with its role in each. */
                        memberships: {
                            chatbotId: string;
                            /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                            role: "agent" | "admin";
                        }[];
                        name: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the agent. */
                agentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The agent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        email: string | null;
                        externalId: string | null;
                        /** @example ag_7hq2m4x9c2v5b8n1 */
                        id: string;
                        /** @description The chatbots the agent belongs to, with its role in each. */
                        memberships: {
                            chatbotId: string;
                            /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                            role: "agent" | "admin";
                        }[];
                        name: string;
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    deleteAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the agent. */
                agentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    updateAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the agent. */
                agentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An e-mail address, or null. */
                    email?: string | null;
                    externalId?: string | null;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description The agent as it stands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        email: string | null;
                        externalId: string | null;
                        /** @example ag_7hq2m4x9c2v5b8n1 */
                        id: string;
                        /** @description The chatbots the agent belongs to, with its role in each. */
                        memberships: {
                            chatbotId: string;
                            /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                            role: "agent" | "admin";
                        }[];
                        name: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    upsertAgentByExternalId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The embedding product's own id for this person; unique per install. */
                externalId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description An e-mail address, or null. */
                    email?: string | null;
                    name: string;
                };
            };
        };
        responses: {
            /** @description The agent existed; it is as given now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        email: string | null;
                        externalId: string | null;
                        /** @example ag_7hq2m4x9c2v5b8n1 */
                        id: string;
                        /** @description The chatbots the agent belongs to, with its role in each. */
                        memberships: {
                            chatbotId: string;
                            /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                            role: "agent" | "admin";
                        }[];
                        name: string;
                    };
                };
            };
            /** @description The agent was created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        email: string | null;
                        externalId: string | null;
                        /** @example ag_7hq2m4x9c2v5b8n1 */
                        id: string;
                        /** @description The chatbots the agent belongs to, with its role in each. */
                        memberships: {
                            chatbotId: string;
                            /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                            role: "agent" | "admin";
                        }[];
                        name: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listAudit: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /**
                             * @description What was done.
                             * @enum {string}
                             */
                            action: "chatbot.created" | "chatbot.renamed" | "chatbot.settings_changed" | "chatbot.deleted" | "agent.created" | "agent.updated" | "agent.deleted" | "member.added" | "member.role_changed" | "member.skills_changed" | "member.removed" | "key.created" | "key.revoked" | "key.rotated" | "login_link.created" | "login_link.used" | "invitation.created" | "invitation.revoked" | "invitation.accepted" | "assignment.created" | "assignment.released" | "assignment.transferred" | "assignment.waiting" | "assignment.cancelled" | "assignment.expired" | "assignment.offered" | "assignment.accepted" | "assignment.declined" | "assignment.offer_missed";
                            /** @description Who made the change. */
                            actor: {
                                /** @description The agent an agent key acts as; null for other keys. */
                                agentId: string | null;
                                /** @description The key that made the change; null for the CLI. */
                                keyId: string | null;
                                /** @description The key's kind, cli, login_link (a sign-in link opened in a browser), or service (the service by itself: an orphaned chat moved). */
                                kind: "agent" | "chatbot" | "operator" | "cli" | "login_link" | "service";
                                /** @description Who acted, as a person reads it: an agent key's agent name, another key's own name; null for the CLI, the service, a key without a name, or one deleted since. */
                                name: string | null;
                            };
                            /** @description The agent it concerns, if any. */
                            agentId: string | null;
                            /** Format: date-time */
                            at: string;
                            /** @description The chatbot it concerns, if any. */
                            chatbotId: string | null;
                            /** @description What changed: a name, a role, grants. Never a secret. */
                            detail: {
                                [key: string]: unknown;
                            } | null;
                            /** @example aud_3kq9wz1x8v7c6b5n */
                            id: string;
                            /** @description The key it concerns, if any. */
                            keyId: string | null;
                            /** @description The HTTP request that made it (its x-request-id and log line); null for the CLI. */
                            requestId: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listChatbots: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of chatbots */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Whether orphaned assignments are moved to eligible agents (true) or only announced (false, the default). */
                            autoReassign: boolean;
                            /** @description Offers an agent may miss in a row before it is set away with reason missed_offer (so the team's availability stays true); null: never. Default 1. */
                            awayAfterMissedOffers: number | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @example cb_3kq9wz1x8v7c6b5n */
                            id: string;
                            idleAfterSeconds: number;
                            name: string;
                            /** @description Seconds an agent has to accept a chat offered to it (assignment.offered); declined or unanswered, the chat goes to the next eligible agent or waits in the queue. Null (the default): chats are assigned without an offer. */
                            offerTimeoutSeconds: number | null;
                            /** @description Seconds an agent with open assignments may be offline, away or do-not-disturb before its chats are announced orphaned (and, with autoReassign, moved); null: never. Default 120. */
                            reassignAfterSeconds: number | null;
                            /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                            workingHours: {
                                /**
                                 * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                                 * @example Europe/Berlin
                                 */
                                timeZone: string;
                                weekly: {
                                    /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                    fri?: {
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        from: string;
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        to: string;
                                    }[];
                                    /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                    mon?: {
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        from: string;
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        to: string;
                                    }[];
                                    /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                    sat?: {
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        from: string;
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        to: string;
                                    }[];
                                    /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                    sun?: {
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        from: string;
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        to: string;
                                    }[];
                                    /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                    thu?: {
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        from: string;
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        to: string;
                                    }[];
                                    /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                    tue?: {
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        from: string;
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        to: string;
                                    }[];
                                    /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                    wed?: {
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        from: string;
                                        /** @description Local time, HH:MM (00:00 to 24:00). */
                                        to: string;
                                    }[];
                                };
                            } | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    createChatbot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Seconds without reported activity (POST agents/me/activity) after which an agent is away with reason idle. Agents whose clients never report activity are never idle.
                     * @example 600
                     */
                    idleAfterSeconds?: number;
                    name: string;
                };
            };
        };
        responses: {
            /** @description The new chatbot */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether orphaned assignments are moved to eligible agents (true) or only announced (false, the default). */
                        autoReassign: boolean;
                        /** @description Offers an agent may miss in a row before it is set away with reason missed_offer (so the team's availability stays true); null: never. Default 1. */
                        awayAfterMissedOffers: number | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @example cb_3kq9wz1x8v7c6b5n */
                        id: string;
                        idleAfterSeconds: number;
                        name: string;
                        /** @description Seconds an agent has to accept a chat offered to it (assignment.offered); declined or unanswered, the chat goes to the next eligible agent or waits in the queue. Null (the default): chats are assigned without an offer. */
                        offerTimeoutSeconds: number | null;
                        /** @description Seconds an agent with open assignments may be offline, away or do-not-disturb before its chats are announced orphaned (and, with autoReassign, moved); null: never. Default 120. */
                        reassignAfterSeconds: number | null;
                        /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                        workingHours: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getChatbot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chatbot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether orphaned assignments are moved to eligible agents (true) or only announced (false, the default). */
                        autoReassign: boolean;
                        /** @description Offers an agent may miss in a row before it is set away with reason missed_offer (so the team's availability stays true); null: never. Default 1. */
                        awayAfterMissedOffers: number | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @example cb_3kq9wz1x8v7c6b5n */
                        id: string;
                        idleAfterSeconds: number;
                        name: string;
                        /** @description Seconds an agent has to accept a chat offered to it (assignment.offered); declined or unanswered, the chat goes to the next eligible agent or waits in the queue. Null (the default): chats are assigned without an offer. */
                        offerTimeoutSeconds: number | null;
                        /** @description Seconds an agent with open assignments may be offline, away or do-not-disturb before its chats are announced orphaned (and, with autoReassign, moved); null: never. Default 120. */
                        reassignAfterSeconds: number | null;
                        /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                        workingHours: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    deleteChatbot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    updateChatbot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        /** @description The fields to change; at least one. */
        requestBody: {
            content: {
                "application/json": {
                    /** @description Whether orphaned assignments are moved to eligible agents (true) or only announced (false, the default). */
                    autoReassign?: boolean;
                    /** @description Offers an agent may miss in a row before it is set away with reason missed_offer (so the team's availability stays true); null: never. Default 1. */
                    awayAfterMissedOffers?: number | null;
                    /**
                     * @description Seconds without reported activity (POST agents/me/activity) after which an agent is away with reason idle. Agents whose clients never report activity are never idle.
                     * @example 600
                     */
                    idleAfterSeconds?: number;
                    name?: string;
                    /** @description Seconds an agent has to accept a chat offered to it (assignment.offered); declined or unanswered, the chat goes to the next eligible agent or waits in the queue. Null (the default): chats are assigned without an offer. */
                    offerTimeoutSeconds?: number | null;
                    /** @description Seconds an agent with open assignments may be offline, away or do-not-disturb before its chats are announced orphaned (and, with autoReassign, moved); null: never. Default 120. */
                    reassignAfterSeconds?: number | null;
                    /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                    workingHours?: {
                        /**
                         * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                         * @example Europe/Berlin
                         */
                        timeZone: string;
                        weekly: {
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            fri?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            mon?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            sat?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            sun?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            thu?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            tue?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            wed?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                        };
                    } | null;
                };
            };
        };
        responses: {
            /** @description The chatbot as it stands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether orphaned assignments are moved to eligible agents (true) or only announced (false, the default). */
                        autoReassign: boolean;
                        /** @description Offers an agent may miss in a row before it is set away with reason missed_offer (so the team's availability stays true); null: never. Default 1. */
                        awayAfterMissedOffers: number | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @example cb_3kq9wz1x8v7c6b5n */
                        id: string;
                        idleAfterSeconds: number;
                        name: string;
                        /** @description Seconds an agent has to accept a chat offered to it (assignment.offered); declined or unanswered, the chat goes to the next eligible agent or waits in the queue. Null (the default): chats are assigned without an offer. */
                        offerTimeoutSeconds: number | null;
                        /** @description Seconds an agent with open assignments may be offline, away or do-not-disturb before its chats are announced orphaned (and, with autoReassign, moved); null: never. Default 120. */
                        reassignAfterSeconds: number | null;
                        /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                        workingHours: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listChatbotAudit: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /**
                             * @description What was done.
                             * @enum {string}
                             */
                            action: "chatbot.created" | "chatbot.renamed" | "chatbot.settings_changed" | "chatbot.deleted" | "agent.created" | "agent.updated" | "agent.deleted" | "member.added" | "member.role_changed" | "member.skills_changed" | "member.removed" | "key.created" | "key.revoked" | "key.rotated" | "login_link.created" | "login_link.used" | "invitation.created" | "invitation.revoked" | "invitation.accepted" | "assignment.created" | "assignment.released" | "assignment.transferred" | "assignment.waiting" | "assignment.cancelled" | "assignment.expired" | "assignment.offered" | "assignment.accepted" | "assignment.declined" | "assignment.offer_missed";
                            /** @description Who made the change. */
                            actor: {
                                /** @description The agent an agent key acts as; null for other keys. */
                                agentId: string | null;
                                /** @description The key that made the change; null for the CLI. */
                                keyId: string | null;
                                /** @description The key's kind, cli, login_link (a sign-in link opened in a browser), or service (the service by itself: an orphaned chat moved). */
                                kind: "agent" | "chatbot" | "operator" | "cli" | "login_link" | "service";
                                /** @description Who acted, as a person reads it: an agent key's agent name, another key's own name; null for the CLI, the service, a key without a name, or one deleted since. */
                                name: string | null;
                            };
                            /** @description The agent it concerns, if any. */
                            agentId: string | null;
                            /** Format: date-time */
                            at: string;
                            /** @description The chatbot it concerns, if any. */
                            chatbotId: string | null;
                            /** @description What changed: a name, a role, grants. Never a secret. */
                            detail: {
                                [key: string]: unknown;
                            } | null;
                            /** @example aud_3kq9wz1x8v7c6b5n */
                            id: string;
                            /** @description The key it concerns, if any. */
                            keyId: string | null;
                            /** @description The HTTP request that made it (its x-request-id and log line); null for the CLI. */
                            requestId: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listInvitations: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of invitations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            acceptedAt: string | null;
                            agentId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The new agent's e-mail address. No mail is sent: hand the link over yourself. */
                            email: string;
                            /**
                             * Format: date-time
                             * @description The link works until then: 7 days after the invitation was made.
                             */
                            expiresAt: string;
                            /** @example inv_5tq1m4x9c2v5b8n1 */
                            id: string;
                            invitedBy: string | null;
                            /** @description The new agent's name. */
                            name: string;
                            revokedAt: string | null;
                            /** @description The role the new member gets: agent (the inbox) or admin (also the chatbot's administration). */
                            role: "agent" | "admin";
                            /** @description pending: the link works; accepted: it was opened and made the agent (agentId); revoked; expired (7 days after it was made). */
                            state: "pending" | "accepted" | "revoked" | "expired";
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    createInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The person's e-mail address. */
                    email: string;
                    /** @description The person's name, as the team will see it. */
                    name: string;
                    /** @description The role the new member gets: agent (the inbox) or admin (also the chatbot's administration). */
                    role?: "agent" | "admin";
                };
            };
        };
        responses: {
            /** @description The invitation and its link */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        acceptedAt: string | null;
                        agentId: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description The new agent's e-mail address. No mail is sent: hand the link over yourself. */
                        email: string;
                        /**
                         * Format: date-time
                         * @description The link works until then: 7 days after the invitation was made.
                         */
                        expiresAt: string;
                        /** @example inv_5tq1m4x9c2v5b8n1 */
                        id: string;
                        invitedBy: string | null;
                        /** @description The new agent's name. */
                        name: string;
                        revokedAt: string | null;
                        /** @description The role the new member gets: agent (the inbox) or admin (also the chatbot's administration). */
                        role: "agent" | "admin";
                        /** @description pending: the link works; accepted: it was opened and made the agent (agentId); revoked; expired (7 days after it was made). */
                        state: "pending" | "accepted" | "revoked" | "expired";
                        /**
                         * @description The single-use sign-in link, shown this once: `<PUBLIC_URL>/app/#login=<token>`. Opened in a browser, it makes the agent, its membership and that browser's key.
                         * @example https://inbox.example.com/app/#login=Xy3…
                         */
                        url: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    revokeInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                invitationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listChatbotKeys: {
        parameters: {
            query?: {
                /** @description Only this agent's keys. */
                agentId?: string;
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Only keys of this kind. */
                kind?: "agent" | "chatbot" | "operator";
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description The agent an agent key acts as. */
                            agentId: string | null;
                            /** @description The chatbot of a chatbot key. */
                            chatbotId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description A browser's key (made by a sign-in link): when it ends unless used before (30 days after its last use, known to the minute); null for other keys. */
                            expiresAt: string | null;
                            /**
                             * @description The secret's last four characters.
                             * @example cck_…x9Qa
                             */
                            hint: string;
                            /** @example key_3kq9wz1x8v7c6b5n */
                            id: string;
                            kind: "agent" | "chatbot" | "operator";
                            /** @description When the key was last used, to the minute; null if never. */
                            lastUsedAt: string | null;
                            name: string | null;
                            /** @description A chatbot or operator key's grants; an agent key's come from its agent's roles (empty here). */
                            permissions: string[];
                            /** @description After a rotation: until when the previous secret is still accepted. */
                            previousSecretValidUntil: string | null;
                            /** @description When the key was revoked; null while it works. */
                            revokedAt: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    createChatbotKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description kind agent: the member the key acts as. */
                    agentId?: string;
                    kind: "agent" | "chatbot";
                    /** @description What the key is for, to recognise it in listings. */
                    name?: string | null;
                    /** @description Permissions, each exact (`chatbots.inbox.agents.list`), a prefix ending in `.*`, or `*`. */
                    permissions?: string[];
                };
            };
        };
        responses: {
            /** @description The key, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent an agent key acts as. */
                        agentId: string | null;
                        /** @description The chatbot of a chatbot key. */
                        chatbotId: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description A browser's key (made by a sign-in link): when it ends unless used before (30 days after its last use, known to the minute); null for other keys. */
                        expiresAt: string | null;
                        /**
                         * @description The secret's last four characters.
                         * @example cck_…x9Qa
                         */
                        hint: string;
                        /** @example key_3kq9wz1x8v7c6b5n */
                        id: string;
                        /**
                         * @description The secret. Shown this once: store it now.
                         * @example cck_4Vt0a9…
                         */
                        key: string;
                        kind: "agent" | "chatbot" | "operator";
                        /** @description When the key was last used, to the minute; null if never. */
                        lastUsedAt: string | null;
                        name: string | null;
                        /** @description A chatbot or operator key's grants; an agent key's come from its agent's roles (empty here). */
                        permissions: string[];
                        /** @description After a rotation: until when the previous secret is still accepted. */
                        previousSecretValidUntil: string | null;
                        /** @description When the key was revoked; null while it works. */
                        revokedAt: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    revokeChatbotKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /** @description The ID of the key. */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (revoking twice is harmless) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    rotateChatbotKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /** @description The ID of the key. */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description How long the previous secret stays valid: 0 refuses it at once (a leaked key). */
                    overlapSeconds: number;
                };
            };
        };
        responses: {
            /** @description The key, with its new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent an agent key acts as. */
                        agentId: string | null;
                        /** @description The chatbot of a chatbot key. */
                        chatbotId: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description A browser's key (made by a sign-in link): when it ends unless used before (30 days after its last use, known to the minute); null for other keys. */
                        expiresAt: string | null;
                        /**
                         * @description The secret's last four characters.
                         * @example cck_…x9Qa
                         */
                        hint: string;
                        /** @example key_3kq9wz1x8v7c6b5n */
                        id: string;
                        /**
                         * @description The secret. Shown this once: store it now.
                         * @example cck_4Vt0a9…
                         */
                        key: string;
                        kind: "agent" | "chatbot" | "operator";
                        /** @description When the key was last used, to the minute; null if never. */
                        lastUsedAt: string | null;
                        name: string | null;
                        /** @description A chatbot or operator key's grants; an agent key's come from its agent's roles (empty here). */
                        permissions: string[];
                        /** @description After a rotation: until when the previous secret is still accepted. */
                        previousSecretValidUntil: string | null;
                        /** @description When the key was revoked; null while it works. */
                        revokedAt: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listMembers: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            addedAt: string;
                            agentId: string;
                            email: string | null;
                            externalId: string | null;
                            name: string;
                            /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                            role: "agent" | "admin";
                            /** @description Its skills in this chatbot, sorted: a chat that requires skills goes only to a member holding every one (PUT …/skills sets them). */
                            skills: string[];
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the agent. */
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The member */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        addedAt: string;
                        agentId: string;
                        email: string | null;
                        externalId: string | null;
                        name: string;
                        /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                        role: "agent" | "admin";
                        /** @description Its skills in this chatbot, sorted: a chat that requires skills goes only to a member holding every one (PUT …/skills sets them). */
                        skills: string[];
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    setMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the agent. */
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                    role: "agent" | "admin";
                };
            };
        };
        responses: {
            /** @description The membership as it stands */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        addedAt: string;
                        agentId: string;
                        email: string | null;
                        externalId: string | null;
                        name: string;
                        /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                        role: "agent" | "admin";
                        /** @description Its skills in this chatbot, sorted: a chat that requires skills goes only to a member holding every one (PUT …/skills sets them). */
                        skills: string[];
                    };
                };
            };
            /** @description The agent was added */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        addedAt: string;
                        agentId: string;
                        email: string | null;
                        externalId: string | null;
                        name: string;
                        /** @description agent: the inbox; admin: the inbox and the chatbot's administration (`chatbots.*`). */
                        role: "agent" | "admin";
                        /** @description Its skills in this chatbot, sorted: a chat that requires skills goes only to a member holding every one (PUT …/skills sets them). */
                        skills: string[];
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the agent. */
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    setMemberSkills: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The member's skills (replacing those it had; [] for none). A skill is 1 to 40 lower-case letters, digits, "-", "_" or ".", starting with a letter or digit. */
                    skills: string[];
                };
            };
        };
        responses: {
            /** @description The member's skills as they stand */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        chatbotId: string;
                        /** @description Sorted, each once. */
                        skills: string[];
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    setAgentCapacity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Chats the agent has now. */
                    activeChats?: number;
                    /**
                     * @description When the client made the request: epoch milliseconds as a string of digits (or a JSON number), or an ISO-8601 date-time with a time zone. A number before 2001 in milliseconds is refused as plainly seconds. The newest clientTimestamp wins; ties go to the later arrival.
                     * @example 1732400000000
                     */
                    clientTimestamp: string | number;
                    /** @description The most chats the agent takes at once; null: no limit. */
                    maxChats?: number | null;
                };
            };
        };
        responses: {
            /** @description The capacity that stands, whether this report set it, and the derived state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        activeChats: number | null;
                        agentId: string;
                        /** @description Whether this report set the capacity (false: a newer one already stood). */
                        applied: boolean;
                        /** @description clientTimestamp of the report that stands. */
                        clientTimestamp: string;
                        maxChats: number | null;
                        /** @description Why the state holds: chosen_offline, no_sign_of_life, outside_working_hours (offline); chosen (a chosen dnd, busy or away); missed_offer (away: set by the service after the chatbot's awayAfterMissedOffers offers missed in a row, until the agent chooses a status); at_capacity (busy); idle (away); ready (available). */
                        reason: "chosen_offline" | "no_sign_of_life" | "outside_working_hours" | "chosen" | "missed_offer" | "at_capacity" | "idle" | "ready";
                        /** @description The agent's availability, derived by the availability rule (see the README): available, away, busy, dnd (do not disturb) or offline. */
                        state: "available" | "away" | "busy" | "dnd" | "offline";
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listAgentHistory: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of intervals */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            from: string;
                            /** @example his_0mhxk2c5r00001k3v9qz2a */
                            id: string;
                            /** @description The reason, as in list entries. */
                            reason: string;
                            /** @description Who set it when not the agent itself or the clock: a supervisor. */
                            setBy: string | null;
                            state: "available" | "away" | "busy" | "dnd" | "offline";
                            statusText: string | null;
                            /**
                             * Format: date-time
                             * @description When the interval ended; null for the current one.
                             */
                            to: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    createLoginLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The link */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description The link works until then (15 minutes).
                         */
                        expiresAt: string;
                        /**
                         * @description Open it in the browser the agent will use: `<PUBLIC_URL>/app/#login=<token>`. Works once.
                         * @example https://inbox.example.com/app/#login=Xy3…
                         */
                        url: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    overrideAgentStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    status: "available" | "away" | "busy" | "dnd" | "offline";
                    text?: string | null;
                    until?: string | null;
                };
            };
        };
        responses: {
            /** @description The agent's entry afterwards */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Chats the agent has now, as an integration reported; null: not reported. */
                        activeChats: number | null;
                        agentId: string;
                        /** @description A stream of this agent on this chatbot is open now (on any instance). */
                        connected: boolean;
                        /** @description How many of the agent's devices are alive now: its API keys (a browser each, from its sign-in link; an app; an integration acting as the agent) holding a stream, within a closed stream's grace, or within the TTL of a post. The agent is alive while one is. */
                        devices: number;
                        /**
                         * Format: date-time
                         * @description The newest activity reported by any client of the agent (POST agents/me/activity); null: never reported.
                         */
                        lastActiveAt: string | null;
                        /**
                         * Format: date-time
                         * @description Last sign of life: a status post, or a stream opening or closing (server clock).
                         */
                        lastSeenAt: string | null;
                        /** @description The most chats the agent takes at once; null: no limit. */
                        maxChats: number | null;
                        name: string;
                        /** @description Not offline: the agent chose to be online, is within its working hours (or chose to be online outside them) AND is alive. Alive: one of its devices (API keys) holds a stream, or closed its last one less than PRESENCE_GRACE_SECONDS ago, or posted a sign of life less than PRESENCE_TTL_SECONDS ago (after its last stream closed, if it held one). */
                        online: boolean;
                        /** @description Why the state holds: chosen_offline, no_sign_of_life, outside_working_hours (offline); chosen (a chosen dnd, busy or away); missed_offer (away: set by the service after the chatbot's awayAfterMissedOffers offers missed in a row, until the agent chooses a status); at_capacity (busy); idle (away); ready (available). */
                        reason: "chosen_offline" | "no_sign_of_life" | "outside_working_hours" | "chosen" | "missed_offer" | "at_capacity" | "idle" | "ready";
                        /** @description Who set the chosen status or offline when it was not the agent itself: the supervisor's agent id (or the key id of an integration); null otherwise. */
                        setBy: string | null;
                        /**
                         * Format: date-time
                         * @description Since when the state, reason and text have held (server clock).
                         */
                        since: string;
                        /** @description The agent's availability, derived by the availability rule (see the README): available, away, busy, dnd (do not disturb) or offline. */
                        state: "available" | "away" | "busy" | "dnd" | "offline";
                        /** @description The text of the chosen status (e.g. "In a meeting") while it holds. */
                        statusText: string | null;
                        /**
                         * Format: date-time
                         * @description When the chosen status lapses by itself, while it holds; null: it does not.
                         */
                        statusUntil: string | null;
                        /**
                         * Format: date-time
                         * @description When the chosen status last changed (server clock).
                         */
                        updatedAt: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    setAgentWorkingHours: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: string;
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                    workingHours: {
                        /**
                         * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                         * @example Europe/Berlin
                         */
                        timeZone: string;
                        weekly: {
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            fri?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            mon?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            sat?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            sun?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            thu?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            tue?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            wed?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                        };
                    } | null;
                };
            };
        };
        responses: {
            /** @description The working hours */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        /** @description The agent's own, else the chatbot's default, else null. */
                        effective: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                        /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                        workingHours: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listAvailableAgents: {
        parameters: {
            query?: {
                /** @description How many, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The agents, least loaded first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agents: {
                            /** @description Chats the agent has now, as an integration reported; null: not reported. */
                            activeChats: number | null;
                            agentId: string;
                            /** @description A stream of this agent on this chatbot is open now (on any instance). */
                            connected: boolean;
                            /** @description How many of the agent's devices are alive now: its API keys (a browser each, from its sign-in link; an app; an integration acting as the agent) holding a stream, within a closed stream's grace, or within the TTL of a post. The agent is alive while one is. */
                            devices: number;
                            /**
                             * Format: date-time
                             * @description The newest activity reported by any client of the agent (POST agents/me/activity); null: never reported.
                             */
                            lastActiveAt: string | null;
                            /**
                             * Format: date-time
                             * @description Last sign of life: a status post, or a stream opening or closing (server clock).
                             */
                            lastSeenAt: string | null;
                            /** @description The most chats the agent takes at once; null: no limit. */
                            maxChats: number | null;
                            name: string;
                            /** @description Not offline: the agent chose to be online, is within its working hours (or chose to be online outside them) AND is alive. Alive: one of its devices (API keys) holds a stream, or closed its last one less than PRESENCE_GRACE_SECONDS ago, or posted a sign of life less than PRESENCE_TTL_SECONDS ago (after its last stream closed, if it held one). */
                            online: boolean;
                            /** @description Why the state holds: chosen_offline, no_sign_of_life, outside_working_hours (offline); chosen (a chosen dnd, busy or away); missed_offer (away: set by the service after the chatbot's awayAfterMissedOffers offers missed in a row, until the agent chooses a status); at_capacity (busy); idle (away); ready (available). */
                            reason: "chosen_offline" | "no_sign_of_life" | "outside_working_hours" | "chosen" | "missed_offer" | "at_capacity" | "idle" | "ready";
                            /** @description Who set the chosen status or offline when it was not the agent itself: the supervisor's agent id (or the key id of an integration); null otherwise. */
                            setBy: string | null;
                            /**
                             * Format: date-time
                             * @description Since when the state, reason and text have held (server clock).
                             */
                            since: string;
                            /** @description The agent's availability, derived by the availability rule (see the README): available, away, busy, dnd (do not disturb) or offline. */
                            state: "available" | "away" | "busy" | "dnd" | "offline";
                            /** @description The text of the chosen status (e.g. "In a meeting") while it holds. */
                            statusText: string | null;
                            /**
                             * Format: date-time
                             * @description When the chosen status lapses by itself, while it holds; null: it does not.
                             */
                            statusUntil: string | null;
                            /**
                             * Format: date-time
                             * @description When the chosen status last changed (server clock).
                             */
                            updatedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The calling agent and its chatbots */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        /** @description Every chatbot the agent is a member of, ordered by name, with the agent's role there. */
                        chatbots: {
                            chatbotId: string;
                            name: string;
                            role: "agent" | "admin";
                        }[];
                        email: string | null;
                        name: string;
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    reportOwnActivity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report was taken */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        /**
                         * Format: date-time
                         * @description This report's time (server clock).
                         */
                        lastActiveAt: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listMyChats: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of my open chats */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            agentId: string;
                            agentName: string;
                            /**
                             * Format: date-time
                             * @description When it became this agent’s (made, or moved to it).
                             */
                            assignedAt: string;
                            conversationId: string;
                            /** @description Offered, not yet accepted: when the offer lapses; null: the agent has the chat. */
                            offerExpiresAt: string | null;
                            /** @description As the assignment request gave it. */
                            preview: string | null;
                            /** @description The skills it was assigned under ([] for none). */
                            requiredSkills: string[];
                            strategy: string;
                            /** @description As the assignment request gave it. */
                            title: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getOwnNotificationSettings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The agent's settings and devices in this chatbot */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description In a POST answer: the device this call added or refreshed. */
                        deviceId?: string;
                        /** @description This agent's browsers in this chatbot, oldest first. */
                        devices: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @example dev_3kq9wz1x8v7c6b5n4m2p */
                            id: string;
                            /** @description fcm: a pushToken; webpush: a pushSubscription. */
                            kind: "fcm" | "webpush";
                            /** @description What went wrong with the last failed push, until a push succeeds. */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description When a push last reached this device; null if none has yet.
                             */
                            lastSuccessAt: string | null;
                        }[];
                        /** @description Event types this agent does not want pushed. */
                        mutedTypes: string[];
                        /** @description The most recently registered FCM token, or null. */
                        pushToken: string | null;
                        /** @description Push even while the agent has a live stream open (watching the inbox). */
                        pushWhenConnected: boolean;
                        /**
                         * Format: date-time
                         * @description When the settings last changed; null if never set.
                         */
                        updatedAt: string | null;
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    updateOwnNotificationSettings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    mutedTypes?: string[];
                    /**
                     * PushSubscription
                     * @description What `PushSubscription.toJSON()` gives in the browser.
                     */
                    pushSubscription?: {
                        /** @description The push service URL the browser gave (https; not a private address). */
                        endpoint: string;
                        /** @description As the browser gives it; not used. */
                        expirationTime?: number | null;
                        keys: {
                            /** @description The 16-byte authentication secret, base64url. */
                            auth: string;
                            /** @description The browser's P-256 public key, base64url (65 bytes uncompressed). */
                            p256dh: string;
                        };
                    };
                    /** @description A token adds or refreshes an FCM device; null removes every device of this agent here (no more pushes). Left out: nothing changes. */
                    pushToken?: string | null;
                    pushWhenConnected?: boolean;
                };
            };
        };
        responses: {
            /** @description The settings as they stand after this request */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description In a POST answer: the device this call added or refreshed. */
                        deviceId?: string;
                        /** @description This agent's browsers in this chatbot, oldest first. */
                        devices: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @example dev_3kq9wz1x8v7c6b5n4m2p */
                            id: string;
                            /** @description fcm: a pushToken; webpush: a pushSubscription. */
                            kind: "fcm" | "webpush";
                            /** @description What went wrong with the last failed push, until a push succeeds. */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description When a push last reached this device; null if none has yet.
                             */
                            lastSuccessAt: string | null;
                        }[];
                        /** @description Event types this agent does not want pushed. */
                        mutedTypes: string[];
                        /** @description The most recently registered FCM token, or null. */
                        pushToken: string | null;
                        /** @description Push even while the agent has a live stream open (watching the inbox). */
                        pushWhenConnected: boolean;
                        /**
                         * Format: date-time
                         * @description When the settings last changed; null if never set.
                         */
                        updatedAt: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    removeOwnDevice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                deviceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    sendMeATestNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued: the notification id and one delivery per device */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deliveries: {
                            agentId: string;
                            /** @description Sends tried for this delivery; expiring or finding the device gone before a send does not count. */
                            attempts: number;
                            /** @description Null when the agent had no device. */
                            deviceId: string | null;
                            id: string;
                            kind: "fcm" | "webpush" | null;
                            /** @description What the last attempt met; for an expired delivery, also that it expired. */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description For a pending delivery: when it is (re)tried next. Null once no attempt fits before the TTL: it is then expired when the TTL ends, keeping `lastError`.
                             */
                            nextAttemptAt: string | null;
                            /** @description Why it was skipped (muted, do_not_disturb, outside_working_hours, connected, no_devices, fcm_not_configured, device_removed) or failed (device_gone, configuration). */
                            reason: string | null;
                            /**
                             * Format: date-time
                             * @description When the push service accepted it.
                             */
                            sentAt: string | null;
                            state: "pending" | "sent" | "failed" | "expired" | "skipped";
                        }[];
                        id: string;
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    acceptOffer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /**
                 * @description Your own id for the conversation (1–200 visible characters).
                 * @example conv-8812
                 */
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted: the chat is yours */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent's chats now, this one included. */
                        activeChats: number | null;
                        agentId: string;
                        agentName: string;
                        /** Format: date-time */
                        assignedAt: string;
                        /** @description Every member, with why it was or was not chosen: eligible ones in the order the strategy ranked them, then the others by name. */
                        considered: {
                            activeChats: number | null;
                            agentId: string;
                            maxChats: number | null;
                            /** @description With missing_skill only: the required skills it lacks. */
                            missingSkills?: string[];
                            name: string;
                            /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                            outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                            /** @description The availability reason, as in list entries. */
                            reason: string;
                            /** @description The derived state, as in list entries. */
                            state: string;
                        }[];
                        conversationId: string;
                        maxChats: number | null;
                        /** @description Offered (the chatbot's offerTimeoutSeconds is set): when the offer to the agent lapses unless accepted; null: the chat is the agent's. assignedAt is when it was offered. */
                        offerExpiresAt: string | null;
                        strategy: "least_loaded" | "round_robin" | "transfer";
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    declineOffer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /**
                 * @description Your own id for the conversation (1–200 visible characters).
                 * @example conv-8812
                 */
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Declined: the chat as it stands now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Assigned or released: its agent. */
                        agentId: string | null;
                        agentName: string | null;
                        /**
                         * Format: date-time
                         * @description When the chat asked for an agent.
                         */
                        arrivedAt: string;
                        /** @description Assigned or released: when it became this agent’s. */
                        assignedAt: string | null;
                        conversationId: string;
                        /** @description Released, cancelled or expired: when. */
                        endedAt: string | null;
                        /** @description Waiting: seconds until an agent is expected to take it, from the chatbot's recent handle time and its working agents' slots; null when nobody is working now. */
                        estimatedWaitSeconds: number | null;
                        /** @description Waiting: when it expires. */
                        expiresAt: string | null;
                        /** @description As the request gave it (null: the longest wait, a day). */
                        maxWaitSeconds: number | null;
                        /** @description Offered: when the offer to agentId lapses. */
                        offerExpiresAt: string | null;
                        /** @description Waiting: its place in the queue, 1 for the next. */
                        position: number | null;
                        preview: string | null;
                        /** @description Its place in the queue: higher first. */
                        priority: number;
                        /** @description The skills its agent must hold (sorted, each once; [] for none): waiting, those in effect now (its skillSteps relax them); assigned or ended, those it was assigned under. */
                        requiredSkills: string[];
                        /** @description Waiting: the steps that relax its requirement, as the request gave them ([] for none). */
                        skillSteps: {
                            /** @description Seconds after the chat arrived: a whole number from 1 to 86400, before its maxWaitSeconds. */
                            afterSeconds: number;
                            /** @description The requirement from then on ([] for anyone): the skills of the step before, less at least one. */
                            requiredSkills: string[];
                        }[] | null;
                        /** @description waiting (in the queue), offered (to agentId, until offerExpiresAt), assigned (an agent has it), released (it ended after it was offered or assigned), cancelled (it ended while waiting), expired (it waited its maxWaitSeconds). */
                        state: "waiting" | "offered" | "assigned" | "released" | "cancelled" | "expired";
                        title: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    setOwnOnlineStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description When the client made the request: epoch milliseconds as a string of digits (or a JSON number), or an ISO-8601 date-time with a time zone. A number before 2001 in milliseconds is refused as plainly seconds. The newest clientTimestamp wins; ties go to the later arrival.
                     * @example 1732400000000
                     */
                    clientTimestamp: string | number;
                    /**
                     * @description Sets the online status of the agent.
                     * @example true
                     */
                    online: boolean;
                };
            };
        };
        responses: {
            /** @description The status that stands after this request, and whether this request set it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        /** @description Whether this request set the status (false: a newer update already stood). */
                        applied: boolean;
                        /** @description clientTimestamp of the update that stands, epoch milliseconds as a string of digits. */
                        clientTimestamp: string;
                        /** @description The chosen status that stands after this request. */
                        online: boolean;
                        /**
                         * Format: date-time
                         * @description When the standing status was set (server clock).
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    setOwnChosenStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description When the client made the request: epoch milliseconds as a string of digits (or a JSON number), or an ISO-8601 date-time with a time zone. A number before 2001 in milliseconds is refused as plainly seconds. The newest clientTimestamp wins; ties go to the later arrival.
                     * @example 1732400000000
                     */
                    clientTimestamp: string | number;
                    /** @description The status the agent chooses: available, away, busy or dnd (do not disturb). Offline is POST agents/me/online with online: false. */
                    status: "available" | "away" | "busy" | "dnd";
                    /** @description Shown beside the status, e.g. "In a meeting"; at most 100 characters. */
                    text?: string | null;
                    /** @description When the status lapses by itself (then the agent is available again); in the future, at most 366 days ahead. Omitted or null: until changed. */
                    until?: string | null;
                };
            };
        };
        responses: {
            /** @description The chosen status that stands, whether this request set it, and the derived state */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        /** @description Whether this request set the chosen status (false: a newer one already stood). */
                        applied: boolean;
                        /** @description clientTimestamp of the chosen status that stands, epoch milliseconds as a string of digits. */
                        clientTimestamp: string;
                        /** @description Why the state holds: chosen_offline, no_sign_of_life, outside_working_hours (offline); chosen (a chosen dnd, busy or away); missed_offer (away: set by the service after the chatbot's awayAfterMissedOffers offers missed in a row, until the agent chooses a status); at_capacity (busy); idle (away); ready (available). */
                        reason: "chosen_offline" | "no_sign_of_life" | "outside_working_hours" | "chosen" | "missed_offer" | "at_capacity" | "idle" | "ready";
                        /** @description The agent's availability, derived by the availability rule (see the README): available, away, busy, dnd (do not disturb) or offline. */
                        state: "available" | "away" | "busy" | "dnd" | "offline";
                        /** @description The chosen status that stands after this request. */
                        status: "available" | "away" | "busy" | "dnd";
                        text: string | null;
                        /**
                         * Format: date-time
                         * @description When the standing chosen status lapses.
                         */
                        until: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getOwnWorkingHours: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The working hours */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        /** @description The agent's own, else the chatbot's default, else null. */
                        effective: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                        /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                        workingHours: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    setOwnWorkingHours: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                    workingHours: {
                        /**
                         * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                         * @example Europe/Berlin
                         */
                        timeZone: string;
                        weekly: {
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            fri?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            mon?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            sat?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            sun?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            thu?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            tue?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                            /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                            wed?: {
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                from: string;
                                /** @description Local time, HH:MM (00:00 to 24:00). */
                                to: string;
                            }[];
                        };
                    } | null;
                };
            };
        };
        responses: {
            /** @description The working hours */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        /** @description The agent's own, else the chatbot's default, else null. */
                        effective: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                        /** @description A weekly schedule, or null for none. Outside it the agent is offline (outside_working_hours), unless it explicitly went online or chose a status meanwhile. */
                        workingHours: {
                            /**
                             * @description An IANA time zone, e.g. Europe/Berlin: opening times are its local times, daylight saving included.
                             * @example Europe/Berlin
                             */
                            timeZone: string;
                            weekly: {
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                fri?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                mon?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sat?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                sun?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                thu?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                tue?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                                /** @description Up to 4 openings, each from a time to a later one. A night shift is "22:00"–"24:00" and the next day's "00:00"–"06:00". */
                                wed?: {
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    from: string;
                                    /** @description Local time, HH:MM (00:00 to 24:00). */
                                    to: string;
                                }[];
                            };
                        } | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listAgentsOnline: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of a list this client holds: while nothing changed, the answer is an empty 304. */
                "if-none-match"?: string;
            };
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every member of the chatbot with its listed status, ordered by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Every member of the chatbot, ordered by name (case-insensitive), then id. */
                        agents: {
                            /** @description Chats the agent has now, as an integration reported; null: not reported. */
                            activeChats: number | null;
                            agentId: string;
                            /** @description A stream of this agent on this chatbot is open now (on any instance). */
                            connected: boolean;
                            /** @description How many of the agent's devices are alive now: its API keys (a browser each, from its sign-in link; an app; an integration acting as the agent) holding a stream, within a closed stream's grace, or within the TTL of a post. The agent is alive while one is. */
                            devices: number;
                            /**
                             * Format: date-time
                             * @description The newest activity reported by any client of the agent (POST agents/me/activity); null: never reported.
                             */
                            lastActiveAt: string | null;
                            /**
                             * Format: date-time
                             * @description Last sign of life: a status post, or a stream opening or closing (server clock).
                             */
                            lastSeenAt: string | null;
                            /** @description The most chats the agent takes at once; null: no limit. */
                            maxChats: number | null;
                            name: string;
                            /** @description Not offline: the agent chose to be online, is within its working hours (or chose to be online outside them) AND is alive. Alive: one of its devices (API keys) holds a stream, or closed its last one less than PRESENCE_GRACE_SECONDS ago, or posted a sign of life less than PRESENCE_TTL_SECONDS ago (after its last stream closed, if it held one). */
                            online: boolean;
                            /** @description Why the state holds: chosen_offline, no_sign_of_life, outside_working_hours (offline); chosen (a chosen dnd, busy or away); missed_offer (away: set by the service after the chatbot's awayAfterMissedOffers offers missed in a row, until the agent chooses a status); at_capacity (busy); idle (away); ready (available). */
                            reason: "chosen_offline" | "no_sign_of_life" | "outside_working_hours" | "chosen" | "missed_offer" | "at_capacity" | "idle" | "ready";
                            /** @description Who set the chosen status or offline when it was not the agent itself: the supervisor's agent id (or the key id of an integration); null otherwise. */
                            setBy: string | null;
                            /**
                             * Format: date-time
                             * @description Since when the state, reason and text have held (server clock).
                             */
                            since: string;
                            /** @description The agent's availability, derived by the availability rule (see the README): available, away, busy, dnd (do not disturb) or offline. */
                            state: "available" | "away" | "busy" | "dnd" | "offline";
                            /** @description The text of the chosen status (e.g. "In a meeting") while it holds. */
                            statusText: string | null;
                            /**
                             * Format: date-time
                             * @description When the chosen status lapses by itself, while it holds; null: it does not.
                             */
                            statusUntil: string | null;
                            /**
                             * Format: date-time
                             * @description When the chosen status last changed (server clock).
                             */
                            updatedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description Not modified since the ETag sent in If-None-Match: no body */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    streamAgentsOnline: {
        parameters: {
            query?: {
                /** @description true: changes come as `batch` events, one per delivery (a unit of work, or a read of the log), each `{"agents": [entry, …]}` in version order with the id of its last change; resuming from that id works as with single events. Without it (or false), one `presence` event per change. */
                batch?: "true" | "false";
                /** @description Resume after this event id (as the Last-Event-ID header does). */
                since?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An event stream: `snapshot`, then `presence` events (or `batch` events with ?batch=true), and the `assignment.*` events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    createStreamTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ticket for one stream opened within 60 s */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expiresAt: string;
                        /** @description Single-use, acts as the key that made it, only on this chatbot. Pass it as ?ticket=. */
                        ticket: string;
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listAssignments: {
        parameters: {
            query?: {
                /** @description Only this agent's. */
                agentId?: string;
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of open assignments */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            agentId: string;
                            agentName: string;
                            /**
                             * Format: date-time
                             * @description When it became this agent’s (made, or moved to it).
                             */
                            assignedAt: string;
                            conversationId: string;
                            /** @description Offered, not yet accepted: when the offer lapses; null: the agent has the chat. */
                            offerExpiresAt: string | null;
                            /** @description As the assignment request gave it. */
                            preview: string | null;
                            /** @description The skills it was assigned under ([] for none). */
                            requiredSkills: string[];
                            strategy: string;
                            /** @description As the assignment request gave it. */
                            title: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    assign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Your own id for the conversation (1–200 visible characters).
                     * @example conv-8812
                     */
                    conversationId: string;
                    /** @description Agents not to choose. */
                    excludeAgentIds?: string[];
                    /** @description How long it may wait; then it expires (assignment.expired). Null or left out: the longest wait, 86400 s (a day). */
                    maxWaitSeconds?: number | null;
                    /** @description Chosen when eligible (the agent who spoke with this visitor before). */
                    preferredAgentId?: string | null;
                    /** @description The visitor's first words (line breaks kept): in the assigned events and the list of open assignments. */
                    preview?: string | null;
                    /** @description Its place in the queue: higher first, in arrival order within one priority (default 0). */
                    priority?: number;
                    /** @description Only a member holding every one of these skills may take the chat (at most 10; the others are considered missing_skill). A skill is 1 to 40 lower-case letters, digits, "-", "_" or ".", starting with a letter or digit. */
                    requiredSkills?: string[];
                    /** @description With wait: true, steps that relax requiredSkills as the chat waits ("after 30 s drop billing, after 90 s take anyone"): at most 5, each later than the one before, each dropping at least one skill of the requirement before it and adding none. The waiting chat is judged again within a second of each step. */
                    skillSteps?: {
                        /** @description Seconds after the chat arrived: a whole number from 1 to 86400, before its maxWaitSeconds. */
                        afterSeconds: number;
                        /** @description The requirement from then on ([] for anyone): the skills of the step before, less at least one. */
                        requiredSkills: string[];
                    }[];
                    /** @description least_loaded (default): most spare capacity, then longest since last assigned. round_robin: longest since last assigned among those with room. */
                    strategy?: "least_loaded" | "round_robin";
                    /** @description What the chat is about: in the assigned events (stream and webhooks) and the list of open assignments. */
                    title?: string | null;
                    /** @description true: when nobody can take the chat now, it waits in the queue (202) and is assigned as soon as someone can, announced as assignment.created. false (default): 409 no_agent_available. */
                    wait?: boolean;
                };
            };
        };
        responses: {
            /** @description The conversation was assigned already: its open assignment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent's chats now, this one included. */
                        activeChats: number | null;
                        agentId: string;
                        agentName: string;
                        /** Format: date-time */
                        assignedAt: string;
                        /** @description Every member, with why it was or was not chosen: eligible ones in the order the strategy ranked them, then the others by name. */
                        considered: {
                            activeChats: number | null;
                            agentId: string;
                            maxChats: number | null;
                            /** @description With missing_skill only: the required skills it lacks. */
                            missingSkills?: string[];
                            name: string;
                            /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                            outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                            /** @description The availability reason, as in list entries. */
                            reason: string;
                            /** @description The derived state, as in list entries. */
                            state: string;
                        }[];
                        conversationId: string;
                        maxChats: number | null;
                        /** @description Offered (the chatbot's offerTimeoutSeconds is set): when the offer to the agent lapses unless accepted; null: the chat is the agent's. assignedAt is when it was offered. */
                        offerExpiresAt: string | null;
                        strategy: "least_loaded" | "round_robin" | "transfer";
                    };
                };
            };
            /** @description Assigned */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent's chats now, this one included. */
                        activeChats: number | null;
                        agentId: string;
                        agentName: string;
                        /** Format: date-time */
                        assignedAt: string;
                        /** @description Every member, with why it was or was not chosen: eligible ones in the order the strategy ranked them, then the others by name. */
                        considered: {
                            activeChats: number | null;
                            agentId: string;
                            maxChats: number | null;
                            /** @description With missing_skill only: the required skills it lacks. */
                            missingSkills?: string[];
                            name: string;
                            /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                            outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                            /** @description The availability reason, as in list entries. */
                            reason: string;
                            /** @description The derived state, as in list entries. */
                            state: string;
                        }[];
                        conversationId: string;
                        maxChats: number | null;
                        /** @description Offered (the chatbot's offerTimeoutSeconds is set): when the offer to the agent lapses unless accepted; null: the chat is the agent's. assignedAt is when it was offered. */
                        offerExpiresAt: string | null;
                        strategy: "least_loaded" | "round_robin" | "transfer";
                    };
                };
            };
            /** @description Nobody can take it now: it waits in the queue (or was waiting already) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Assigned or released: its agent. */
                        agentId: string | null;
                        agentName: string | null;
                        /**
                         * Format: date-time
                         * @description When the chat asked for an agent.
                         */
                        arrivedAt: string;
                        /** @description Assigned or released: when it became this agent’s. */
                        assignedAt: string | null;
                        /** @description Every member and why it cannot take the chat now. */
                        considered: {
                            activeChats: number | null;
                            agentId: string;
                            maxChats: number | null;
                            /** @description With missing_skill only: the required skills it lacks. */
                            missingSkills?: string[];
                            name: string;
                            /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                            outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                            /** @description The availability reason, as in list entries. */
                            reason: string;
                            /** @description The derived state, as in list entries. */
                            state: string;
                        }[];
                        conversationId: string;
                        /** @description Released, cancelled or expired: when. */
                        endedAt: string | null;
                        /** @description Waiting: seconds until an agent is expected to take it, from the chatbot's recent handle time and its working agents' slots; null when nobody is working now. */
                        estimatedWaitSeconds: number | null;
                        /** @description Waiting: when it expires. */
                        expiresAt: string | null;
                        /** @description As the request gave it (null: the longest wait, a day). */
                        maxWaitSeconds: number | null;
                        /** @description When someone is next expected available (the availability summary's), or null. */
                        nextAvailableAt: string | null;
                        /** @description Offered: when the offer to agentId lapses. */
                        offerExpiresAt: string | null;
                        /** @description Waiting: its place in the queue, 1 for the next. */
                        position: number | null;
                        preview: string | null;
                        /** @description Its place in the queue: higher first. */
                        priority: number;
                        /** @description The skills its agent must hold (sorted, each once; [] for none): waiting, those in effect now (its skillSteps relax them); assigned or ended, those it was assigned under. */
                        requiredSkills: string[];
                        /** @description Waiting: the steps that relax its requirement, as the request gave them ([] for none). */
                        skillSteps: {
                            /** @description Seconds after the chat arrived: a whole number from 1 to 86400, before its maxWaitSeconds. */
                            afterSeconds: number;
                            /** @description The requirement from then on ([] for anyone): the skills of the step before, less at least one. */
                            requiredSkills: string[];
                        }[] | null;
                        /** @description waiting (in the queue), offered (to agentId, until offerExpiresAt), assigned (an agent has it), released (it ended after it was offered or assigned), cancelled (it ended while waiting), expired (it waited its maxWaitSeconds). */
                        state: "waiting" | "offered" | "assigned" | "released" | "cancelled" | "expired";
                        title: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Nobody can take the chat now: every member with its reason */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "no_agent_available";
                        considered: {
                            activeChats: number | null;
                            agentId: string;
                            maxChats: number | null;
                            /** @description With missing_skill only: the required skills it lacks. */
                            missingSkills?: string[];
                            name: string;
                            /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                            outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                            /** @description The availability reason, as in list entries. */
                            reason: string;
                            /** @description The derived state, as in list entries. */
                            state: string;
                        }[];
                        /** @description A message a person understands */
                        error: string;
                        /** @description When someone is next expected available (the availability summary's), or null. */
                        nextAvailableAt: string | null;
                    };
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getChat: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /**
                 * @description Your own id for the conversation (1–200 visible characters).
                 * @example conv-8812
                 */
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chat */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Assigned or released: its agent. */
                        agentId: string | null;
                        agentName: string | null;
                        /**
                         * Format: date-time
                         * @description When the chat asked for an agent.
                         */
                        arrivedAt: string;
                        /** @description Assigned or released: when it became this agent’s. */
                        assignedAt: string | null;
                        conversationId: string;
                        /** @description Released, cancelled or expired: when. */
                        endedAt: string | null;
                        /** @description Waiting: seconds until an agent is expected to take it, from the chatbot's recent handle time and its working agents' slots; null when nobody is working now. */
                        estimatedWaitSeconds: number | null;
                        /** @description Waiting: when it expires. */
                        expiresAt: string | null;
                        /** @description As the request gave it (null: the longest wait, a day). */
                        maxWaitSeconds: number | null;
                        /** @description Offered: when the offer to agentId lapses. */
                        offerExpiresAt: string | null;
                        /** @description Waiting: its place in the queue, 1 for the next. */
                        position: number | null;
                        preview: string | null;
                        /** @description Its place in the queue: higher first. */
                        priority: number;
                        /** @description The skills its agent must hold (sorted, each once; [] for none): waiting, those in effect now (its skillSteps relax them); assigned or ended, those it was assigned under. */
                        requiredSkills: string[];
                        /** @description Waiting: the steps that relax its requirement, as the request gave them ([] for none). */
                        skillSteps: {
                            /** @description Seconds after the chat arrived: a whole number from 1 to 86400, before its maxWaitSeconds. */
                            afterSeconds: number;
                            /** @description The requirement from then on ([] for anyone): the skills of the step before, less at least one. */
                            requiredSkills: string[];
                        }[] | null;
                        /** @description waiting (in the queue), offered (to agentId, until offerExpiresAt), assigned (an agent has it), released (it ended after it was offered or assigned), cancelled (it ended while waiting), expired (it waited its maxWaitSeconds). */
                        state: "waiting" | "offered" | "assigned" | "released" | "cancelled" | "expired";
                        title: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    releaseAssignment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /**
                 * @description Your own id for the conversation (1–200 visible characters).
                 * @example conv-8812
                 */
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Released or cancelled */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    transferAssignment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /**
                 * @description Your own id for the conversation (1–200 visible characters).
                 * @example conv-8812
                 */
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The member to move it to (it must be able to take it); left out: the next eligible one. */
                    agentId?: string;
                    /** @description Agents not to choose. */
                    excludeAgentIds?: string[];
                    /** @description least_loaded (default): most spare capacity, then longest since last assigned. round_robin: longest since last assigned among those with room. */
                    strategy?: "least_loaded" | "round_robin";
                };
            };
        };
        responses: {
            /** @description Moved */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent's chats now, this one included. */
                        activeChats: number | null;
                        agentId: string;
                        agentName: string;
                        /** Format: date-time */
                        assignedAt: string;
                        /** @description Every member, with why it was or was not chosen: eligible ones in the order the strategy ranked them, then the others by name. */
                        considered: {
                            activeChats: number | null;
                            agentId: string;
                            maxChats: number | null;
                            /** @description With missing_skill only: the required skills it lacks. */
                            missingSkills?: string[];
                            name: string;
                            /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                            outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                            /** @description The availability reason, as in list entries. */
                            reason: string;
                            /** @description The derived state, as in list entries. */
                            state: string;
                        }[];
                        conversationId: string;
                        maxChats: number | null;
                        /** @description Offered (the chatbot's offerTimeoutSeconds is set): when the offer to the agent lapses unless accepted; null: the chat is the agent's. assignedAt is when it was offered. */
                        offerExpiresAt: string | null;
                        strategy: "least_loaded" | "round_robin" | "transfer";
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Nobody can take the chat now: every member with its reason */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "no_agent_available";
                        considered: {
                            activeChats: number | null;
                            agentId: string;
                            maxChats: number | null;
                            /** @description With missing_skill only: the required skills it lacks. */
                            missingSkills?: string[];
                            name: string;
                            /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                            outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                            /** @description The availability reason, as in list entries. */
                            reason: string;
                            /** @description The derived state, as in list entries. */
                            state: string;
                        }[];
                        /** @description A message a person understands */
                        error: string;
                        /** @description When someone is next expected available (the availability summary's), or null. */
                        nextAvailableAt: string | null;
                    };
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getAvailability: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of a list this client holds: while nothing changed, the answer is an empty 304. */
                "if-none-match"?: string;
            };
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether at least one agent is available now. */
                        anyoneAvailable: boolean;
                        /** @description Members of the chatbot by state. */
                        counts: {
                            available: number;
                            away: number;
                            busy: number;
                            dnd: number;
                            offline: number;
                        };
                        /**
                         * Format: date-time
                         * @description While nobody is available: when someone is next expected, the earliest of an agent due back by itself (a chosen status lapsing) and the schedule's answer (the next opening of a member who chose to be online and would be available then, else of the chatbot's default hours); null when someone is available now or neither says anything.
                         */
                        nextAvailableAt: string | null;
                    };
                };
            };
            /** @description Not modified since the ETag sent in If-None-Match: no body */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    sendNotification: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retried call return the first answer and send nothing twice (kept 7 days after the notification expires). */
                "idempotency-key"?: string;
            };
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Who is meant: "available" (default), "all", or { "agentIds": [...] }. */
                    audience?: "available" | "all" | {
                        agentIds: string[];
                    };
                    body: string;
                    /** @description A newer push with the same key replaces an undelivered older one (Web Push Topic, notification tag). */
                    collapseKey?: string;
                    /** @description Any JSON object, passed to the browser as is. */
                    data?: {
                        [key: string]: unknown;
                    };
                    /** @description critical reaches agents in do not disturb, outside working hours, or who muted the type (default normal). For what cannot wait. */
                    priority?: "normal" | "critical";
                    title: string;
                    /** @description How long delivery is attempted and the push service keeps it (default 3600). */
                    ttlSeconds?: number;
                    /**
                     * @description An event type such as `conversation.assigned`.
                     * @example conversation.assigned
                     */
                    type: string;
                    /** @description RFC 8030 Urgency (default normal). */
                    urgency?: "very-low" | "low" | "normal" | "high";
                    /** @description Opened when the notification is clicked: an absolute http(s) URL, or a path on the inbox origin starting with a single "/" (not "//" or "/\", which a browser opens on another host). */
                    url?: string;
                };
            };
        };
        responses: {
            /** @description Queued: the notification id and one delivery per device (or skipped agent) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deliveries: {
                            agentId: string;
                            /** @description Sends tried for this delivery; expiring or finding the device gone before a send does not count. */
                            attempts: number;
                            /** @description Null when the agent had no device. */
                            deviceId: string | null;
                            id: string;
                            kind: "fcm" | "webpush" | null;
                            /** @description What the last attempt met; for an expired delivery, also that it expired. */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description For a pending delivery: when it is (re)tried next. Null once no attempt fits before the TTL: it is then expired when the TTL ends, keeping `lastError`.
                             */
                            nextAttemptAt: string | null;
                            /** @description Why it was skipped (muted, do_not_disturb, outside_working_hours, connected, no_devices, fcm_not_configured, device_removed) or failed (device_gone, configuration). */
                            reason: string | null;
                            /**
                             * Format: date-time
                             * @description When the push service accepted it.
                             */
                            sentAt: string | null;
                            state: "pending" | "sent" | "failed" | "expired" | "skipped";
                        }[];
                        id: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                notificationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notification, a summary by state, and every delivery */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Who is meant: "available" (default), "all", or { "agentIds": [...] }. */
                        audience: "available" | "all" | {
                            agentIds: string[];
                        };
                        body: string;
                        collapseKey: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        data: {
                            [key: string]: unknown;
                        } | null;
                        deliveries: {
                            agentId: string;
                            /** @description Sends tried for this delivery; expiring or finding the device gone before a send does not count. */
                            attempts: number;
                            /** @description Null when the agent had no device. */
                            deviceId: string | null;
                            id: string;
                            kind: "fcm" | "webpush" | null;
                            /** @description What the last attempt met; for an expired delivery, also that it expired. */
                            lastError: string | null;
                            /**
                             * Format: date-time
                             * @description For a pending delivery: when it is (re)tried next. Null once no attempt fits before the TTL: it is then expired when the TTL ends, keeping `lastError`.
                             */
                            nextAttemptAt: string | null;
                            /** @description Why it was skipped (muted, do_not_disturb, outside_working_hours, connected, no_devices, fcm_not_configured, device_removed) or failed (device_gone, configuration). */
                            reason: string | null;
                            /**
                             * Format: date-time
                             * @description When the push service accepted it.
                             */
                            sentAt: string | null;
                            state: "pending" | "sent" | "failed" | "expired" | "skipped";
                        }[];
                        /** Format: date-time */
                        expiresAt: string;
                        id: string;
                        summary: {
                            expired: number;
                            failed: number;
                            pending: number;
                            sent: number;
                            skipped: number;
                        };
                        title: string;
                        ttlSeconds: number;
                        type: string;
                        urgency: string;
                        url: string | null;
                    };
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    acceptOfferWithSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /**
                 * @description Your own id for the conversation (1–200 visible characters).
                 * @example conv-8812
                 */
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The offer's secret, as its push carried it (data.offer.secret). */
                    secret: string;
                };
            };
        };
        responses: {
            /** @description Accepted: the chat is its agent’s */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent's chats now, this one included. */
                        activeChats: number | null;
                        agentId: string;
                        agentName: string;
                        /** Format: date-time */
                        assignedAt: string;
                        /** @description Every member, with why it was or was not chosen: eligible ones in the order the strategy ranked them, then the others by name. */
                        considered: {
                            activeChats: number | null;
                            agentId: string;
                            maxChats: number | null;
                            /** @description With missing_skill only: the required skills it lacks. */
                            missingSkills?: string[];
                            name: string;
                            /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                            outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                            /** @description The availability reason, as in list entries. */
                            reason: string;
                            /** @description The derived state, as in list entries. */
                            state: string;
                        }[];
                        conversationId: string;
                        maxChats: number | null;
                        /** @description Offered (the chatbot's offerTimeoutSeconds is set): when the offer to the agent lapses unless accepted; null: the chat is the agent's. assignedAt is when it was offered. */
                        offerExpiresAt: string | null;
                        strategy: "least_loaded" | "round_robin" | "transfer";
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    declineOfferWithSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                /**
                 * @description Your own id for the conversation (1–200 visible characters).
                 * @example conv-8812
                 */
                conversationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The offer's secret, as its push carried it (data.offer.secret). */
                    secret: string;
                };
            };
        };
        responses: {
            /** @description Declined: the chat as it stands now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Assigned or released: its agent. */
                        agentId: string | null;
                        agentName: string | null;
                        /**
                         * Format: date-time
                         * @description When the chat asked for an agent.
                         */
                        arrivedAt: string;
                        /** @description Assigned or released: when it became this agent’s. */
                        assignedAt: string | null;
                        conversationId: string;
                        /** @description Released, cancelled or expired: when. */
                        endedAt: string | null;
                        /** @description Waiting: seconds until an agent is expected to take it, from the chatbot's recent handle time and its working agents' slots; null when nobody is working now. */
                        estimatedWaitSeconds: number | null;
                        /** @description Waiting: when it expires. */
                        expiresAt: string | null;
                        /** @description As the request gave it (null: the longest wait, a day). */
                        maxWaitSeconds: number | null;
                        /** @description Offered: when the offer to agentId lapses. */
                        offerExpiresAt: string | null;
                        /** @description Waiting: its place in the queue, 1 for the next. */
                        position: number | null;
                        preview: string | null;
                        /** @description Its place in the queue: higher first. */
                        priority: number;
                        /** @description The skills its agent must hold (sorted, each once; [] for none): waiting, those in effect now (its skillSteps relax them); assigned or ended, those it was assigned under. */
                        requiredSkills: string[];
                        /** @description Waiting: the steps that relax its requirement, as the request gave them ([] for none). */
                        skillSteps: {
                            /** @description Seconds after the chat arrived: a whole number from 1 to 86400, before its maxWaitSeconds. */
                            afterSeconds: number;
                            /** @description The requirement from then on ([] for anyone): the skills of the step before, less at least one. */
                            requiredSkills: string[];
                        }[] | null;
                        /** @description waiting (in the queue), offered (to agentId, until offerExpiresAt), assigned (an agent has it), released (it ended after it was offered or assigned), cancelled (it ended while waiting), expired (it waited its maxWaitSeconds). */
                        state: "waiting" | "offered" | "assigned" | "released" | "cancelled" | "expired";
                        title: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listQueue: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the queue */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Assigned or released: its agent. */
                            agentId: string | null;
                            agentName: string | null;
                            /**
                             * Format: date-time
                             * @description When the chat asked for an agent.
                             */
                            arrivedAt: string;
                            /** @description Assigned or released: when it became this agent’s. */
                            assignedAt: string | null;
                            /** @description Every member and why it cannot take the chat now (by the requirement in effect). */
                            considered: {
                                activeChats: number | null;
                                agentId: string;
                                maxChats: number | null;
                                /** @description With missing_skill only: the required skills it lacks. */
                                missingSkills?: string[];
                                name: string;
                                /** @description chosen; preferred (chosen as the preferred agent); ranked_lower (eligible, another came first); excluded; missing_skill (it lacks a skill the chat requires: see missingSkills); at_capacity (no room); not_available (its state is not available: see state and reason). */
                                outcome: "chosen" | "preferred" | "ranked_lower" | "excluded" | "missing_skill" | "at_capacity" | "not_available";
                                /** @description The availability reason, as in list entries. */
                                reason: string;
                                /** @description The derived state, as in list entries. */
                                state: string;
                            }[];
                            conversationId: string;
                            /** @description Released, cancelled or expired: when. */
                            endedAt: string | null;
                            /** @description Waiting: seconds until an agent is expected to take it, from the chatbot's recent handle time and its working agents' slots; null when nobody is working now. */
                            estimatedWaitSeconds: number | null;
                            /** @description Waiting: when it expires. */
                            expiresAt: string | null;
                            /** @description As the request gave it (null: the longest wait, a day). */
                            maxWaitSeconds: number | null;
                            /** @description Offered: when the offer to agentId lapses. */
                            offerExpiresAt: string | null;
                            /** @description Waiting: its place in the queue, 1 for the next. */
                            position: number | null;
                            preview: string | null;
                            /** @description Its place in the queue: higher first. */
                            priority: number;
                            /** @description The skills its agent must hold (sorted, each once; [] for none): waiting, those in effect now (its skillSteps relax them); assigned or ended, those it was assigned under. */
                            requiredSkills: string[];
                            /** @description Waiting: the steps that relax its requirement, as the request gave them ([] for none). */
                            skillSteps: {
                                /** @description Seconds after the chat arrived: a whole number from 1 to 86400, before its maxWaitSeconds. */
                                afterSeconds: number;
                                /** @description The requirement from then on ([] for anyone): the skills of the step before, less at least one. */
                                requiredSkills: string[];
                            }[] | null;
                            /** @description waiting (in the queue), offered (to agentId, until offerExpiresAt), assigned (an agent has it), released (it ended after it was offered or assigned), cancelled (it ended while waiting), expired (it waited its maxWaitSeconds). */
                            state: "waiting" | "offered" | "assigned" | "released" | "cancelled" | "expired";
                            title: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    reportOffers: {
        parameters: {
            query: {
                /**
                 * @description The first day, YYYY-MM-DD, in tz.
                 * @example 2026-11-01
                 */
                from: string;
                /** @description day (default) or week (ISO weeks, Monday first). */
                groupBy?: "day" | "week";
                /**
                 * @description The last day (inclusive), YYYY-MM-DD, in tz; at most 366 days after from.
                 * @example 2026-11-30
                 */
                to: string;
                /**
                 * @description An IANA time zone (default UTC): days begin at its midnight.
                 * @example Europe/Berlin
                 */
                tz?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One row per agent offered a chat in the period, by agent id */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agents: {
                            accepted: number;
                            agentId: string;
                            declined: number;
                            /** @description The median seconds from offer to accept, to a tenth (null: none accepted). */
                            medianSecondsToAccept: number | null;
                            /** @description Lapsed unanswered. */
                            missed: number;
                            /** @description Its name (null: no longer a member). */
                            name: string | null;
                            /** @description Offers that ended in the period (decided in it). */
                            offered: number;
                            /** @description Taken back: the chat was released (DELETE) or moved while offered. */
                            withdrawn: number;
                        }[];
                        /** Format: date-time */
                        from: string;
                        /** Format: date-time */
                        to: string;
                    };
                    "text/csv": string;
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    reportTimeInState: {
        parameters: {
            query: {
                /**
                 * @description The first day, YYYY-MM-DD, in tz.
                 * @example 2026-11-01
                 */
                from: string;
                /** @description day (default) or week (ISO weeks, Monday first). */
                groupBy?: "day" | "week";
                /**
                 * @description The last day (inclusive), YYYY-MM-DD, in tz; at most 366 days after from.
                 * @example 2026-11-30
                 */
                to: string;
                /**
                 * @description An IANA time zone (default UTC): days begin at its midnight.
                 * @example Europe/Berlin
                 */
                tz?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows, by agent then period */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rows: {
                            agentId: string;
                            /** @description The agent's name (as in the CSV); null once the agent was deleted. */
                            agentName: string | null;
                            /**
                             * Format: date-time
                             * @description The first moment in the period the agent was available.
                             */
                            firstAvailableAt: string | null;
                            /**
                             * Format: date-time
                             * @description The last moment in the period the agent was available.
                             */
                            lastAvailableAt: string | null;
                            /** @description The local date the period begins on (a week: its Monday, or the first day of the range). */
                            period: string;
                            /** @description Whole seconds in each state within the period (up to now for the current day). */
                            seconds: {
                                available: number;
                                away: number;
                                busy: number;
                                dnd: number;
                                offline: number;
                            };
                        }[];
                    };
                    "text/csv": string;
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    reportWaiting: {
        parameters: {
            query: {
                /**
                 * @description The first day, YYYY-MM-DD, in tz.
                 * @example 2026-11-01
                 */
                from: string;
                /** @description day (default) or week (ISO weeks, Monday first). */
                groupBy?: "day" | "week";
                /**
                 * @description The last day (inclusive), YYYY-MM-DD, in tz; at most 366 days after from.
                 * @example 2026-11-30
                 */
                to: string;
                /**
                 * @description An IANA time zone (default UTC): days begin at its midnight.
                 * @example Europe/Berlin
                 */
                tz?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rows, by period then priority (higher first) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        rows: {
                            /** @description Given an agent (still open, or released since). */
                            assigned: number;
                            cancelled: number;
                            /** @description Chats that arrived. */
                            chats: number;
                            expired: number;
                            /** @description The local day (or the Monday of the week) the chats arrived, YYYY-MM-DD. */
                            period: string;
                            priority: number;
                            /** @description Still waiting. */
                            waiting: number;
                            /** @description How long the assigned ones waited for their first agent, the median (a chat assigned at once: 0). */
                            waitP50Seconds: number | null;
                            /** @description The 90th percentile of the same. */
                            waitP90Seconds: number | null;
                        }[];
                    };
                    "text/csv": string;
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of webhooks */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            debounceSeconds: number;
                            /** @example whk_3kq9wz1x8v7c6b5n */
                            id: string;
                            url: string;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Wait this long after a change before sending it (default 0): a later change replaces it, and one back to what was last sent sends nothing. At most 300. */
                    debounceSeconds?: number;
                    /** @description Where messages are POSTed: an https URL on a public host. */
                    url: string;
                };
            };
        };
        responses: {
            /** @description The webhook, with its secret (shown once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        debounceSeconds: number;
                        /** @example whk_3kq9wz1x8v7c6b5n */
                        id: string;
                        /** @description The signing secret (whsec_…), shown only here: verify each message with it (any Standard Webhooks library). */
                        secret: string;
                        url: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path: {
                /** @description The ID of the chatbot. */
                chatbotId: string;
                webhookId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of messages */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            agentId: string;
                            attempts: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The message id, sent as webhook-id. */
                            id: string;
                            lastError: string | null;
                            lastStatus: number | null;
                            /**
                             * Format: date-time
                             * @description While pending: the next attempt.
                             */
                            nextAttemptAt: string | null;
                            /** @description { type: "agent.availability.changed", timestamp, data: { chatbotId, agent } }, or { type: "assignment.orphaned" | "assignment.created" | "assignment.transferred" | "assignment.released" | "assignment.waiting" | "assignment.cancelled" | "assignment.expired" | "assignment.offered" | "assignment.accepted" | "assignment.declined" | "assignment.offer_missed", timestamp, data } (data as on the stream) */
                            payload: unknown;
                            /** @description refused (a 4xx answer), ttl (24 h of retries ran out), unchanged (a debounced flap). */
                            reason: string | null;
                            /**
                             * Format: date-time
                             * @description When the receiver accepted it.
                             */
                            sentAt: string | null;
                            state: "pending" | "sent" | "failed" | "expired" | "skipped";
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    listKeys: {
        parameters: {
            query?: {
                /** @description Only this agent's keys. */
                agentId?: string;
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                /** @description Only keys of this kind. */
                kind?: "agent" | "chatbot" | "operator";
                /** @description Items per page, 1 to 200 (default 50). */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description The agent an agent key acts as. */
                            agentId: string | null;
                            /** @description The chatbot of a chatbot key. */
                            chatbotId: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description A browser's key (made by a sign-in link): when it ends unless used before (30 days after its last use, known to the minute); null for other keys. */
                            expiresAt: string | null;
                            /**
                             * @description The secret's last four characters.
                             * @example cck_…x9Qa
                             */
                            hint: string;
                            /** @example key_3kq9wz1x8v7c6b5n */
                            id: string;
                            kind: "agent" | "chatbot" | "operator";
                            /** @description When the key was last used, to the minute; null if never. */
                            lastUsedAt: string | null;
                            name: string | null;
                            /** @description A chatbot or operator key's grants; an agent key's come from its agent's roles (empty here). */
                            permissions: string[];
                            /** @description After a rotation: until when the previous secret is still accepted. */
                            previousSecretValidUntil: string | null;
                            /** @description When the key was revoked; null while it works. */
                            revokedAt: string | null;
                        }[];
                        /** @description Pass as ?cursor= for the next page; null at the end. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    createOperatorKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description What the key is for, to recognise it in listings. */
                    name?: string | null;
                    /** @description Permissions, each exact (`chatbots.inbox.agents.list`), a prefix ending in `.*`, or `*`. */
                    permissions: string[];
                };
            };
        };
        responses: {
            /** @description The key, with its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent an agent key acts as. */
                        agentId: string | null;
                        /** @description The chatbot of a chatbot key. */
                        chatbotId: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description A browser's key (made by a sign-in link): when it ends unless used before (30 days after its last use, known to the minute); null for other keys. */
                        expiresAt: string | null;
                        /**
                         * @description The secret's last four characters.
                         * @example cck_…x9Qa
                         */
                        hint: string;
                        /** @example key_3kq9wz1x8v7c6b5n */
                        id: string;
                        /**
                         * @description The secret. Shown this once: store it now.
                         * @example cck_4Vt0a9…
                         */
                        key: string;
                        kind: "agent" | "chatbot" | "operator";
                        /** @description When the key was last used, to the minute; null if never. */
                        lastUsedAt: string | null;
                        name: string | null;
                        /** @description A chatbot or operator key's grants; an agent key's come from its agent's roles (empty here). */
                        permissions: string[];
                        /** @description After a rotation: until when the previous secret is still accepted. */
                        previousSecretValidUntil: string | null;
                        /** @description When the key was revoked; null while it works. */
                        revokedAt: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the key. */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (revoking twice is harmless) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    rotateKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ID of the key. */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description How long the previous secret stays valid: 0 refuses it at once (a leaked key). */
                    overlapSeconds: number;
                };
            };
        };
        responses: {
            /** @description The key, with its new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The agent an agent key acts as. */
                        agentId: string | null;
                        /** @description The chatbot of a chatbot key. */
                        chatbotId: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description A browser's key (made by a sign-in link): when it ends unless used before (30 days after its last use, known to the minute); null for other keys. */
                        expiresAt: string | null;
                        /**
                         * @description The secret's last four characters.
                         * @example cck_…x9Qa
                         */
                        hint: string;
                        /** @example key_3kq9wz1x8v7c6b5n */
                        id: string;
                        /**
                         * @description The secret. Shown this once: store it now.
                         * @example cck_4Vt0a9…
                         */
                        key: string;
                        kind: "agent" | "chatbot" | "operator";
                        /** @description When the key was last used, to the minute; null if never. */
                        lastUsedAt: string | null;
                        name: string | null;
                        /** @description A chatbot or operator key's grants; an agent key's come from its agent's roles (empty here). */
                        permissions: string[];
                        /** @description After a rotation: until when the previous secret is still accepted. */
                        previousSecretValidUntil: string | null;
                        /** @description When the key was revoked; null while it works. */
                        revokedAt: string | null;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description Missing, unknown or revoked API key */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error401"];
                };
            };
            /** @description The key may not use this route on this chatbot (whether or not the chatbot exists) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error403"];
                };
            };
            /** @description Not found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error404"];
                };
            };
            /** @description A conflict with what stands: the last admin, an externalId another agent has, a revoked key, an accepted invitation, no agent available for an assignment, or an Idempotency-Key used with another request */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error409"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    exchangeLoginLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description What the browser's key is called in the agent's keys (default: from the User-Agent, e.g. "Chrome on Linux"). */
                    name?: string;
                    /** @description What follows `#login=` in the link. */
                    token: string;
                };
            };
        };
        responses: {
            /** @description The browser's key */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        agentId: string;
                        /** @description The chatbot the link was made for (the key acts in all of the agent's chatbots). */
                        chatbotId: string;
                        /**
                         * Format: date-time
                         * @description The key ends then unless used before: 30 days after its last use.
                         */
                        expiresAt: string;
                        /** @description The browser's key, shown this once: send it as x-chatcaptain-key. Never put it in a URL. */
                        key: string;
                        keyId: string;
                        name: string;
                    };
                };
            };
            /** @description Bad request: the body breaks a rule (the message names the field and the rule), or is not JSON */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error400"];
                };
            };
            /** @description The sign-in link was already used or has expired (login_link_invalid) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error410"];
                };
            };
            /** @description Body larger than 64 KiB */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error413"];
                };
            };
            /** @description Body is not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error415"];
                };
            };
            /** @description Too many requests with this key (rate_limited, with Retry-After and RateLimit headers), or too many open streams */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error429"];
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
            /** @description Internal error (details are logged with the request id) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error500"];
                };
            };
            /** @description The database (or Redis) is unavailable for now, or the service is shutting down; retry shortly */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error503"];
                };
            };
        };
    };
    getVapidPublicKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Web Push application server key */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description base64url, 65 bytes */
                        publicKey: string;
                    };
                };
            };
            /** @description The request line and headers are larger than 16 KiB (headers_too_large) */
            431: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error431"];
                };
            };
        };
    };
}
