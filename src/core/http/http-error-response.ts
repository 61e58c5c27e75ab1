/** A non-2xx response, read whole, handed to the adapter's error mapper. */
export interface HttpErrorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text (already read; may be empty). */
  bodyText: string;
}
