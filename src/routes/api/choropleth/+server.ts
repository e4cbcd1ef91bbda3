/** GET /api/choropleth?level=&metric=: values per area with quantile breaks. */
import { endpoint } from '$lib/server/endpoint';
import * as choropleth from '$lib/server/choropleth';

export const GET = endpoint(choropleth.getValues);
