export { createJsonEventParser, type JsonEvent, type JsonEventParser } from './create-json-event-parser';
export { fetchJson } from './fetch-json';
export { handleFetchError } from './handle-fetch-error';
export type { HttpErrorResponse } from './http-error-response';
export { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, type HttpOptions } from './http-options';
export { mapHttpStatus } from './map-http-status';
export { parseRetryAfter } from './parse-retry-after';
export { runEventStreamCall, type EventStreamCall, type EventStreamTransform } from './run-event-stream-call';
export { sendHttpRequest, type HttpRequestSpec, type HttpSuccess } from './send-http-request';
