export { instagramDriver } from './driver.ts';
