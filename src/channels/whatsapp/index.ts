export { whatsappDriver } from './driver.ts';
