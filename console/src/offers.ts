/**
 * Offers in the console: a chat offered to the agent (the chatbot asks its agents to accept) is
 * shown on every view with its countdown, Accept and Decline, and a sound; while the tab is
 * hidden, as a browser notification whose own Accept and Decline answer through this tab (the
 * service worker hands them back: sdk service-worker.ts). It leaves when accepted, declined,
 * missed, or taken back.
 */
import { acceptOffer, declineOffer, ok, type InboxApiError, type OfferEvent } from '@inbox-agents/sdk';
import { fill, h } from './dom.js';
import { offerCountdown, offerHeading } from './format.js';
import type { ConsoleContext } from './main.js';

interface Offer {
  conversationId: string;
  title: string | null;
  preview: string | null;
  expiresAt: string;
}

/** What the service worker posts to the tab when a notification this tab showed is answered. */
export const OFFER_MESSAGE = 'inbox-agents.offer';

export function offerPanel(context: Pick<ConsoleContext, 'client' | 'chatbotId' | 'me'>, chime: () => string) {
  const { client, chatbotId } = context;
  const offers = new Map<string, Offer>();
  const list = h('ul', { class: 'offers', 'aria-label': 'Chats offered to you' });
  const problem = h('p', { role: 'alert', class: 'offer-problem', hidden: true });
  const element = h('section', { class: 'offer-panel', 'aria-label': 'Offers', hidden: true }, list, problem);
  let ticker: ReturnType<typeof setInterval> | null = null;

  const draw = () => {
    const now = Date.now();
    element.hidden = offers.size === 0 && problem.hidden;
    fill(
      list,
      ...[...offers.values()].map((offer) =>
        h(
          'li',
          { class: 'offer', 'data-conversation': offer.conversationId },
          h('strong', {}, offerHeading(offer)),
          offer.preview ? h('span', { class: 'preview' }, offer.preview) : '',
          h('span', { class: 'countdown', role: 'timer' }, `${offerCountdown(offer.expiresAt, now)} left to accept`),
          h('button', { type: 'button', class: 'accept', onclick: () => void answer(offer.conversationId, 'accept') }, 'Accept'),
          h('button', { type: 'button', onclick: () => void answer(offer.conversationId, 'decline') }, 'Decline'),
        ),
      ),
    );
    if (offers.size > 0 && !ticker) ticker = setInterval(draw, 1000);
    if (offers.size === 0 && ticker) {
      clearInterval(ticker);
      ticker = null;
    }
  };

  const say = (text: string) => {
    problem.textContent = text;
    problem.hidden = text === '';
    draw();
  };

  async function answer(conversationId: string, verb: 'accept' | 'decline'): Promise<void> {
    try {
      if (verb === 'accept') await acceptOffer(client, chatbotId, conversationId);
      else await declineOffer(client, chatbotId, conversationId);
      say('');
    } catch (error) {
      const code = (error as InboxApiError).code;
      say(
        code === 'offer_expired' || code === 'not_found'
          ? 'That offer is no longer yours: it lapsed or went to someone else.'
          : `The offer could not be answered: ${(error as Error).message}`,
      );
    }
    offers.delete(conversationId);
    draw();
    void closeNotification(conversationId);
  }

  /** While the tab is hidden the agent would miss the panel: a notification says it (pushes are off while the console is open). */
  async function notify(offer: Offer): Promise<void> {
    if (document.visibilityState !== 'hidden' || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const registration = await navigator.serviceWorker?.getRegistration('/app/');
    await registration?.showNotification(offerHeading(offer), {
      body: offer.preview ?? `Conversation ${offer.conversationId}`,
      tag: `offer-${offer.conversationId}`,
      requireInteraction: true,
      data: { url: '/app/', data: { conversationId: offer.conversationId, offer: { chatbotId, expiresAt: offer.expiresAt } } },
      actions: [
        { action: 'accept', title: 'Accept' },
        { action: 'decline', title: 'Decline' },
      ],
    } as NotificationOptions);
  }

  async function closeNotification(conversationId: string): Promise<void> {
    const registration = await navigator.serviceWorker?.getRegistration('/app/');
    for (const shown of (await registration?.getNotifications({ tag: `offer-${conversationId}` })) ?? []) shown.close();
  }

  navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as { type?: unknown; chatbotId?: unknown; conversationId?: unknown; action?: unknown } | null;
    if (message?.type !== OFFER_MESSAGE || message.chatbotId !== chatbotId || typeof message.conversationId !== 'string') return;
    if (message.action === 'accept' || message.action === 'decline') void answer(message.conversationId, message.action);
  });

  return {
    element,
    /** The offers open to the agent now (on load, and after a reconnect). */
    async load(): Promise<void> {
      const page = ok(await client.GET('/v1/inbox/{chatbotId}/agents/me/chats', { params: { path: { chatbotId }, query: { limit: '200' } } }));
      offers.clear();
      for (const chat of page.items) if (chat.offerExpiresAt) offers.set(chat.conversationId, { ...chat, expiresAt: chat.offerExpiresAt });
      draw();
    },
    /** Each step of an offer on the stream. */
    offer(event: OfferEvent): void {
      if (event.type === 'assignment.offered' && event.agentId === context.me.agentId && event.offerExpiresAt) {
        const offer = { conversationId: event.conversationId, title: event.title ?? null, preview: event.preview ?? null, expiresAt: event.offerExpiresAt };
        offers.set(offer.conversationId, offer);
        say('');
        chime();
        void notify(offer);
        return;
      }
      if (offers.delete(event.conversationId)) {
        if (event.type === 'assignment.offer_missed' && event.agentId === context.me.agentId) say('An offer lapsed before you answered it.');
        else draw();
        void closeNotification(event.conversationId);
      }
    },
    /** A chat released, cancelled or moved while it was offered here: the offer is gone. */
    forget(conversationId: string): void {
      if (offers.delete(conversationId)) draw();
    },
  };
}
