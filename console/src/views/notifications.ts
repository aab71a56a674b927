import { enablePush, ok } from '@inbox-agents/sdk';
import { fill, h } from '../dom.js';
import { ago, dayAndTime, testNotificationOutcome } from '../format.js';
import type { ConsoleContext, View } from '../main.js';

const DEVICE = 'inbox-agents.device';
/** How long subscribing may take: the browser asks its maker's push service, which may be out of reach. */
const PUSH_SERVICE_WAIT_MS = 20_000;

class TimedOut extends Error {}

/** The promise's value, or TimedOut after `ms`. */
function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimedOut(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Notifications: enable browser notifications, my devices, muted types, push while open, a test. */
export function mount(container: HTMLElement, context: ConsoleContext): View {
  const { client, chatbotId } = context;
  const path = { chatbotId };
  const note = h('p', { role: 'status', class: 'note' });
  const devices = h('ul', { class: 'devices', 'aria-label': 'My devices' });
  const muted = h('input', { id: 'muted', autocomplete: 'off', placeholder: 'conversation.assigned, conversation.closed' });
  const whenOpen = h('input', { type: 'checkbox', id: 'when-open' });
  const say = (text: string) => (note.textContent = text);
  const failed = (what: string, error: unknown) => say(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);

  const load = async () => {
    const settings = ok(await client.GET('/v1/inbox/{chatbotId}/agents/me/notifications', { params: { path } }));
    muted.value = settings.mutedTypes.join(', ');
    whenOpen.checked = settings.pushWhenConnected;
    const now = Date.now();
    fill(
      devices,
      ...(settings.devices.length === 0
        ? [h('li', {}, 'No devices yet.')]
        : settings.devices.map((device) =>
            h(
              'li',
              {},
              h(
                'span',
                {},
                [
                  device.kind === 'webpush' ? 'Browser' : 'App',
                  device.id === localStorage.getItem(DEVICE) ? ' (this browser)' : '',
                  ` · added ${dayAndTime(device.createdAt)}`,
                  device.lastError ? ` · last error: ${device.lastError}` : device.lastSuccessAt ? ` · last push ${ago(device.lastSuccessAt, now)}` : ' · no push yet',
                ].join(''),
              ),
              h('button', { type: 'button', 'aria-label': `Remove device added ${dayAndTime(device.createdAt)}`, onclick: () => void remove(device.id) }, 'Remove'),
            ),
          )),
    );
  };
  const remove = async (deviceId: string) => {
    try {
      ok(await client.DELETE('/v1/inbox/{chatbotId}/agents/me/notifications/devices/{deviceId}', { params: { path: { chatbotId, deviceId } } }));
      if (localStorage.getItem(DEVICE) === deviceId) localStorage.removeItem(DEVICE);
      say('The device was removed.');
      await load();
    } catch (error) {
      failed('Removing the device', error);
    }
  };
  const enable = async () => {
    if (!('serviceWorker' in navigator) || !('PushManager' in window))
      return say('This browser cannot show notifications from web pages (or not on this address: it needs https).');
    const permission = await Notification.requestPermission();
    if (permission === 'denied') {
      return say('This browser blocks notifications from this site. Allow them in the site settings (the icon left of the address), then click Enable again.');
    }
    if (permission !== 'granted') return say('Notifications were not allowed: the browser asked, and no choice was made. Click Enable again and choose Allow.');
    try {
      await navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' });
      const registration = await navigator.serviceWorker.ready;
      const { deviceId } = await withinTime(enablePush(registration, { api: client, chatbotId }), PUSH_SERVICE_WAIT_MS);
      localStorage.setItem(DEVICE, deviceId);
      say('Browser notifications are on.');
      await load();
    } catch (error) {
      if (error instanceof TimedOut || (error instanceof DOMException && error.name === 'AbortError')) {
        return say(
          "The browser's push service could not be reached, so notifications are not on. The browser needs to reach its maker's push service (for Chrome, Google's; for Firefox, Mozilla's): check the network, a firewall or a VPN, then click Enable again.",
        );
      }
      failed('Turning on notifications', error);
    }
  };
  const save = async () => {
    const mutedTypes = muted.value
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean);
    try {
      ok(await client.POST('/v1/inbox/{chatbotId}/agents/me/notifications', { params: { path }, body: { mutedTypes, pushWhenConnected: whenOpen.checked } }));
      say('Saved.');
      await load();
    } catch (error) {
      failed('Saving', error);
    }
  };
  const test = async () => {
    try {
      const sent = ok(await client.POST('/v1/inbox/{chatbotId}/agents/me/notifications/test', { params: { path } }));
      // An agent without a device gets one delivery, skipped with the reason no_devices; a device
      // skipped for another reason (FCM not configured, muted) is said as such.
      say(testNotificationOutcome(sent.deliveries));
      setTimeout(() => void load().catch(() => undefined), 3000);
    } catch (error) {
      failed('Sending the test', error);
    }
  };

  fill(
    container,
    h('h1', { id: 'notifications-title' }, 'Notifications'),
    h(
      'p',
      {},
      h('button', { type: 'button', onclick: () => void enable() }, 'Enable browser notifications'),
      ' ',
      h('button', { type: 'button', onclick: () => void test() }, 'Send me a test notification'),
    ),
    note,
    h('h2', {}, 'My devices'),
    devices,
    h(
      'form',
      {
        onsubmit: (event: Event) => {
          event.preventDefault();
          void save();
        },
      },
      h('h2', {}, 'Preferences'),
      h('label', { for: 'muted' }, 'Muted types (comma-separated)'),
      muted,
      h('div', { class: 'check' }, whenOpen, h('label', { for: 'when-open' }, 'Push even while the console is open')),
      h('button', { type: 'submit' }, 'Save preferences'),
    ),
  );
  void load().catch((error: unknown) => failed('Loading the settings', error));
  return { update: () => undefined };
}
