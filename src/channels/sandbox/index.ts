export { sandboxDriver, sandboxPlatformId } from './driver.ts';
export { postAsCustomer, customerThread, BROWSER_CUSTOMER_PREFIX, type CustomerPost } from './customer-chat.ts';
export { seedDemoSandbox } from './seed.ts';
export { signedCustomerUrl, customerSignature, isCustomerSignature } from './customer-link.ts';
