/** GET /api/choropleth?level=&metric=: values per area with quantile breaks. */
import { endpoint } from '$lib/server/http/endpoint';
import * as choropleth from '$lib/server/http/areas';

export const GET = endpoint(choropleth.getValues);
