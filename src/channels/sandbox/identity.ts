/** The sandbox's channel kind, and the identity kind of its customers (an opaque customer id). */
export const SANDBOX_IDENTITY = 'sandbox';
