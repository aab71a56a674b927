export { tenancyService, ROLES, type TenancyService, type Agent, type Chatbot, type Member } from './service.js';
export { tenancyStore, type TenancyStore } from './store.js';
