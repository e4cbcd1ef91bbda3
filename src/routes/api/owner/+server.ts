/** GET /api/owner?lng=&lat=[&crs=][&at=]: who answers for a point (in the fast lane); POST: up to 10,000 points. */
import { endpoint } from '$lib/server/http/endpoint';
import * as ownership from '$lib/server/http/ownership';

export const GET = endpoint(ownership.getOwner);
export const POST = endpoint(ownership.postOwners);
