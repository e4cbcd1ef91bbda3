/** GET /api/work-calendar: loaded years; PUT: an admin loads a year. */
import { endpoint } from '$lib/server/http/endpoint';
import * as calendar from '$lib/server/http/calendar';

export const GET = endpoint(calendar.getCalendar);
export const PUT = endpoint(calendar.putYear);
