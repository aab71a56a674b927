export { tenancyService, ROLES, type TenancyService, type Agent, type Chatbot } from './service.js';
export { tenancyStore, type TenancyStore } from './store.js';
