export { sandboxDriver, sandboxPlatformId } from './driver.ts';
export { postAsCustomer, customerThread, findSandboxByToken, BROWSER_CUSTOMER_PREFIX, type CustomerPost } from './customer-chat.ts';
export { signedCustomerUrl, customerSignature, isCustomerSignature } from './customer-link.ts';
