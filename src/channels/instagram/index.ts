// The Instagram room: the driver (limits, window, connect), the one Graph client, and the webhook.
export { instagramDriver } from './driver.ts';
export { InstagramWebhook, type DeliveryOutcome, type WebhookDeps } from './webhook.ts';
export { FacebookLogin, FACEBOOK_SCOPES, type PageCandidate } from './facebook-login.ts';
export { InstagramLogin } from './instagram-login.ts';
export { deliveryMode, pollConversations, POLL_EVERY_MS, type DeliveryMode } from './polling.ts';
