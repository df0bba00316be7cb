/**
 * The most calls one tRPC batch request may carry: the server refuses a larger batch whole (400),
 * and the clients split theirs to fit (`maxItems`). Without a cap, one request could carry
 * hundreds of calls past every per-request check.
 */
export const maxBatchCalls = 20;
