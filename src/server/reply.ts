/** What a hot route answers (hot.ts sends it): status, headers and a body, compressed there when worth it. */
export interface Reply {
	status: number;
	headers?: Record<string, string>;
	/** a string is sent as JSON text; bytes as they are (with the content type in headers) */
	body?: string | Buffer;
	/** gzip level for bodies over the threshold, when the client accepts gzip */
	gzipLevel?: number;
}

/** JSON of a value, as a reply. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Reply {
	return { status, headers, body: JSON.stringify(value) };
}

