/** GET /api/cases/{code}/reporter/photos/{id}?token=…: a photo of the report or its resolution, for the reporter's link. */
import { endpoint } from '$lib/server/http/endpoint';
import * as reporter from '$lib/server/http/case-reporter';

export const GET = endpoint(reporter.getPhoto);
