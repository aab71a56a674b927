/// <reference lib="webworker" />
// The console's service worker: shows the service's pushes, and on click opens their URL,
// focusing an open console tab when there is one.
import { installInboxServiceWorker } from '@inbox-agents/sdk/service-worker';

installInboxServiceWorker(self as never);
